/**
 * Parse stage, HTML: text for an HTML-only mail, and the mail's HTML reduced to an allow-list that
 * is safe to show in the admin panel. Pure.
 */
import { compile } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

/**
 * Text for an HTML-only mail (parse.ts asks mailparser for none: its conversion runs table cells
 * together, "BrowserResultChrome 131", and prints a tracking pixel's address). Tables read as
 * aligned columns, images are left out, a link shows its address only when its text differs.
 */
const convertHtml = compile({
  wordwrap: false,
  // its walk recurses: 20,000 nested <div> overflowed the stack (text deeper than this is left out)
  limits: { maxDepth: 256 },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { maxColumnWidth: 60, uppercaseHeaderCells: false } },
    { selector: 'img', format: 'skip' },
  ],
});

export const htmlToText = (html: string): string => convertHtml(html);

/** A raster data: image (inline in the HTML itself). */
const DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp|bmp)[;,]/i;
/** A remote image: kept, not loaded (see REMOTE_IMAGE_ATTRIBUTE). */
const REMOTE_IMAGE = /^https?:\/\/[^\s]+$/i;
const SAFE_LINK = /^(?:https?:|mailto:)/i;

/**
 * Where a remote image's address goes instead of `src`: nothing loads it until staff ask ("Show
 * images" in the ticket view copies it back); tracking pixels stay unseen by default.
 */
export const REMOTE_IMAGE_ATTRIBUTE = 'data-remote-src';
/**
 * An inline (cid:) image names the mail part it shows: its file name and which of the mail's parts
 * with that name it is (0 for the first), since the stored attachments know their names, not
 * their Content-IDs. The ticket view points it at that stored file.
 */
export const INLINE_FILE_ATTRIBUTE = 'data-inline-file';
export const INLINE_INDEX_ATTRIBUTE = 'data-inline-index';

/**
 * Where a reply's quoted history starts, as its mail program marks it (classes and ids are not
 * kept): the ticket view folds it away from there. Only the sanitiser sets it.
 */
export const QUOTE_ATTRIBUTE = 'data-quote';

/** The marks of the quoted history: Gmail, Yahoo, Thunderbird's "wrote:" line, Outlook (Windows, web, Mac). */
const QUOTE_CLASSES = /(?:^|\s)(?:gmail_quote|yahoo_quoted|moz-cite-prefix)(?:\s|$)/;
const QUOTE_IDS = /^(?:divRplyFwdMsg|appendonsend|OLK_SRC_BODY_SECTION)$/;

/** A div or blockquote with its allowed attributes, marked when a mail program opened its quoted history there. */
function markQuote(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { [QUOTE_ATTRIBUTE]: _forged, ...kept } = attribs;
  const quote = QUOTE_CLASSES.test(attribs.class ?? '') || QUOTE_IDS.test(attribs.id ?? '') || (tagName === 'blockquote' && /^cite$/i.test(attribs.type ?? ''));
  return { tagName, attribs: quote ? { ...kept, [QUOTE_ATTRIBUTE]: 'true' } : kept };
}

/** A mail part as the sanitiser needs it to resolve cid: references. */
export interface MailPart {
  filename: string;
  contentId: string | null;
}

/*
 * Inline styles: what mail layouts use to look as written (colours, type, alignment, borders,
 * spacing, sizes), each value checked against a pattern without parentheses except rgb()/hsl(), so
 * no url(), expression() or var(); no position, float, transform, z-index or background images.
 */
const LENGTH = String.raw`-?\d*\.?\d+(?:px|pt|em|rem|ex|ch|%|cm|mm|in|vw|vh)?`;
const COLOR = String.raw`(?:#[0-9a-f]{3,8}|(?:rgb|rgba|hsl|hsla)\([\d\s.,%/]+\)|[a-z]+)`;
const BORDER_STYLE = 'none|hidden|solid|dashed|dotted|double|groove|ridge|inset|outset';
const BORDER_WIDTH = 'thin|medium|thick';
const words = (pattern: string): RegExp[] => [new RegExp(`^(?:${pattern})$`, 'i')];
const list = (item: string): RegExp[] => [new RegExp(`^(?:${item})(?:\\s+(?:${item}))*$`, 'i')];
const NON_NEGATIVE = String.raw`\d*\.?\d+(?:px|pt|em|rem|ex|ch|%|cm|mm|in|vw|vh)?`;
const SIZE = words(`${NON_NEGATIVE}|auto|none|inherit`);
const SPACING = list(`${NON_NEGATIVE}|auto|0`);
const BORDER = list(`${NON_NEGATIVE}|${BORDER_WIDTH}|${BORDER_STYLE}|${COLOR}`);

