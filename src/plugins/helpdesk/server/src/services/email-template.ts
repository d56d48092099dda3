import { factories } from '@strapi/strapi';
import { EMAIL_TEMPLATE } from '../../../shared/uids';

export default factories.createCoreService(EMAIL_TEMPLATE);
