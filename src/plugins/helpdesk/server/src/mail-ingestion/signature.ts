/**
 * Parse stage, reply text: the signature at the end of a reply, with or without a `-- ` line. Pure;
 * reply-text.ts calls it on what is left once the quoted history is gone.
 *
 * Every rule looks only at the last few lines, one line at a time, and only at lines of at most
 * SIGNATURE_LINE_CHARS: the cost does not grow with the text whatever it holds.
 */

/**
 * Longer than this, a line is prose (a disclaimer, a paragraph), not a name, title or phone; and no
 * regex below is tried on it (some have runs of optional spaces, quadratic on a long line).
 */
const SIGNATURE_LINE_CHARS = 200;
const isShort = (line: string): boolean => line.length <= SIGNATURE_LINE_CHARS;

/** A signature is a short block: more lines than this after its first line is content. */
const SIGNATURE_MAX_LINES = 10;
/** Footer, delimited signature, closing phrase, "-Name": a mail has not more layers than this. */
const SIGNATURE_ROUNDS = 4;
/** After a `-- ` line a signature may be longer (a company's legal footer), up to this. */
const DELIMITED_SIGNATURE_MAX_LINES = 30;
/** A name-and-contacts paragraph with no closing phrase above it is at most this long. */
const CONTACT_CARD_MAX_LINES = 6;
/** Longer than this, a line of a signature block is prose. */
const BLOCK_LINE_CHARS = 80;

/** `-- ` (RFC 3676) or a bare `--` on its own line: everything after it is the signature. */
const STANDARD_DELIMITER = /^--[ \t]?$/;
/** A rule some clients and people put above a signature: ---, ___, ===, an em dash line. */
const RULE_LINE = /^[ \t]*(?:-{3,}|_{2,}|={2,}|[—–]+|\*{3,})[ \t]*$/;

/** What a phone app or web mailer appends: "Sent from my iPhone", "Von meinem iPad gesendet". */
const MOBILE_FOOTER = new RegExp(
  '^(?:' +
    [
      "Sent from (?:my )?[\\p{L}\\d .'’&-]{1,40}",
      'Sent with [\\p{L}\\d .-]{1,30}',
      'Get Outlook for [\\p{L}\\d .-]{1,20}',
      'Von meinem [\\p{L}\\d .-]{1,30} gesendet',
      'Gesendet von [\\p{L}\\d .-]{1,40}',
      'Envoyé (?:de mon|depuis|à partir de|avec) [\\p{L}\\d .-]{1,40}',
      'Télécharger Outlook pour [\\p{L}\\d .-]{1,20}',
      'Enviado (?:desde|de) (?:mi )?[\\p{L}\\d .-]{1,40}',
      'Inviato da [\\p{L}\\d .-]{1,40}',
      'Verzonden (?:vanaf|met) [\\p{L}\\d .-]{1,40}',
      'Verstuurd vanaf [\\p{L}\\d .-]{1,40}',
      '(?:Sendt fra|Skickat från) [\\p{L}\\d .-]{1,40}',
    ].join('|') +
    ')(?:[ \\t]*(?:<[^<>\\s]{1,200}>|\\([^()\\s]{1,200}\\)))?[ \\t]*$',
  'iu'
);

/** "Sent from my iPhone" and the like: nothing of the reply comes below it. */
export const isMobileFooter = (line: string): boolean => isShort(line) && MOBILE_FOOTER.test(line.trim());

/**
 * A closing phrase alone on its line ("Best regards,", "Regards, Roman", "Cheers 🎉"). Those that
 * may end a mail on their own; the others ("Thanks,", "Best,", "LG") only count with a name under
 * them, since "Thanks!" as the last line is as often the message itself.
 */
