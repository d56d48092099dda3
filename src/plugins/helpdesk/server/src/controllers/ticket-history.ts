import { factories } from '@strapi/strapi';
import { TICKET_HISTORY } from '../../../shared/uids';

export default factories.createCoreController(TICKET_HISTORY);
