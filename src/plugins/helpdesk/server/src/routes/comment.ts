import { factories } from '@strapi/strapi';
import { COMMENT } from '../../../shared/uids';

// Comments are part of the ticket's record: created and read, not edited or deleted over REST.
export default factories.createCoreRouter(COMMENT, { only: ['find', 'findOne', 'create'] });
