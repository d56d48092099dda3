import { factories } from '@strapi/strapi';
import { TICKET } from '../../../shared/uids';

export default factories.createCoreRouter(TICKET, { only: ['find', 'findOne', 'create', 'update', 'delete'] });