const STANDALONE_CLOSINGS = [
  '(?:best|kind|kindest|warm|warmest|many|with kind|with best) regards', 'regards', 'best wishes', 'all the best',
  '(?:yours )?(?:sincerely|truly|faithfully)', 'cordially',
  'mit freundlichen gr(?:ü|ue|u)(?:ß|ss)en', 'freundliche gr(?:ü|ue|u)(?:ß|ss)e', '(?:viele|beste|liebe|herzliche|sch(?:ö|oe)ne) gr(?:ü|ue|u)(?:ß|ss)e',
  'cordialement', 'bien cordialement', 'bien (?:à|a) vous', '(?:meilleures |sinc(?:è|e)res )?salutations',
  'saludos', 'un saludo', 'saludos cordiales', 'un cordial saludo', 'cordiales saludos', 'atentamente',
  '(?:met )?vriendelijke groet(?:en)?', 'hartelijke groet(?:en)?', 'groeten',
  '(?:med )?v(?:ä|a)nliga h(?:ä|a)lsningar', 'h(?:ä|a)lsningar', '(?:med )?venlig hilsen', '(?:med )?vennlig hilsen', 'hilsen',
  '(?:distinti|cordiali) saluti', 'atenciosamente', 'pozdrawiam', 'z powa(?:ż|z)aniem', 'с уважением', 'yst(?:ä|a)v(?:ä|a)llisin terveisin',
];
const CLOSINGS_NEEDING_A_NAME = [
  'thanks', 'thank you', 'many thanks', 'thanks again', 'thx', 'cheers', 'best', 'danke', 'vielen dank', 'merci',
  'gracias', 'bedankt', 'tack', 'tak', 'grazie', 'gr(?:ü|ue|u)(?:ß|ss)e', 'gru(?:ß|ss)', 'mfg', 'lg', 'vg', 'mvg', 'gr', 'mvh', 'kh', 'vh',
];
const closingLine = (phrases: string[]): RegExp =>
  new RegExp(
    `^[ \\t]*(?:${phrases.join('|')})(?:[ \\t]*[.!]|[ \\t]*,(?:[ \\t]+\\p{Lu}[\\p{L}.'’-]{0,30}){0,3})?[ \\t!]*[\\p{Extended_Pictographic}\\uFE0F \\t]*$`,
    'iu'
  );
const STANDALONE_CLOSING = closingLine(STANDALONE_CLOSINGS);
const CLOSING_NEEDING_A_NAME = closingLine(CLOSINGS_NEEDING_A_NAME);

/** "-Abhishek Kona", "/John", "— Ann": a name signed off with a dash or a slash. */
const DASH_NAME = /^[ \t]*[-–—/~][ \t]?\p{Lu}[\p{L}.'’-]{0,30}(?:[ \t]\p{Lu}[\p{L}.'’-]{0,30}){0,2}[ \t]*$/u;

