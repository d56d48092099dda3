import { fieldValidationError } from '../validation/parse';

/** A file as Strapi's body parser (formidable) hands it over, already in a temp file. */
export interface MultipartFile {
  filepath: string;
  originalFilename: string | null;
  mimetype: string | null;
  size: number;
  /** Set from the content by the upload plugin's check; the upload service stores it as the file's mime. */
  detectedMimeType?: string;
}

// A global symbol: config/middlewares.ts and the controllers may load this module separately.
const PART_INDEX = Symbol.for('helpdesk.multipartPartIndex');
let nextPartIndex = 0;

/**
 * formidable's `fileBegin` listener (strapi::body's `formidable.onFileBegin`). formidable lists a
 * field's files in the order their temp files finish writing, which is not always the order they
 * were sent; `fileBegin` fires in the order of the parts, so each file is stamped with it here.
 */
export function stampPartOrder(_field: string, file: object): void {
  (file as Record<symbol, number>)[PART_INDEX] = nextPartIndex++;
}

const partIndex = (file: MultipartFile): number => (file as unknown as Record<symbol, number | undefined>)[PART_INDEX] ?? 0;

const isMultipartFile = (value: unknown): value is MultipartFile =>
  typeof value === 'object' && value !== null && typeof (value as MultipartFile).filepath === 'string';

/** The files of multipart field `files` (one or more), in the order they were sent; any other file field is refused. */
export function filesField(files: Record<string, unknown> | undefined): MultipartFile[] {
  const other = Object.keys(files ?? {}).find((field) => field !== 'files');
  if (other) throw fieldValidationError(other, `${other} is not a known field: send files as "files"`);
  return ([] as unknown[])
    .concat(files?.files ?? [])
    .filter(isMultipartFile)
    .sort((a, b) => partIndex(a) - partIndex(b));
}
