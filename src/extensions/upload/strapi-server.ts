import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { API_UPLOADER_ATTRIBUTE, isOwnUpload, recordApiUploaders, restCaller } from '../../api/attachment/domain/file-ownership';
import { UP_USER } from '../../uids';

interface UploadContext {
  query: { id?: unknown };
}

type ContentApiController = Record<string, (ctx: UploadContext) => Promise<unknown>>;

interface UploadPluginServer {
  contentTypes: Record<string, { schema: { attributes: Record<string, unknown> } }>;
  controllers: Record<string, (context: { strapi: Core.Strapi }) => ContentApiController>;
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
  // POST /api/upload?id=N replaces file N or rewrites its details, whoever uploaded it: over
  // the REST API only the uploader may do either (an admin's private file stays the admin's).
  const contentApi = plugin.controllers['content-api'];
  plugin.controllers['content-api'] = (context) => {
    const controller = contentApi(context);
    const upload = controller.upload;
    controller.upload = async function uploadOwnFilesOnly(ctx) {
      if (ctx.query.id !== undefined) {
        const caller = restCaller(context.strapi);
        if (caller && !(await isOwnUpload(context.strapi, Number(ctx.query.id), caller.userId))) {
          throw new errors.ForbiddenError('Only the user who uploaded a file may replace or edit it');
        }
      }
      return upload.call(controller, ctx);
    };
    return controller;
  };
  const bootstrap = plugin.bootstrap;
  plugin.bootstrap = async (context) => {
    await bootstrap?.(context);
    recordApiUploaders(context.strapi);
  };
  return plugin;
};
