/**
 * Mail above INGEST_MAX_MESSAGE_BYTES. The fetch stage reads its size before its body and leaves
 * the body on the server; this stage records it (sender, subject and size from its header section)
 * and, when INGEST_NOTIFY_TOO_LARGE is on, tells a person who sent it, once, through the outbox as
 * an automatic mail (under the per-recipient auto-reply cap). Machines and our own addresses get no
 * notice: that is how mail loops start.
 */
import type { Core } from '@strapi/strapi';
import { INBOUND_EMAIL } from '../../../shared/uids';
import { newMessageId } from '../mail/message-id';
import { textToHtml } from '../mail/render-template';
import { formatBytes } from '../domain/attachment-policy';
import { classifyMail } from './classify';
import type { OversizedMail, ParsedMail } from './types';
import { getService } from '../get-service';

export interface TooLargePolicy {
  maxMessageBytes: number;
  notify: boolean;
  /** Our own addresses (never notified). */
  supportAddresses: string[];
}

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The notice's text: what happened, and what to do instead. Nothing of the mail but its subject. */
function noticeText(mail: ParsedMail, size: number, limit: number, companyName: string): { subject: string; text: string } {
  const subject = truncate(mail.subject.trim() || '(no subject)', 150);
  const greeting = mail.from?.name ? `Hello ${mail.from.name},` : 'Hello,';
  return {
    subject: `Your message was too large: ${subject}`,
    text:
      `${greeting}\n\n` +
      `thank you for writing to us. Your message "${subject}" is ${formatBytes(size)}, larger than the ` +
      `${formatBytes(limit)} our helpdesk accepts, so it was not read and no request was opened.\n\n` +
      'Please send it again with smaller attachments (or a link to the files), or spread the files ' +
      'over several messages.\n\n' +
      `${companyName}\n\n` +
      'This is an automatic message.',
  };
}

/** Whether this Message-ID was already answered as too large (a folder read again after a new UIDVALIDITY). */
async function noticedBefore(strapi: Core.Strapi, mail: ParsedMail): Promise<boolean> {
  if (mail.messageIdGenerated) return false;
  return (await strapi.db.query(INBOUND_EMAIL).count({ where: { messageId: mail.messageId, outcome: 'too_large' } })) > 0;
}

/**
 * The too_large record of a mail that was not downloaded, and the notice to its sender. `header` is
 * its header section as the parse stage read it, or null when even that could not be parsed.
 */
export async function recordTooLarge(
  strapi: Core.Strapi,
  oversized: OversizedMail,
  header: ParsedMail | null,
  policy: TooLargePolicy
): Promise<{ outcome: 'too_large'; line: string }> {
  const classification = header ? classifyMail(header, { supportAddresses: policy.supportAddresses }) : null;
  const sender = header?.from?.address ?? null;
  const notify = Boolean(policy.notify && header && sender && classification && !classification.automatic && !(await noticedBefore(strapi, header)));

  await strapi.db.query(INBOUND_EMAIL).create({
    data: {
      messageId: header?.messageId ?? `<uid-${oversized.uidValidity}-${oversized.uid}@too-large.invalid>`,
      dedupeKey: null,
      outcome: 'too_large',
      fromAddress: sender,
      fromName: header?.from?.name ? truncate(header.from.name, 200) : null,
      subject: header ? truncate(header.subject, 998) : null,
      receivedAt: header?.date ?? null,
      size: oversized.size,
      automatic: classification?.automatic ?? false,
      reasons: classification?.reasons ?? [],
      error: `${formatBytes(oversized.size)} is over the ${formatBytes(policy.maxMessageBytes)} limit (INGEST_MAX_MESSAGE_BYTES): not downloaded`,
      folder: oversized.folder,
      uid: oversized.uid,
      uidValidity: oversized.uidValidity,
    },
  });

  if (notify && header && sender) {
    const settings = await getService(strapi, 'settings').current();
    const notice = noticeText(header, oversized.size, policy.maxMessageBytes, settings.companyName);
    const thread: Record<string, string> = header.messageIdGenerated ? {} : { 'In-Reply-To': header.messageId, References: header.messageId };
    await getService(strapi, 'outbox').enqueue({
      to: sender,
      subject: notice.subject,
      text: notice.text,
      html: textToHtml(notice.text),
      messageId: newMessageId(strapi),
      // automatic: counted under the recipient's cap, and answered by no well-behaved responder
      headers: { ...thread, 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      templateKey: 'too_large_notice',
    });
  }
  const who = sender ?? 'an unknown sender';
  return {
    outcome: 'too_large',
    line: `too large (${formatBytes(oversized.size)} from ${who}): not downloaded${notify ? ', sender notified' : ''}`,
  };
}
