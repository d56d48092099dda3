import { factories } from '@strapi/strapi';
import { TICKET_HISTORY } from '../../../shared/uids';

// History is written by the server only: the REST API can read it, never change it.
export default factories.createCoreRouter(TICKET_HISTORY, { only: ['find', 'findOne'] });
