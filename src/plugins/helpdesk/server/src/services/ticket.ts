import { factories } from '@strapi/strapi';
import { TICKET } from '../../../shared/uids';

export default factories.createCoreService(TICKET);
