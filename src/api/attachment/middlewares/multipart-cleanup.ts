import { rm } from 'node:fs/promises';

interface MultipartContext {
  request: { files?: Record<string, unknown> };
}

const tempPaths = (files: Record<string, unknown> | undefined): string[] =>
  Object.values(files ?? {})
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .map((file) => (file as { filepath?: unknown } | null)?.filepath)
    .filter((filepath): filepath is string => typeof filepath === 'string');

/**
 * Removes the request's multipart temp files once the route is done, whatever happened. Strapi's
 * body parser removes only the `files` field, and only when the request succeeds: a refused upload
 * would otherwise leave every file it carried in the temp directory.
 */
export default () => async (ctx: MultipartContext, next: () => Promise<unknown>) => {
  try {
    await next();
  } finally {
    await Promise.all(tempPaths(ctx.request.files).map((filepath) => rm(filepath, { force: true })));
  }
};
