import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors, z } from '@strapi/utils';
import { fieldValidationError, parseInput } from '../validation/parse';
import { deniedTypeReason, formatBytes, type AttachmentLimits } from '../domain/attachment-policy';
import { fileContentRefusal, imagePixelRefusal, readHead } from '../domain/file-content';
import { filesField, type MultipartFile } from '../domain/multipart-files';
import { settledInGroups } from '../domain/file-groups';
import { pluginRequire } from '../plugin-files';


export interface TicketAttachmentRequest {
  ticketDocumentId: string;
  commentDocumentId?: string;
  files: MultipartFile[];
}

const documentId = z.string().trim().min(1).max(64);
const bodySchema = z.object({ comment: documentId.optional() }).strict();

/** The route's params, fields and files: `files` (one or more) and an optional `comment`. */
export function validateTicketAttachmentRequest(
  params: Record<string, unknown>,
  body: unknown,
  files: Record<string, unknown> | undefined,
  limits: AttachmentLimits
): TicketAttachmentRequest {
  const ticketDocumentId = documentId.safeParse(params.documentId);
  if (!ticketDocumentId.success) throw new errors.NotFoundError('Ticket not found');

  const uploaded = filesField(files);
  if (uploaded.length === 0) {
    throw fieldValidationError('files', 'at least one file is required (multipart/form-data, field "files")');
  }
  if (uploaded.length > limits.maxFiles) {
    throw fieldValidationError('files', `at most ${limits.maxFiles} files per request, got ${uploaded.length}`);
  }

  const fields = parseInput(bodySchema, body ?? {});
  return { ticketDocumentId: ticketDocumentId.data, commentDocumentId: fields.comment, files: uploaded };
}

interface SecurityResult {
  isValid: boolean;
  detectedMime?: string;
  error?: { message: string; details?: { detectedType?: string } };
}

interface UploadSecurity {
  validateFile(file: MultipartFile, config: unknown, strapi: Core.Strapi): Promise<SecurityResult>;
}

/**
 * The upload plugin's own check (allow and deny lists of config/plugins.ts, the type detected from
 * the content with file-type), as /api/upload runs it. The plugin does not export it, so it is
 * loaded from its build; if an upgrade moves it, Strapi fails at boot instead of skipping the check.
 */
const uploadSecurity = pluginRequire(
  path.join(path.dirname(pluginRequire.resolve('@strapi/upload/package.json')), 'dist/server/utils/mime-validation.js')
) as UploadSecurity;
if (typeof uploadSecurity.validateFile !== 'function') {
  throw new Error('@strapi/upload no longer provides validateFile: review the helpdesk plugin server/src/validators/attachment-upload.ts');
}

// as the upload plugin checks names (sindresorhus/valid-filename)
const invalidFilename = /[<>:"/\\|?*\u0000-\u001F]|^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$|^\.\.?$/i;

const refuse = (filename: string, reason: string) => fieldValidationError('files', `"${filename}": ${reason}`);

/**
 * Refuses the whole request before anything is stored: any file over the size limit (413), empty,
 * badly named, of a refused type by name, declared type or content, or an image past the pixel
 * limit (400). Each message names the file. Sets each file's detected type for the upload service.
 */
export async function checkAttachmentFiles(strapi: Core.Strapi, files: MultipartFile[], limits: AttachmentLimits): Promise<void> {
  for (const file of files) {
    const name = file.originalFilename ?? 'unnamed';
    if (file.size > limits.maxFileBytes) {
      const limit = `${formatBytes(limits.maxFileBytes)} (${limits.maxFileBytes} bytes)`;
      throw new errors.PayloadTooLargeError(`"${name}" is ${file.size} bytes; a file may be at most ${limit}`, {
        errors: [{ path: ['files'], message: `"${name}" is larger than ${limit}`, name: 'PayloadTooLargeError' }],
      });
    }
  }
  const security = strapi.config.get('plugin::upload.security', {});
  // a few files at once (reading them is most of the work); the first refused file, in order, is the answer
  const checked = await settledInGroups(files, async (file) => {
    const name = file.originalFilename ?? '';
    if (!name || name.length > 255 || invalidFilename.test(name)) throw refuse(name, 'the file name is missing or not allowed');
    if (file.size === 0) throw refuse(name, 'the file is empty');
    const byContent = fileContentRefusal([name], [file.mimetype], await readHead(file.filepath));
    if (byContent) throw refuse(name, byContent);

    const result = await uploadSecurity.validateFile(file, security, strapi);
    const byDetectedType = deniedTypeReason([], [result.detectedMime, result.error?.details?.detectedType]);
    if (byDetectedType) throw refuse(name, byDetectedType);
    if (!result.isValid) throw refuse(name, result.error?.message ?? 'this type of file is not accepted');
    if (result.detectedMime) file.detectedMimeType = result.detectedMime;
    const tooManyPixels = await imagePixelRefusal(file.filepath);
    if (tooManyPixels) throw refuse(name, tooManyPixels);
  });
  const refused = checked.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (refused) throw refused.reason;
}
