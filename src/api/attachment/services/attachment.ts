import { factories } from '@strapi/strapi';
import { ATTACHMENT } from '../../../uids';

export default factories.createCoreService(ATTACHMENT);
