import type { Core } from '@strapi/strapi';
import { createChangeFeed } from '../live/change-feed';

/** The live change feed (live/change-feed.ts): one per Strapi process, started in bootstrap. */
const live = ({ strapi }: { strapi: Core.Strapi }) => createChangeFeed(strapi);

export type LiveService = ReturnType<typeof live>;
export default live;
