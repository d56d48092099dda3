import { factories } from '@strapi/strapi';
import { ATTACHMENT } from '../../../uids';

export default factories.createCoreRouter(ATTACHMENT, { only: ['find', 'findOne', 'create'] });
