/**
 * Parse stage, reply text: the new part of a customer's reply, without the quoted history and the
 * signature. Pure.
 */
import EmailReplyParser from 'email-reply-parser';

/**
 * Outlook without a separator line: "From: Name" then "Sent:" (or "Date:") on the next line, with
 * no <address> that email-reply-parser's own From: rule needs. Cut there before it runs.
 */
const OUTLOOK_HEADER_BLOCK = /^[ \t]*From:[^\n]*\n[ \t]*(?:Sent|Date):[^\n]*$/im;

/**
 * email-reply-parser's regexes backtrack badly on crafted text (and RE2, which it uses when
 * installed, is not installed here): 8,000 characters of "2026 from <a " on one line took 100 s,
 * 16,000 characters of "abc. x skrev y" lines 3 s. So it reads at most the first REPLY_HEAD_CHARS
 * of a mail, with lines longer than REPLY_LINE_CHARS (never a quote header or a signature) swapped
 * for short placeholders (keeping a leading `>`) and put back afterwards: under 100 ms at worst.
 */
const REPLY_HEAD_CHARS = 4_000;
const REPLY_LINE_CHARS = 400;
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/**
 * The text without its quoted reply chain and signature, by email-reply-parser
 * (`new EmailReplyParser().read(text)`: its fragments, getVisibleText()), after cutting at an
 * Outlook header block. A text longer than the head it reads keeps everything unless a quote or
 * signature was found in that head (the new part of a reply comes first). When nothing is left (a
 * mail that is only a quote or only a forward), the whole text.
 */
export function visibleText(text: string): string {
  const full = text.trim();
  const outlook = OUTLOOK_HEADER_BLOCK.exec(text);
  const candidate = outlook ? text.slice(0, outlook.index) : text;
  const truncated = candidate.length > REPLY_HEAD_CHARS;
  const head = truncated ? candidate.slice(0, REPLY_HEAD_CHARS) : candidate;

  const longLines: string[] = [];
  const masked = head
    .split('\n')
    .map((line) => {
      if (line.length <= REPLY_LINE_CHARS) return line;
      const quote = /^\s*>[>\s]*/.exec(line)?.[0] ?? ''; // a quoted line stays a quoted line
      return `${quote}\uE000${longLines.push(line.slice(quote.length)) - 1}\uE001`;
    })
    .join('\n');
  const email = new EmailReplyParser().read(masked);
  const stripped = email.getFragments().some((fragment) => fragment.isHidden() && (fragment.isQuoted() || fragment.isSignature()));
  if (truncated && !stripped) return candidate.trim() || full;
  const visible = email
    .getVisibleText()
    .replace(PLACEHOLDER, (_match, index: string) => longLines[Number(index)] ?? '')
    .trim();
  return visible || full;
}
