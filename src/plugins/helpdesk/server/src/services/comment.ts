import { factories } from '@strapi/strapi';
import { COMMENT } from '../../../shared/uids';

export default factories.createCoreService(COMMENT);
