import { factories } from '@strapi/strapi';
import { EMAIL_TEMPLATE } from '../../../uids';

export default factories.createCoreService(EMAIL_TEMPLATE);
