import { factories } from '@strapi/strapi';
import { COMMENT } from '../../../uids';

export default factories.createCoreService(COMMENT);
