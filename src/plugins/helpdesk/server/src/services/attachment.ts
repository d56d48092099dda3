import { factories } from '@strapi/strapi';
import { ATTACHMENT } from '../../../shared/uids';

export default factories.createCoreService(ATTACHMENT);
