import type { Core } from '@strapi/strapi';
import { API_UPLOADER_ATTRIBUTE, recordApiUploaders } from '../../api/attachment/domain/file-ownership';
import { UP_USER } from '../../uids';

interface UploadPluginServer {
  contentTypes: Record<string, { schema: { attributes: Record<string, unknown> } }>;
  bootstrap?: (context: { strapi: Core.Strapi }) => unknown;
}

/**
 * The upload plugin does not record who uploaded a file through the REST API (createdBy is for
 * admins only). Ticket attachments need to know, so that an agent attaches only files of their
 * own (api/attachment/domain/file-ownership.ts): each file gets a private link to its uploader.
 */
export default (plugin: UploadPluginServer): UploadPluginServer => {
  plugin.contentTypes.file.schema.attributes[API_UPLOADER_ATTRIBUTE] = {
    type: 'relation',
    relation: 'manyToOne',
    target: UP_USER,
    private: true,
    configurable: false,
  };
  const bootstrap = plugin.bootstrap;
  plugin.bootstrap = async (context) => {
    await bootstrap?.(context);
    recordApiUploaders(context.strapi);
  };
  return plugin;
};
