import { factories } from '@strapi/strapi';
import { HELPDESK_SETTING } from '../../../uids';

export default factories.createCoreService(HELPDESK_SETTING);
