import { factories } from '@strapi/strapi';
import { CONTACT } from '../../../shared/uids';

export default factories.createCoreRouter(CONTACT, { only: ['find', 'findOne', 'create', 'update'] });
