/**
 * A customer's HTML mail as the document of a sandboxed iframe. The HTML was sanitised at
 * ingestion (src/mail-ingestion/html.ts); here inline images point at their stored files, remote
 * images load only when staff asked, and the document's own Content-Security-Policy says the same
 * again, so nothing the sanitiser let through can load anything else.
 */
import type { TimelineAttachment } from './types';

/** The attributes html.ts writes (it is server code; the names are repeated, not imported). */
const REMOTE_IMAGE = 'data-remote-src';
const INLINE_FILE = 'data-inline-file';
const INLINE_INDEX = 'data-inline-index';
const QUOTE = 'data-quote';

export const QUOTED_HISTORY_LABEL = 'Quoted history';

/** Whether a fragment of the mail shows anything: text or an image. */
const showsSomething = (node: Node): boolean =>
  (node.textContent ?? '').trim() !== '' || (node instanceof Element && (node.tagName === 'IMG' || node.querySelector('img') !== null));

/** Whether anything shown comes before `node` in the document. */
function anythingBefore(doc: Document, node: Node): boolean {
  const range = doc.createRange();
  range.setStart(doc.body, 0);
  range.setEndBefore(node);
  return showsSomething(range.cloneContents());
}

/** Whether anything shown comes after `node` and its following siblings (outside their parent). */
function anythingAfterParent(doc: Document, node: Element): boolean {
  for (let element = node.parentElement; element && element !== doc.body; element = element.parentElement) {
    for (let after = element.nextSibling; after; after = after.nextSibling) if (showsSomething(after)) return true;
  }
  return false;
}

/**
 * A reply's quoted history (from where its mail program marked it, html.ts, to the end) folded
 * into a <details> staff can open, as mail programs show it. Only when it ends the mail and
 * something was written above it: a reply written between the quotes, or a mail that is all
 * quote (a forward), stays as it is.
 */
function foldQuotedHistory(doc: Document): void {
  const start = doc.body.querySelector(`[${QUOTE}]`);
  const parent = start?.parentElement;
  if (!start || !parent || !anythingBefore(doc, start) || anythingAfterParent(doc, start)) return;
  const folded: ChildNode[] = [];
  for (let node: ChildNode | null = start; node; node = node.nextSibling) folded.push(node);
  const details = doc.createElement('details');
  details.setAttribute('data-quoted-history', '');
  const summary = doc.createElement('summary');
  summary.textContent = QUOTED_HISTORY_LABEL;
  parent.insertBefore(details, start);
  details.append(summary, ...folded);
}

export interface MailDocument {
  /** The iframe's srcdoc. */
  srcdoc: string;
  /** Remote images in the mail (loaded only when `showRemote`). */
  remoteImages: number;
  /** Files shown in the mail's body (inline images), not to be listed again below it. */
  shownInline: Set<number>;
}

const originOf = (url: string): string | null => {
  try {
    return new URL(url, window.location.href).origin;
  } catch {
    return null;
  }
};

/** The files by name, in their stored order (a mail may have several parts named image.png). */
function filesByName(files: TimelineAttachment[]): Map<string, TimelineAttachment[]> {
  const byName = new Map<string, TimelineAttachment[]>();
  for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
  return byName;
}

export function mailDocument(html: string, files: TimelineAttachment[], showRemote: boolean, fontFamily: string): MailDocument {
  // DOMParser runs no script and loads nothing: a document to rewrite, never shown itself
  const doc = new DOMParser().parseFromString(`<!doctype html><html><head></head><body>${html}</body></html>`, 'text/html');
  const byName = filesByName(files);
  const shownInline = new Set<number>();
  const imageOrigins = new Set<string>();

  for (const image of Array.from(doc.querySelectorAll('img'))) {
    const inlineName = image.getAttribute(INLINE_FILE);
    const remote = image.getAttribute(REMOTE_IMAGE);
    if (inlineName !== null) {
      const file = byName.get(inlineName)?.[Number(image.getAttribute(INLINE_INDEX) ?? 0)];
      const origin = file?.url ? originOf(file.url) : null;
      if (file?.url && origin) {
        image.setAttribute('src', file.url);
        shownInline.add(file.id);
        imageOrigins.add(origin);
        continue;
      }
    }
    if (remote !== null && showRemote && /^https?:\/\//i.test(remote)) {
      image.setAttribute('src', remote);
      continue;
    }
    // a cid: part that was not stored (too large, refused) or a remote image not asked for
    if (!/^data:image\//i.test(image.getAttribute('src') ?? '')) image.removeAttribute('src');
  }

  foldQuotedHistory(doc);

  const policy = [
    "default-src 'none'",
    `img-src data: ${[...imageOrigins].join(' ')}${showRemote ? ' http: https:' : ''}`,
    "style-src 'unsafe-inline'",
  ].join('; ');
  const head = [
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    // a remote image learns nothing about the panel (the ticket's address) when it loads
    '<meta name="referrer" content="no-referrer">',
    '<base target="_blank">',
    `<style>html,body{margin:0;padding:0;background:transparent}body{font-family:${fontFamily.replace(/[<>]/g, '')};font-size:14px;line-height:1.43;color:#32324d;overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #dcdce4}img:not([src]){display:inline-block;min-width:16px;min-height:16px;outline:1px dashed #c0c0cf;color:#666687;font-size:12px}details[data-quoted-history]>summary{display:inline-block;margin:8px 0;padding:0 8px;border:1px solid #dcdce4;border-radius:4px;color:#666687;font-size:12px;cursor:pointer;list-style:none}details[data-quoted-history]>summary::-webkit-details-marker{display:none}</style>`,
  ].join('');
  doc.head.innerHTML = head;
  return {
    srcdoc: `<!doctype html>${doc.documentElement.outerHTML}`,
    remoteImages: doc.querySelectorAll(`img[${REMOTE_IMAGE}]`).length,
    shownInline,
  };
}