const EMAIL = /[^\s@<>()]{1,64}@[^\s@<>()]{1,255}\.[a-z]{2,}/i;
const URL = /(?:https?:\/\/|www\.)\S/i;
const PHONE = /(?:^|[\s(])(?:\+\d|\(\d)[\d ()./-]{6,20}\d|\b(?:tel|phone|ph|mobile|mob|fax|t|f|m|p)\.?[ \t]*:?[ \t]*\+?\d[\d ()./-]{6,20}\d|\b\d{3}[ .-]\d{3}[ .-]\d{4}\b/i;
/** A line of contact details: an address, a link or a phone number. */
const isContactLine = (line: string): boolean => isShort(line) && (EMAIL.test(line) || URL.test(line) || PHONE.test(line));

const isBlank = (line: string): boolean => line.trim() === '';

const POSTSCRIPT = /^[ \t]*P\.?[ \t]?S\b/i;

/** Prose (a postscript always is): six words or more, or a few words ending a sentence in lower case ("it works now."). */
function isSentence(line: string): boolean {
  if (!isShort(line) || POSTSCRIPT.test(line)) return true;
  if (isContactLine(line)) return false;
  const words = line.trim().split(/\s+/);
  return words.length >= 6 || (words.length >= 3 && /(?:^|\s)\p{Ll}[\p{L}'’-]*[.?!]$/u.test(line.trim()));
}

/** lines[from, end) could be a signature block: few, short, no prose. */
function isSignatureBlock(lines: string[], from: number, end: number): boolean {
  let count = 0;
  for (let index = from; index < end; index += 1) {
    const line = lines[index];
    if (isBlank(line)) continue;
    count += 1;
    if (count > SIGNATURE_MAX_LINES || line.length > BLOCK_LINE_CHARS || isSentence(line)) return false;
  }
  return true;
}

/** The first non-blank line from `from` is a name, not another closing ("Thank you." over "Best regards"). */
function isName(lines: string[], from: number): boolean {
  let index = from;
  while (index < lines.length && isBlank(lines[index])) index += 1;
  const line = lines[index] ?? '';
  return !STANDALONE_CLOSING.test(line) && !CLOSING_NEEDING_A_NAME.test(line);
}

/** The message introduces what follows lines[index] ("… our site contact:", "The error is:"): it is content. */
function isIntroduced(lines: string[], index: number): boolean {
  const before = lastContentLine(lines, index);
  return before >= 0 && /[:：][ \t]*$/.test(lines[before]);
}

/** "John Doe", "Ann E. Example", "Jan de Vries": a few capitalised words, no digits. */
const NAME = /^[ \t]*\p{Lu}[\p{L}.'’-]{0,30}(?:[ \t]+(?:\p{Lu}[\p{L}.'’-]{0,30}|de|van|von|der|den|la|le|da|di|del|y)){0,4}[ \t,]*$/u;

/** After a rule line: a name first, or contact details somewhere (not "Error 500 at /api"). */
function isNameOrContacts(lines: string[], from: number, end: number): boolean {
  let first = from;
  while (first < end && isBlank(lines[first])) first += 1;
  if (first < end && isShort(lines[first]) && NAME.test(lines[first])) return true;
  return lines.slice(from, end).some(isContactLine);
}

/** The index of the last non-blank line before `end`, or -1. */
function lastContentLine(lines: string[], end: number): number {
  let index = end - 1;
  while (index >= 0 && isBlank(lines[index])) index -= 1;
  return index;
}

/** Where the signature in lines[0, end) starts, or `end` when there is none. */
function signatureStart(lines: string[], end: number): number {
  const last = lastContentLine(lines, end);
  if (last < 0) return end;
  const hasContentBefore = (index: number) => lastContentLine(lines, index) >= 0;
  const lastLine = lines[last];
  if ((isMobileFooter(lastLine) || (isShort(lastLine) && DASH_NAME.test(lastLine))) && hasContentBefore(last)) return last;

  // the last `-- ` line, else the highest rule or closing phrase that heads a short block
  let start = end;
  let seen = 0;
  for (let index = last; index >= 0 && seen <= DELIMITED_SIGNATURE_MAX_LINES; index -= 1) {
    const line = lines[index];
    if (isBlank(line)) continue;
    seen += 1;
    if (!hasContentBefore(index)) break;
    if (STANDARD_DELIMITER.test(line)) return index;
    if (seen > SIGNATURE_MAX_LINES + 1 || !isShort(line)) continue;
    const heads =
      (RULE_LINE.test(line) && index < last && !isIntroduced(lines, index) && isNameOrContacts(lines, index + 1, last + 1)) ||
      STANDALONE_CLOSING.test(line) ||
      (CLOSING_NEEDING_A_NAME.test(line) && index < last && isName(lines, index + 1));
    if (heads && isSignatureBlock(lines, index + 1, last + 1)) start = index;
  }
  if (start < end) return start;

  // no closing phrase: a last paragraph of name and contact details ("Gina / gina@… / (555) … / www…")
  let paragraph = last;
  while (paragraph > 0 && !isBlank(lines[paragraph - 1]) && last - paragraph < CONTACT_CARD_MAX_LINES) paragraph -= 1;
  const size = last + 1 - paragraph;
  if (size < 2 || size > CONTACT_CARD_MAX_LINES || paragraph === 0 || !isBlank(lines[paragraph - 1])) return end;
  const contacts = lines.slice(paragraph, last + 1).filter(isContactLine).length;
  const signed = contacts >= 2 && hasContentBefore(paragraph) && !isIntroduced(lines, paragraph);
  return signed && isSignatureBlock(lines, paragraph, last + 1) ? paragraph : end;
}

/**
 * The lines without the signature at their end: after a `-- ` line; a phone's "Sent from…" line;
 * a closing phrase ("Best regards", "Mit freundlichen Grüßen", "Cordialement"…) or a rule line
 * followed by at most SIGNATURE_MAX_LINES short lines of name, title, company, phone, address;
 * "-Name"; a last paragraph of name and contact details. Repeated while something goes (a
 * "Sent from my iPhone" under a signature under "Best regards"), SIGNATURE_ROUNDS times at most. A closing phrase inside the
 * message, or one followed by a long block, stays.
 */
export function withoutSignature(lines: string[]): string[] {
  let end = lines.length;
  for (let round = 0; round < SIGNATURE_ROUNDS; round += 1) {
    const start = signatureStart(lines, end);
    if (start >= end) break;
    end = start;
  }
  return lines.slice(0, end);
}
