import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/**
 * What a ticket attachment may be: size limits and the types refused. Kept free of Strapi's
 * runtime so that config/plugins.ts and config/middlewares.ts read the same values as the code.
 */

type Env = Core.Config.Shared.ConfigParams['env'];

export interface AttachmentLimits {
  /** Largest file, in bytes (ATTACHMENT_MAX_BYTES, default 10 MB). */
  maxFileBytes: number;
  /** Files per upload request (ATTACHMENT_MAX_FILES, default 5). */
  maxFiles: number;
  /** File bytes one multipart request may carry: the body parser stops reading beyond this. */
  maxRequestBytes: number;
}

export function attachmentLimits(env: Env): AttachmentLimits {
  const maxFileBytes = env.int('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024);
  const maxFiles = env.int('ATTACHMENT_MAX_FILES', 5);
  if (!(maxFileBytes > 0) || !(maxFiles > 0)) {
    throw new Error('ATTACHMENT_MAX_BYTES and ATTACHMENT_MAX_FILES must be positive integers');
  }
  return { maxFileBytes, maxFiles, maxRequestBytes: maxFileBytes * maxFiles };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Executables, installers, scripts and types a browser runs (svg, html): refused by name. */
export const DENIED_EXTENSIONS: ReadonlySet<string> = new Set([
  // Windows
  'exe', 'dll', 'bat', 'cmd', 'com', 'msi', 'msp', 'msc', 'scr', 'pif', 'cpl', 'hta', 'lnk', 'reg', 'inf', 'scf',
  'gadget', 'vbs', 'vbe', 'js', 'jse', 'wsf', 'wsh', 'ps1', 'psm1', 'psd1',
  // Unix, macOS, Android, Java
  'sh', 'bash', 'zsh', 'csh', 'ksh', 'run', 'bin', 'elf', 'so', 'dylib', 'app', 'dmg', 'pkg', 'deb', 'rpm',
  'appimage', 'apk', 'jar', 'mjs', 'cjs', 'php', 'phtml', 'py', 'pl', 'rb', 'cgi', 'wasm',
  // script-capable in a browser when served back
  'svg', 'svgz', 'html', 'htm', 'xhtml', 'shtml', 'mht', 'mhtml', 'swf',
]);

/** The same kinds by MIME type; also added to the upload plugin's deny list (config/plugins.ts). */
export const DENIED_MIME_TYPES: readonly string[] = [
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/vnd.microsoft.portable-executable',
  'application/x-dosexec',
  'application/x-ms-installer',
  'application/x-msi',
  'application/x-ms-shortcut',
  'application/x-executable',
  'application/x-elf',
  'application/x-sharedlib',
  'application/x-mach-binary',
  'application/x-apple-diskimage',
  'application/x-debian-package',
  'application/x-redhat-package-manager',
  'application/x-makeself',
  'application/vnd.android.package-archive',
  'application/java-archive',
  'application/x-java-archive',
  'application/x-sh',
  'application/x-csh',
  'text/x-shellscript',
  'application/x-bat',
  'application/x-powershell',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'text/javascript',
  'text/ecmascript',
  'text/vbscript',
  'application/x-vbscript',
  'application/hta',
  'application/x-httpd-php',
  'application/x-perl',
  'text/x-python',
  'application/wasm',
  'application/x-shockwave-flash',
  'image/svg+xml',
  'text/html',
  'application/xhtml+xml',
];

const deniedMimeTypes = new Set(DENIED_MIME_TYPES);

/**
 * A file name as Windows and many tools store it: trailing dots and spaces dropped, so that
 * "x.html." or "run.sh " is checked as the .html or .sh file it becomes on the requester's disk.
 */
export const normalisedFileName = (filename: string): string => filename.replace(/[.\s]+$/u, '');

/** The lower-cased extension without its dot ('' when there is none), of the normalised name. */
export const extensionOf = (filename: string): string => path.extname(normalisedFileName(filename)).slice(1).toLowerCase();

type Maybe = string | null | undefined;

/** Why a file with these names (or extensions, '.exe') and types may not be attached, or null when it may. */
export function deniedTypeReason(names: readonly Maybe[], mimeTypes: readonly Maybe[]): string | null {
  for (const name of names) {
    const extension = name ? extensionOf(name.startsWith('.') ? `file${name}` : name) : '';
    if (DENIED_EXTENSIONS.has(extension)) return `.${extension} files are not accepted (executable or script)`;
  }
  for (const mime of mimeTypes) {
    const type = mime?.split(';')[0].trim().toLowerCase();
    if (type && deniedMimeTypes.has(type)) return `files of type ${type} are not accepted (executable or script)`;
  }
  return null;
}

const MAGIC_NUMBERS: ReadonlyArray<{ bytes: readonly number[]; kind: string }> = [
  { bytes: [0x4d, 0x5a], kind: 'a Windows executable (application/x-msdownload)' }, // "MZ": exe, dll, scr, sys
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'an ELF executable (application/x-elf)' },
  { bytes: [0xfe, 0xed, 0xfa, 0xce], kind: 'a Mach-O executable (application/x-mach-binary)' },
  { bytes: [0xfe, 0xed, 0xfa, 0xcf], kind: 'a Mach-O executable (application/x-mach-binary)' },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], kind: 'a Mach-O executable (application/x-mach-binary)' },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], kind: 'a Mach-O executable (application/x-mach-binary)' },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], kind: 'a Mach-O or Java executable (application/x-mach-binary)' },
  { bytes: [0x00, 0x61, 0x73, 0x6d], kind: 'WebAssembly (application/wasm)' },
  { bytes: [0x23, 0x21], kind: 'a script (#!, text/x-shellscript)' },
];

