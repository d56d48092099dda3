import { factories } from '@strapi/strapi';
import { TICKET } from '../../../uids';

export default factories.createCoreService(TICKET);
