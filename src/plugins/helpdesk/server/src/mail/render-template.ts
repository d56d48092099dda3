import { compile, type DomNode, type FormatCallback } from 'html-to-text';

/** Values a template may use as {name}. Missing values render as empty text. */
export type TemplateVariables = Record<string, string | number | null | undefined>;

/** A stored template: one body, HTML with {variables}; the mail's text part is derived from it. */
export interface TemplateSource {
  subject: string;
  body: string;
}

export interface RenderedTemplate {
  subject: string;
  text: string;
  html: string;
  /** Placeholders the template used that have no value: left visible, reported to the caller. */
  unknown: string[];
}

const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/gi;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function fill(template: string, variables: TemplateVariables, unknown: Set<string>, escape: (v: string) => string) {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(variables, name)) {
      unknown.add(name);
      return whole;
    }
    const value = variables[name];
    return escape(value === null || value === undefined ? '' : String(value));
  });
}

/** Fills {variables} into plain text (a canned reply, a macro's reply), as typed; unknown ones stay as written. */
export function fillText(text: string, variables: TemplateVariables): string {
  return fill(text, variables, new Set<string>(), (value) => value);
}

/** Plain text as HTML: escaped, line breaks kept. */
export const textToHtml = (text: string): string =>
  `<div style="font-family:sans-serif;white-space:pre-wrap">${escapeHtml(text)}</div>`;

/** A value in HTML: escaped, its line breaks kept whatever the element's white-space. */
const htmlValue = (value: string): string => escapeHtml(value).replace(/\r?\n/g, '<br>');

const textOf = (node: DomNode): string => (node.type === 'text' ? node.data ?? '' : (node.children ?? []).map(textOf).join(''));
const rowsOf = (node: DomNode): DomNode[] =>
  (node.children ?? []).flatMap((child) => (child.name === 'tr' ? [child] : ['thead', 'tbody', 'tfoot'].includes(child.name ?? '') ? rowsOf(child) : []));

/**
 * A table in a mail is a list of labelled values ("Subject | Printer"): in text, one line per row,
 * "Subject: Printer" (a label ending in ":" gets no second one), further cells after commas.
 */
const labelledRows: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  for (const row of rowsOf(elem)) {
    const cells = row.children.filter((cell) => cell.name === 'td' || cell.name === 'th');
    builder.openBlock({ leadingLineBreaks: 1 });
    cells.forEach((cell, index) => {
      if (index === 1) builder.addInline(/:\s*$/.test(textOf(cells[0])) ? ' ' : ': ');
      else if (index > 1) builder.addInline(', ');
      walk(cell.children, builder);
    });
    builder.closeBlock({ trailingLineBreaks: 1 });
  }
  builder.closeBlock({ trailingLineBreaks: 2 });
};

/**
 * The text part, from the template's HTML before values go in: a value is then never read as HTML
 * (a "<b>" someone typed stays as typed), and line breaks, links and lists of the template are kept.
 * Mail clients wrap lines themselves; headings keep their case, so a {variable} in them is still found.
 */
const htmlToText = compile({
  wordwrap: false,
  formatters: { labelledRows },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'labelledRows' },
    { selector: 'img', format: 'skip' },
  ],
});

/** Converted bodies: a template changes rarely and every mail of it would convert it again (about 1 ms). */
const textOfBody = new Map<string, string>();
const TEXT_CACHE_SIZE = 100;

function templateText(body: string): string {
  let text = textOfBody.get(body);
  if (text === undefined) {
    if (textOfBody.size >= TEXT_CACHE_SIZE) textOfBody.clear();
    // the converter trims line ends; a signature separator is "-- " with its space (RFC 3676)
    textOfBody.set(body, (text = htmlToText(body).replace(/^--$/gm, '-- ')));
  }
  return text;
}

/**
 * Fills {variables} into a template's subject and body: values are HTML-escaped in the HTML part,
 * as typed in the text part (derived from the body) and on one line in the subject.
 * An unknown placeholder is left as written, never an error.
 */
export function renderTemplate(template: TemplateSource, variables: TemplateVariables): RenderedTemplate {
  const unknown = new Set<string>();
  const plain = (v: string) => v.replace(/[\r\n]+/g, ' ');
  const subject = fill(template.subject, variables, unknown, plain);
  const html = fill(template.body, variables, unknown, htmlValue);
  const text = fill(templateText(template.body), variables, unknown, (v) => v);
  return { subject, text, html, unknown: [...unknown] };
}