/**
 * Images the server decodes (the upload plugin's check, optimisation and thumbnails, with sharp) may
 * have at most IMAGE_MAX_PIXELS pixels, counted from the header before anything is decoded. The
 * default, 40 megapixels, passes phone photos (12-24 MP), 5K screenshots (15 MP) and A4 scans at 600
 * dpi (35 MP); decoding one costs at most 160 MB (4 bytes a pixel). A 10000×10000 PNG of 300 KB
 * would cost 400 MB or more and seconds of CPU.
 */
export function imagePixelLimit(env: Env): number {
  const limit = env.int('IMAGE_MAX_PIXELS', 40_000_000);
  if (!(limit > 0)) throw new Error('IMAGE_MAX_PIXELS must be a positive integer');
  return limit;
}

/** An image's size as its header states it; `pages` frames of an animated image are all decoded. */
export interface ImageDimensions {
  width?: number;
  height?: number;
  pages?: number;
}

const megapixels = (pixels: number): string => `${+(pixels / 1_000_000).toFixed(1)} megapixels`;

/** Why an image of these dimensions is not decoded, or null when it is within `limit` pixels. */
export function imagePixelReason({ width, height, pages }: ImageDimensions, limit: number): string | null {
  if (!width || !height) return null;
  const frames = pages && pages > 1 ? pages : 1;
  const pixels = width * height * frames;
  if (pixels <= limit) return null;
  const size = frames > 1 ? `${frames} frames of ${width}×${height} pixels` : `${width}×${height} pixels`;
  return `the image is ${size} (${megapixels(pixels)}); images may have at most ${megapixels(limit)}`;
}

/** How many bytes of a file executableKind reads. */
export const MAGIC_BYTES_NEEDED = 4;

/**
 * What executable the first bytes of a file show, or null. The upload plugin's own detection
 * (file-type) misses scripts and, when it cannot run, lets the file through with a warning; this
 * check reads the bytes itself and covers the kinds that must never be stored.
 */
export function executableKind(head: Buffer): string | null {
  const match = MAGIC_NUMBERS.find(({ bytes }) => head.length >= bytes.length && bytes.every((byte, i) => head[i] === byte));
  return match?.kind ?? null;
}

interface FormidableError {
  code?: unknown;
  httpCode?: unknown;
  message: string;
}

// formidable's code for "options.maxFileSize exceeded" (all files of one request, in formidable 2)
const FORMIDABLE_MAX_FILE_SIZE = 1009;

/**
 * koa-body's onError for strapi::body: formidable's refusals become Strapi's 4xx errors with a
 * clear message instead of a bare "FileTooBig" (or a 500 for the others). Other errors go on as
 * they are. The message must not contain "maxFileSize": Strapi's body middleware rewrites those.
 */
export function multipartErrorHandler(limits: AttachmentLimits) {
  return (error: Error): never => {
    const { code, httpCode } = error as FormidableError;
    if (code === FORMIDABLE_MAX_FILE_SIZE) {
      throw new errors.PayloadTooLargeError(
        `The files in one request may total at most ${formatBytes(limits.maxRequestBytes)} ` +
          `(at most ${limits.maxFiles} files of ${formatBytes(limits.maxFileBytes)} each)`
      );
    }
    if (httpCode === 413) throw new errors.PayloadTooLargeError(error.message);
    if (typeof httpCode === 'number' && httpCode >= 400 && httpCode < 500) throw new errors.ValidationError(error.message);
    throw error;
  };
}
