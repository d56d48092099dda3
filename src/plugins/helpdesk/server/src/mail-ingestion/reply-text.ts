/**
 * Parse stage, reply text: the new part of a customer's reply, without the quoted history and the
 * signature (signature.ts). Pure.
 *
 * One pass over the lines. Every regex here is tried on one line, or on up to three short lines
 * joined (a quote header a mail client wrapped), and has no nested quantifier and no two that can
 * take the same characters one after the other; so the cost is linear in the text whatever it
 * holds (the library this replaces, email-reply-parser, backtracked for minutes on 8,000 crafted
 * characters). tests/fixtures/replies/corpus.ts has an input against each rule.
 */
import { isMobileFooter, withoutSignature } from './signature';

/** A quote header is a line or three; anything longer is not one and is not tried. */
const QUOTE_HEADER_CHARS = 500;
/** Lines a wrapped "On … wrote:" header or an Outlook header block may take. */
const HEADER_LINES = 3;
const FIELD_WINDOW = 4;
/**
 * The new part of a reply comes first: lines past this many are kept without being looked at, so
 * the cost has a ceiling whatever the size of the mail (a quote below 2,000 lines of text stays).
 */
const REPLY_SCAN_LINES = 2_000;

/** "> " quoting, at any depth. */
const QUOTED = /^[ \t]*>/;
const QUOTE_MARKS = /^[ \t>]*/;
/** A line that only separates: dashes, underscores, equals signs, an em dash rule. */
const SEPARATOR = /^[ \t]*[-_=*—–~]{2}[-_=*—–~ \t]*$/;

/** "On <date>, <name> wrote:" and its translations, the verb last or before the name. */
const WROTE = "wrote|schrieb|a (?:é|e)crit|escribi(?:ó|o)|schreef|het volgende geschreven|skrev|ha scritto|scritto|napisa(?:ł|l)(?:a|\\(a\\))?|pisze|escreveu|kirjoitti|(?:đ|d)(?:ã|a) vi(?:ế|e)t|написал(?:а)?|写道";
/** The verb last: tried from WROTE_LAST_CHARS before the end (the `g` flag lets it start there). */
const WROTE_LAST = new RegExp(`(?<![\\p{L}])(?:${WROTE})[ \\t]*(?:[:：][ \\t]*)?(?:-{2,}[ \\t]*)?$`, 'giu');
const WROTE_LAST_CHARS = 60;
/** The verb, then the name and a colon at the end (checked apart): "… schrieb Max <max@example.de>:". */
const WROTE_BEFORE_NAME = new RegExp(`(?<![\\p{L}])(?:${WROTE})[ \\t]`, 'iu');
const ENDS_WITH_COLON = /[:：][ \t]*$/;
/** A header names a time or a year, or an address; "Yesterday at 10:30 my colleague wrote:" names no address. */
const HEADER_DETAIL = /@|\d{1,2}[:.]\d{2}|\b(?:19|20)\d{2}\b/;
/** Without an address, a header starts the way clients start one: "On", "Am", "Le", a date, "tir. 18.". */
const HEADER_START = /^(?:-{2,}[ \t]*)?(?:(?:On|Am|Le|El|Op|Den|På|Il|Em|In data|W dniu|Dnia|Vào)[ \t]|\d|\p{L}{2,4}\.?[ \t]\d)/iu;
/** A sentence ends inside it ("On Monday the VPN failed at 10:30. Ann wrote:"): prose, not a header ("Nov. 2026" is not one). */
const SENTENCE_INSIDE = /\p{Ll}{3}[.!?][ \t]+\p{Lu}/u;
/** "---- John Smith wrote ----" (Android). */
const ANDROID_WROTE = /^-{2,}[ \t].{1,100}[ \t]wrote[ \t]-{2,}$/i;
/** "2014-10-17 11:28 GMT+03:00 Postmaster <postmaster@…>:", "2022年1月1日(金) 9:00 名前 <a@b.jp>:" */
const DATE_NAME_ADDRESS = /^\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)[^@]{1,200}@[^\s>]{1,200}>?[ \t]*[:：]?$/u;

