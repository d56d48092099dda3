import { factories } from '@strapi/strapi';
import { CONTACT } from '../../../uids';

export default factories.createCoreRouter(CONTACT, { only: ['find', 'findOne', 'create', 'update'] });
