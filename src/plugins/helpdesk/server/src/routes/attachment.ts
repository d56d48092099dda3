import { factories } from '@strapi/strapi';
import { ATTACHMENT } from '../../../shared/uids';

export default factories.createCoreRouter(ATTACHMENT, { only: ['find', 'findOne', 'create'] });
