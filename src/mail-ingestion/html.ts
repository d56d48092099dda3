/**
 * Parse stage, HTML: text for an HTML-only mail, and the mail's HTML reduced to an allow-list that
 * is safe to show in the admin panel. Pure.
 */
import { simpleParser } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

/**
 * mailparser derives text from HTML only when the HTML is the whole message or sits next to a text
 * part; an HTML-only mail with attachments or inline images (multipart/mixed or /related around a
 * lone text/html) gets no text. Such HTML goes through mailparser again as a one-part HTML message,
 * so every HTML-only mail gets the same html-to-text conversion.
 */
export async function htmlToText(html: string): Promise<string> {
  const wrapped = Buffer.concat([
    Buffer.from('Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
    Buffer.from(html, 'utf8'),
  ]);
  return (await simpleParser(wrapped, { keepCidLinks: true, skipTextToHtml: true })).text ?? '';
}

/** cid: (an inline part of this mail) or a raster data: image. Anything else is a remote load. */
const SAFE_IMAGE_SOURCE = /^(?:cid:|data:image\/(?:png|jpe?g|gif|webp|bmp)[;,])/i;
const SAFE_LINK = /^(?:https?:|mailto:)/i;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup',
    'small', 'font', 'center', 'blockquote', 'pre', 'code', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img',
    'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    '*': ['dir', 'lang'],
    a: ['href', 'title', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    font: ['color', 'face', 'size'],
    ol: ['start', 'type'],
    table: ['border', 'cellpadding', 'cellspacing', 'width', 'align'],
    col: ['span', 'width'],
    colgroup: ['span', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width', 'scope'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
  },
  // no style or class: CSS can load remote images (background: url(…)) and restyle the page
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  transformTags: {
    a: (tagName, attribs) => {
      const href = (attribs.href ?? '').replace(/[\x00-\x20]+/g, '');
      const kept: sanitizeHtml.Attributes = {};
      if (attribs.title) kept.title = attribs.title;
      if (attribs.name) kept.name = attribs.name;
      if (SAFE_LINK.test(href)) {
        kept.href = href;
        kept.target = '_blank';
        kept.rel = 'noopener noreferrer nofollow';
      }
      return { tagName, attribs: kept };
    },
  },
  // an <img> whose source is not cid:/data:image goes entirely (tracking pixels, relative paths)
  exclusiveFilter: (frame) => frame.tag === 'img' && !SAFE_IMAGE_SOURCE.test((frame.attribs.src ?? '').trim()),
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}
