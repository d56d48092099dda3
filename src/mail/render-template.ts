/** Values a template may use as {name}. Missing values render as empty text. */
export type TemplateVariables = Record<string, string | number | null | undefined>;

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

/** Plain text as HTML: escaped, line breaks kept. */
export const textToHtml = (text: string): string =>
  `<div style="font-family:sans-serif;white-space:pre-wrap">${escapeHtml(text)}</div>`;

/**
 * Fills {variables} into a template's subject and bodies. Values are HTML-escaped in the HTML
 * body (and only there); a template without an HTML body gets one made from its text body.
 * An unknown placeholder is left as written, never an error.
 */
export function renderTemplate(
  template: { subject: string; textBody: string; htmlBody?: string | null },
  variables: TemplateVariables
): RenderedTemplate {
  const unknown = new Set<string>();
  const plain = (v: string) => v.replace(/[\r\n]+/g, ' ');
  const subject = fill(template.subject, variables, unknown, plain);
  const text = fill(template.textBody, variables, unknown, (v) => v);
  const html = template.htmlBody?.trim()
    ? fill(template.htmlBody, variables, unknown, escapeHtml)
    : textToHtml(text);
  return { subject, text, html, unknown: [...unknown] };
}