/** Outlook's block: "From: …" then "Sent: …" (or Date, Subject) within a few lines, in many languages. */
const FROM_FIELD = /^\*?(?:From|Von|De|Da|Fra|Från|Van|Od|Lähettäjä|От)[ \t]?\*?[ \t]?:\*?[ \t]*\S/i;
const SENT_FIELD = /^\*?(?:Sent|Gesendet|Envoy(?:é|e)(?: le)?|Enviado|Inviato|Sendt|Skickat|Verzonden|Wys(?:ł|l)ano|Lähetetty|Отправлено)[ \t]?\*?[ \t]?:/i;
const DATE_FIELD = /^\*?(?:Date|Datum|Dato|Data|Fecha|Päivämäärä|Message du|Дата)[ \t]?\*?[ \t]?:/i;
const OTHER_FIELD = /^\*?(?:To|An|À|A|Para|Til|Till|Aan|Do|Subject|Betreff|Objet|Asunto|Oggetto|Emne|Ämne|Onderwerp|Temat|Aihe|Cc|Kopie|Copie à)[ \t]?\*?[ \t]?:/i;

/** "-----Original Message-----" and its translations: the original follows, unquoted. */
const ORIGINAL_MESSAGE = new RegExp(
  '^[ \\t]*-{2,}[ \\t]*(?:' +
    [
      'original message', 'reply message', 'ursprüngliche nachricht', 'original nachricht', 'antwort nachricht',
      'oprindelig (?:meddelelse|besked)', "message d'origine", 'mensaje original', 'messaggio originale',
      'oorspronkelijk bericht', 'opprinnelig melding', 'ursprungligt meddelande', 'alkuperäinen viesti',
      'wiadomość oryginalna', 'исходное сообщение',
    ].join('|') +
    ')[ \\t]*-{2,}[ \\t]*$',
  'i'
);

/** A forward keeps its content: what follows is what the customer sends us. */
const FORWARD_MARKER = new RegExp(
  '^[ \\t]*(?:-{2,}[ \\t]*(?:' +
    [
      'forwarded message', 'weitergeleitete nachricht', 'message transféré', 'mensaje reenviado', 'messaggio inoltrato',
      'doorgestuurd bericht', 'videresendt (?:meddelelse|besked|melding)', 'vidarebefordrat meddelande', 'wiadomość przekazana dalej',
    ].join('|') +
    ')[ \\t]*-{2,}|begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message réexpédié :?)[ \\t]*$',
  'i'
);

const TRAILING_SPACES = /(?<![ \t])[ \t]+$/gm;

const unquote = (line: string): string => line.replace(QUOTE_MARKS, '').trim();
const isBlank = (line: string): boolean => line.trim() === '';

/** "On … wrote:" in one piece (one line, or lines joined by the caller). */
function isWroteHeader(candidate: string): boolean {
  if (candidate.length > QUOTE_HEADER_CHARS) return false;
  if (ANDROID_WROTE.test(candidate) || DATE_NAME_ADDRESS.test(candidate)) return true;
  const detailed = candidate.includes('@') || (HEADER_START.test(candidate) && HEADER_DETAIL.test(candidate));
  if (!detailed || SENTENCE_INSIDE.test(candidate)) return false;
  WROTE_LAST.lastIndex = Math.max(0, candidate.length - WROTE_LAST_CHARS);
  return WROTE_LAST.test(candidate) || (ENDS_WITH_COLON.test(candidate) && WROTE_BEFORE_NAME.test(candidate));
}

/**
 * How many lines the "On … wrote:" header starting at lines[index] takes (1 to HEADER_LINES), or 0.
 * A wrapped header counts from its first line only: if it starts further down, that line is found
 * when the scan gets there, so no line of the reply above it goes with it (a line that names a
 * time and ends without a full stop starts one: "On Mon, Aug 26, 2019 at 4:37 PM Ann <").
 */
function wroteHeaderAt(plain: string[], index: number): number {
  let candidate = '';
  for (let size = 1; size <= HEADER_LINES && index + size <= plain.length; size += 1) {
    const line = plain[index + size - 1];
    if (size > 1 && line === '') return 0;
    candidate = size === 1 ? line : `${candidate} ${line}`;
    if (candidate.length > QUOTE_HEADER_CHARS) return 0;
    if (isWroteHeader(candidate)) {
      if (size === 1 || !isWroteHeader(plain.slice(index + 1, index + size).join(' '))) return size;
      // the lines below are a header on their own: this one joins only if it starts one
      return HEADER_DETAIL.test(plain[index]) && !/[.!?]$/.test(plain[index]) ? size : 0;
    }
  }
  return 0;
}

/** Outlook's "From: … / Sent: …" block (or Date then From) starting at lines[index]. */
function isOutlookHeaderAt(plain: string[], index: number): boolean {
  const first = plain[index];
  const from = FROM_FIELD.test(first);
  if ((!from && !DATE_FIELD.test(first)) || first.length > QUOTE_HEADER_CHARS) return false;
  const window = plain.slice(index + 1, index + 1 + FIELD_WINDOW);
  if (from) {
    // an address, or a Sent field, tells it from "From: Berlin / To: Munich" in a message
    const hasAddress = /@/.test(first) || /^[^:]{0,200}@/.test(window[0] ?? '');
    return window.some((line) => SENT_FIELD.test(line) || (hasAddress && (DATE_FIELD.test(line) || OTHER_FIELD.test(line))));
  }
  return window.some((line) => (FROM_FIELD.test(line) || OTHER_FIELD.test(line)) && /@/.test(line));
}

