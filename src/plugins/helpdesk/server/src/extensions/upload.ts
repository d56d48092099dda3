import type { Core } from '@strapi/strapi';
import { env, errors } from '@strapi/utils';
import { API_UPLOADER_ATTRIBUTE, isOwnUpload, recordApiUploaders, restCaller } from '../domain/file-ownership';
import { imagePixelRefusal } from '../domain/file-content';
import { imagePixelLimit } from '../domain/attachment-policy';
import { imagesStoredAsReceived } from '../domain/image-processing';
import { UPLOAD_FILE, UP_USER } from '../../../shared/uids';

interface UploadContext {
  query: { id?: unknown };
  request: { body?: unknown };
}

type UploadAction = (ctx: UploadContext) => Promise<unknown>;
type ContentApiController = Record<string, UploadAction>;

/** A file as the upload plugin hands it to its image service: a temp file, or a stream. */
interface ImageFile {
  name?: string;
  filepath?: string;
}

type ImageService = Record<string, (file: ImageFile, ...rest: unknown[]) => Promise<unknown>>;

/** Strapi's registries, as far as the patches use them (typed loosely by Strapi). */
interface Registry<Item> {
  extend(uid: string, extendFn: (current: Item) => Item | void): unknown;
}

/** The multipart fields with which the upload plugin links a new file into a record's media field. */
const RECORD_LINK_FIELDS = ['ref', 'refId', 'field'] as const;

/**
 * The upload routes store files; they never link one into a record (a ticket's attachment, an
 * inbound mail's raw file, a user): that would bypass the attachment rules, the server-written
 * types and the history. Refused whatever the target, before anything is stored.
 */
function refuseRecordLink(body: unknown, where: string): void {
  if (typeof body !== 'object' || body === null) return;
  const linked = RECORD_LINK_FIELDS.filter((key) => Object.hasOwn(body, key));
  if (linked.length === 0) return;
  // a PolicyError: Strapi turns any other ForbiddenError from a route into a bare "Forbidden"
  throw new errors.PolicyError(`Uploads are not linked into records (${linked.join(', ')}): ${where}`);
}

/** The image service's steps that decode a whole image with sharp. */
const DECODING_STEPS = ['isFaultyImage', 'optimize', 'generateThumbnail', 'generateResponsiveFormats'] as const;

/** What each decoding step gives for an image stored as received: valid, unchanged, no copies. */
const AS_RECEIVED: Record<(typeof DECODING_STEPS)[number], (file: ImageFile) => Promise<unknown>> = {
  isFaultyImage: async () => false,
  optimize: async (file) => file,
  generateThumbnail: async () => null,
  generateResponsiveFormats: async () => [],
};

/**
 * An image past IMAGE_MAX_PIXELS is refused (400) before the upload plugin decodes it, whatever
 * route it came by (REST, the admin media library, ticket attachments, mail): its check
 * (isFaultyImage), optimisation and formats each decode it whole. The size is read from the header.
 * Inside withImagesAsReceived (a mail's files) those steps are skipped: the image is kept as sent.
 */
function guardImageDecoding(service: ImageService): ImageService {
  const guarded: ImageService = { ...service };
  for (const step of DECODING_STEPS) {
    const original = service[step];
    if (typeof original !== 'function') throw new Error(`@strapi/upload's image-manipulation has no ${step}: review the helpdesk's server/src/extensions/upload.ts`);
    guarded[step] = async (file, ...rest) => {
      const refusal = file.filepath ? await imagePixelRefusal(file.filepath) : null;
      if (refusal) throw new errors.ValidationError(`"${file.name ?? 'image'}": ${refusal}`);
      if (imagesStoredAsReceived()) return AS_RECEIVED[step](file);
      return original(file, ...rest);
    };
  }
  return guarded;
}

/**
 * The upload plugin does not record who uploaded a file through the REST API (createdBy is for
 * admins only). Ticket attachments need to know, so that an agent attaches only files of their
 * own (api/attachment/domain/file-ownership.ts): each file gets a private link to its uploader.
 */
/**
 * Patched in the helpdesk's register() (the content type before the database schema is built from
 * it). Always: the uploader relation and the image steps, which the helpdesk's own files need. With
 * `guardRoutes` (config host.uploadGuards), also the upload routes of the whole app.
 */
export function patchUploadPlugin(strapi: Core.Strapi, { guardRoutes }: { guardRoutes: boolean }): void {
  (strapi.get('content-types') as Registry<{ attributes: Record<string, unknown> }>).extend(UPLOAD_FILE, (file) => {
    file.attributes[API_UPLOADER_ATTRIBUTE] = {
      type: 'relation',
      relation: 'manyToOne',
      target: UP_USER,
      private: true,
      configurable: false,
    };
  });
  // a malformed IMAGE_MAX_PIXELS stops the start rather than every image upload
  imagePixelLimit(env);
  (strapi.get('services') as Registry<ImageService>).extend('plugin::upload.image-manipulation', guardImageDecoding);
  if (guardRoutes) guardUploadRoutes(strapi);
}

function guardUploadRoutes(strapi: Core.Strapi): void {

  // POST /api/upload?id=N replaces file N or rewrites its details, whoever uploaded it: over
  // the REST API only the uploader may do either (an admin's private file stays the admin's).
  const controllers = strapi.get('controllers') as Registry<ContentApiController>;
  controllers.extend('plugin::upload.content-api', (controller) => {
    const upload = controller.upload;
    controller.upload = async function uploadOwnFilesOnly(ctx) {
      refuseRecordLink(ctx.request.body, 'files are attached to tickets through POST /api/tickets/:id/attachments');
      if (ctx.query.id !== undefined) {
        const caller = restCaller(strapi);
        if (caller && !(await isOwnUpload(strapi, Number(ctx.query.id), caller.userId))) {
          throw new errors.ForbiddenError('Only the user who uploaded a file may replace or edit it');
        }
      }
      return upload.call(controller, ctx);
    };
    return controller;
  });
  // the admin panel's POST /upload takes the same fields (the panel itself never sends them)
  controllers.extend('plugin::upload.admin-upload', (adminUpload) => {
    const guardedAdminUpload: ContentApiController = {
      ...adminUpload,
      async upload(ctx) {
        refuseRecordLink(ctx.request.body, "files are attached to tickets in the ticket's view or the Content Manager");
        return adminUpload.upload.call(guardedAdminUpload, ctx);
      },
    };
    return guardedAdminUpload;
  });
}

/** In the helpdesk's bootstrap (after the upload plugin's own). */
export function bootstrapUploadPatches(strapi: Core.Strapi): void {
  recordApiUploaders(strapi);
}