const ALLOWED_STYLES: Record<string, RegExp[]> = {
  color: words(COLOR),
  'background-color': words(COLOR),
  'font-weight': words('normal|bold|bolder|lighter|[1-9]00'),
  'font-style': words('normal|italic|oblique'),
  'font-size': words(`${NON_NEGATIVE}|xx-small|x-small|small|medium|large|x-large|xx-large|smaller|larger`),
  'font-family': [/^[\w\s,'"-]+$/],
  'line-height': words(`${NON_NEGATIVE}|normal`),
  'text-align': words('left|right|center|justify|start|end'),
  'text-decoration': list('none|underline|overline|line-through|solid|double|dotted|dashed|wavy'),
  'text-transform': words('none|uppercase|lowercase|capitalize'),
  'vertical-align': words('top|middle|bottom|baseline|text-top|text-bottom|sub|super'),
  'white-space': words('normal|nowrap|pre|pre-wrap|pre-line'),
  'letter-spacing': words(`${LENGTH}|normal`),
  'text-indent': words(LENGTH),
  border: BORDER,
  'border-top': BORDER,
  'border-right': BORDER,
  'border-bottom': BORDER,
  'border-left': BORDER,
  'border-color': list(COLOR),
  'border-style': list(BORDER_STYLE),
  'border-width': list(`${NON_NEGATIVE}|${BORDER_WIDTH}`),
  'border-collapse': words('collapse|separate'),
  'border-spacing': SPACING,
  'border-radius': SPACING,
  padding: SPACING,
  'padding-top': SPACING,
  'padding-right': SPACING,
  'padding-bottom': SPACING,
  'padding-left': SPACING,
  margin: SPACING,
  'margin-top': SPACING,
  'margin-right': SPACING,
  'margin-bottom': SPACING,
  'margin-left': SPACING,
  width: SIZE,
  'min-width': SIZE,
  'max-width': SIZE,
  height: SIZE,
  'min-height': SIZE,
  'max-height': SIZE,
  display: words('none|block|inline|inline-block|table|table-row|table-cell'),
};

/** Table attributes mail layouts use; none of them loads anything. */
const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height', 'bgcolor', 'scope'];

function sanitizeOptions(parts: readonly MailPart[]): sanitizeHtml.IOptions {
  const inline = inlineReferences(parts);
  return {
    allowedTags: [
      'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup',
      'small', 'big', 'font', 'center', 'blockquote', 'pre', 'code', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
      'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img',
      'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
    ],
    allowedAttributes: {
      '*': ['dir', 'lang', 'style', 'align'],
      a: ['href', 'title', 'name', 'target', 'rel'],
      div: [QUOTE_ATTRIBUTE],
      blockquote: [QUOTE_ATTRIBUTE],
      img: ['src', 'alt', 'title', 'width', 'height', REMOTE_IMAGE_ATTRIBUTE, INLINE_FILE_ATTRIBUTE, INLINE_INDEX_ATTRIBUTE],
      font: ['color', 'face', 'size'],
      ol: ['start', 'type'],
      table: ['border', 'cellpadding', 'cellspacing', 'width', 'bgcolor'],
      tr: ['bgcolor', 'valign'],
      col: ['span', 'width'],
      colgroup: ['span', 'width'],
      th: CELL_ATTRIBUTES,
      td: CELL_ATTRIBUTES,
    },
    // no class (restyling by the panel's own rules) and only the inline styles above
    allowedStyles: { '*': ALLOWED_STYLES },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
    transformTags: {
      div: markQuote,
      blockquote: markQuote,
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
        if (attribs.style) kept.style = attribs.style;
        return { tagName, attribs: kept };
      },
      img: (tagName, attribs) => {
        const { src = '', [REMOTE_IMAGE_ATTRIBUTE]: _remote, [INLINE_FILE_ATTRIBUTE]: _file, [INLINE_INDEX_ATTRIBUTE]: _index, ...rest } = attribs;
        const source = src.trim();
        if (REMOTE_IMAGE.test(source)) return { tagName, attribs: { ...rest, [REMOTE_IMAGE_ATTRIBUTE]: source } };
        if (DATA_IMAGE.test(source)) return { tagName, attribs: { src: source, ...rest } };
        if (!/^cid:/i.test(source)) return { tagName, attribs: rest };
        const part = inline.get(source.slice(4).replace(/^<|>$/g, ''));
        const named: sanitizeHtml.Attributes = part ? { [INLINE_FILE_ATTRIBUTE]: part.filename, [INLINE_INDEX_ATTRIBUTE]: String(part.index) } : {};
        return { tagName, attribs: { src: source, ...rest, ...named } };
      },
    },
    // an <img> left with nothing to show goes (relative paths, svg or other data: types, no source)
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src && !frame.attribs[REMOTE_IMAGE_ATTRIBUTE],
  };
}

/** Content-ID → the part's file name and its index among the parts with that name. */
function inlineReferences(parts: readonly MailPart[]): Map<string, { filename: string; index: number }> {
  const seen = new Map<string, number>();
  const references = new Map<string, { filename: string; index: number }>();
  for (const part of parts) {
    const index = seen.get(part.filename) ?? 0;
    seen.set(part.filename, index + 1);
    if (part.contentId && !references.has(part.contentId)) references.set(part.contentId, { filename: part.filename, index });
  }
  return references;
}

/**
 * The mail's HTML reduced to an allow-list: formatting, tables, lists, safe inline styles, links
 * (opening in a new tab), data: images, cid: images naming their part (`parts`: the mail's
 * attachments in order), remote images parked in REMOTE_IMAGE_ATTRIBUTE. No script, event handler,
 * style sheet, class, form, frame or object.
 */
export function sanitizeMailHtml(html: string, parts: readonly MailPart[] = []): string {
  return sanitizeHtml(html, sanitizeOptions(parts)).trim();
}
