import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { UPLOAD_FILE } from '../../../shared/uids';

/**
 * Who may attach which media file. The media library holds everyone's uploads (an admin's private
 * files too) and a file id is a small integer, so a REST caller may attach only a file it
 * uploaded itself: in the same request (POST /api/tickets/:id/attachments), or earlier through
 * /api/upload as the same users-permissions user. Admins in the panel and server code choose
 * from the whole library. The rule is enforced in the attachment document hook.
 */

/** The users-permissions user who uploaded a file through the REST API (admins are in createdBy). */
export const API_UPLOADER_ATTRIBUTE = 'apiUploader';

interface AuthState {
  user?: { id?: number };
  auth?: { strategy?: { name?: string } };
}

/** A REST API caller (users-permissions user, Public role or API token): null for the admin panel and server code. */
export interface RestCaller {
  userId: number | null;
}

export function restCaller(strapi: Core.Strapi): RestCaller | null {
  const context = strapi.requestContext.get();
  if (!context) return null;
  const state = context.state as AuthState;
  const strategy = state.auth?.strategy?.name;
  if (strategy === undefined || strategy === 'admin') return null;
  const userId = strategy === 'users-permissions' ? state.user?.id : undefined;
  return { userId: typeof userId === 'number' ? userId : null };
}

/** A file the current call has just uploaded (and checked), as its attachment records it. */
export interface FreshUpload {
  name: string;
  mime: string;
  /** the exact size (the media library keeps kilobytes) */
  bytes: number;
  /** the media library's size, in kilobytes */
  kilobytes: number;
}

/** Files the current call has just uploaded, by file id. */
const freshUploads = new AsyncLocalStorage<ReadonlyMap<number, FreshUpload>>();

export const withFreshUploads = <T>(files: ReadonlyMap<number, FreshUpload>, work: () => Promise<T>): Promise<T> =>
  freshUploads.run(files, work);

/** A file uploaded by this call, or undefined when it was not. */
export const freshUpload = (fileId: number): FreshUpload | undefined => freshUploads.getStore()?.get(fileId);

interface FileCreateEvent {
  params: { data?: Record<string, unknown> };
}

/** Stamps every media file a users-permissions user uploads with its uploader: the upload plugin
 * records only admins (createdBy). Runs on the file row's insert, so nothing can come in between. */
export function recordApiUploaders(strapi: Core.Strapi): void {
  strapi.db.lifecycles.subscribe({
    models: [UPLOAD_FILE],
    beforeCreate(event: FileCreateEvent) {
      const caller = restCaller(strapi);
      if (caller?.userId != null && event.params.data) {
        event.params.data[API_UPLOADER_ATTRIBUTE] = caller.userId;
      }
    },
  });
}

/** Whether the REST caller uploaded media file `fileId` itself (through the REST API, as this user). */
export async function isOwnUpload(strapi: Core.Strapi, fileId: number, userId: number | null): Promise<boolean> {
  if (userId === null || !Number.isInteger(fileId)) return false;
  const file = (await strapi.db.query(UPLOAD_FILE).findOne({
    where: { id: fileId },
    select: ['id'],
    populate: { [API_UPLOADER_ATTRIBUTE]: { select: ['id'] } },
  })) as { [API_UPLOADER_ATTRIBUTE]?: { id: number } | null } | null;
  return file?.[API_UPLOADER_ATTRIBUTE]?.id === userId;
}
