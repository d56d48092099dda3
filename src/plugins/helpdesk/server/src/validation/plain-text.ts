/**
 * Guest text is stored as plain text. Anything shaped like markup (tags, comments, doctype,
 * processing instructions, even unterminated ones) is removed, control characters too, so the
 * stored value cannot become markup wherever it is shown; HTML output escapes it on top.
 */
const MARKUP = /<(?:!--[\s\S]*?(?:-->|$)|[!?/]?[a-zA-Z][^>]*(?:>|$))/g;
// C0 controls except tab and line breaks, DEL, and the bidi overrides used to disguise text
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g;

export function toPlainText(value: string): string {
  let text = value.replace(CONTROL, '');
  // repeat: removing one tag can join the halves of another (`<scr<b>ipt>`)
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(MARKUP, '');
  }
  return text.replace(/\r\n?/g, '\n').trim();
}