/** A quoted line this long was probably wrapped by the client: the unquoted line under it is its rest. */
const WRAPPED_QUOTE_CHARS = 60;

/**
 * The index after the "> " block starting at lines[index], with the blank lines inside it and the
 * rest of a long quoted line the client wrapped without its ">" (not a short answer between quotes).
 */
function quoteBlockEnd(lines: string[], index: number): number {
  let end = index;
  while (end < lines.length) {
    if (QUOTED.test(lines[end])) end += 1;
    else if (
      end + 1 < lines.length &&
      QUOTED.test(lines[end + 1]) &&
      (isBlank(lines[end]) || (QUOTED.test(lines[end - 1]) && lines[end - 1].length >= WRAPPED_QUOTE_CHARS))
    ) {
      end += 1;
    } else break;
  }
  return end;
}

/** The reply's last line ends with a colon ("Our invoice:"): the From/To lines after it are the customer's. */
function introducesNext(kept: string[]): boolean {
  let index = kept.length - 1;
  while (index >= 0 && isBlank(kept[index])) index -= 1;
  return index >= 0 && /[:：][ \t]*$/.test(kept[index]);
}

/** Drops blank and separator lines at the end of kept (the rule above a quote header). */
function dropTrailingSeparators(kept: string[]): void {
  while (kept.length > 0 && (isBlank(kept[kept.length - 1]) || SEPARATOR.test(kept[kept.length - 1]))) kept.pop();
}

interface Reply {
  lines: string[];
  /** a forwarded message starts at lines[forwardAt]; it is kept as it is */
  forwardAt?: number;
}

/**
 * The lines of the reply: a quote header ("On … wrote:" in many languages, wrapped over up to
 * three lines, or Outlook's From/Sent block, or "-----Original Message-----", or a phone's "Sent
 * from my iPhone" above the original) ends it, except that text after an "On … wrote:" and its
 * "> " block goes on (an answer below or between quotes). "> " blocks go: of two lines or more,
 * or any below such a header. A forward marker before any quote keeps the rest.
 */
function replyLines(lines: string[]): Reply {
  const scanned = Math.min(lines.length, REPLY_SCAN_LINES);
  const plain = lines.slice(0, scanned + HEADER_LINES + FIELD_WINDOW).map(unquote);
  const kept: string[] = [];
  let answering = false; // below an "On … wrote:" and its quote: answers between quotes
  let index = 0;
  while (index < scanned) {
    const line = lines[index];
    if (FORWARD_MARKER.test(line)) return { lines: [...kept, ...lines.slice(index)], forwardAt: kept.length };
    const wrote = wroteHeaderAt(plain, index);
    if (wrote > 0) {
      dropTrailingSeparators(kept);
      let next = index + wrote;
      while (next < lines.length && isBlank(lines[next])) next += 1;
      if (next < lines.length && QUOTED.test(lines[next])) {
        answering = true;
        index = quoteBlockEnd(lines, next);
        continue;
      }
      break;
    }
    const outlook = isOutlookHeaderAt(plain, index) && !introducesNext(kept);
    if (ORIGINAL_MESSAGE.test(line) || outlook || (isMobileFooter(line) && kept.some((k) => !isBlank(k)))) {
      dropTrailingSeparators(kept);
      break;
    }
    if (QUOTED.test(line)) {
      const end = quoteBlockEnd(lines, index);
      if (end - index >= 2 || answering) {
        index = end;
        continue;
      }
    }
    kept.push(line);
    index += 1;
  }
  if (index < scanned) return { lines: kept };
  // nothing was cut: the lines as they came (no copy of a long mail)
  return { lines: kept.length === index ? lines : kept.concat(lines.slice(index)) };
}

/**
 * The text without its quoted reply chain and signature. When nothing is left (a mail that is
 * only a quote or only a signature), the whole text.
 */
export function visibleText(text: string): string {
  const full = text.trim();
  const reply = replyLines((text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).split('\n'));
  const lines = reply.forwardAt === undefined ? withoutSignature(reply.lines) : reply.lines;
  // spaces at line ends go; the lookbehind starts a match only where a run of spaces starts (linear)
  const visible = lines.join('\n').replace(TRAILING_SPACES, '').trim();
  return visible || full;
}
