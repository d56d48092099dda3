/**
 * The classify stage (src/mail-ingestion/classify.ts): which mail is automatic (never auto-replied
 * to), why, and which of our mails a bounce reports. Mails go through the parse stage first, as in
 * the pipeline.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { bounceOf, classifyMail, isDeliveryStatusNotification, type ClassifyContext } from '../src/plugins/helpdesk/server/src/mail-ingestion/classify';
import { parseMail } from '../src/plugins/helpdesk/server/src/mail-ingestion/parse';
import type { ParsedMail } from '../src/plugins/helpdesk/server/src/mail-ingestion/types';

const SUPPORT = 'support@helpdesk.example';
const OUR_IDS = new Set(['<11111111-2222-4333-8444-555555555555@helpdesk.example>']);
const context: ClassifyContext = { supportAddresses: ['Support@Helpdesk.Example', 'billing@helpdesk.example'], isOwnMessageId: (id) => OUR_IDS.has(id) };

function crlf(lines: string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/** A mail as a person's client sends it (Thunderbird/Gmail-like headers), with extra headers. */
async function humanMail(extra: Record<string, string> = {}, options: Partial<Mail.Options> = {}): Promise<ParsedMail> {
  const source = await new MailComposer({
    from: '"Ann Example" <ann@example.com>',
    to: SUPPORT,
    subject: 'Printer on floor 3',
    text: 'The printer on floor 3 is jammed again.\n\nThanks,\nAnn',
    html: '<p>The printer on floor 3 is jammed again.</p><p>Thanks,<br>Ann</p>',
    ...options,
    headers: {
      'Return-Path': '<ann@example.com>',
      Received: 'from mail.example.com (mail.example.com [192.0.2.10]) by mx.helpdesk.example; Mon, 23 Nov 2026 10:00:00 +0000',
      'DKIM-Signature': 'v=1; a=rsa-sha256; d=example.com; s=s1; h=from:to:subject; bh=abc=; b=def=',
      'User-Agent': 'Mozilla Thunderbird',
      'X-Priority': '3',
      ...extra,
    },
  })
    .compile()
    .build();
  return parseMail(source);
}

async function reasonsFor(extra: Record<string, string>, options: Partial<Mail.Options> = {}): Promise<string[]> {
  const result = classifyMail(await humanMail(extra, options), context);
  expect(result.automatic).toBe(result.reasons.length > 0);
  return result.reasons;
}

describe('classifyMail: a person writing', () => {
  it('is not automatic, with no reasons and no bounce', async () => {
    const mail = await humanMail({}, { inReplyTo: '<11111111-2222-4333-8444-555555555555@helpdesk.example>' });
    expect(classifyMail(mail, context)).toEqual({ automatic: false, reasons: [], bounceOf: null });
  });

  it('is not automatic with Auto-Submitted: no, Precedence other than the automatic ones, or a look-alike sender', async () => {
    expect(await reasonsFor({ 'Auto-Submitted': 'no' })).toEqual([]);
    expect(await reasonsFor({ 'Auto-Submitted': 'No (a person wrote this)' })).toEqual([]);
    expect(await reasonsFor({ Precedence: 'first-class' })).toEqual([]);
    expect(await reasonsFor({ Precedence: 'normal' })).toEqual([]);
    for (const from of ['noah@example.com', 'norbert.reply@example.com', 'daemon@example.com', 'the-postmaster@example.com', 'support@customer.example']) {
      expect(await reasonsFor({}, { from })).toEqual([]);
    }
  });

  it('a mail whose Message-ID was made up is never taken for one of ours', async () => {
    const mail = await parseMail(crlf(['From: ann@example.com', 'Subject: no id', '', 'hello']));
    expect(mail.messageIdGenerated).toBe(true);
    expect(classifyMail(mail, { supportAddresses: [SUPPORT], isOwnMessageId: () => true }).automatic).toBe(false);
  });
});

describe('classifyMail: each rule', () => {
  it('Auto-Submitted other than no', async () => {
    expect(await reasonsFor({ 'Auto-Submitted': 'auto-replied' })).toEqual(['Auto-Submitted: auto-replied']);
    expect(await reasonsFor({ 'Auto-Submitted': 'Auto-Generated' })).toEqual(['Auto-Submitted: auto-generated']);
    expect(await reasonsFor({ 'Auto-Submitted': 'auto-notified; owner-email="x@example.com"' })).toEqual(['Auto-Submitted: auto-notified']);
  });

  it('Precedence bulk, junk, list, auto_reply', async () => {
    for (const value of ['bulk', 'junk', 'list', 'auto_reply', 'BULK']) {
      expect(await reasonsFor({ Precedence: value })).toEqual([`Precedence: ${value.toLowerCase()}`]);
    }
  });

  it('X-Autoreply, X-Autorespond, X-Auto-Response-Suppress', async () => {
    expect(await reasonsFor({ 'X-Autoreply': 'yes' })).toEqual(['X-Autoreply: yes']);
    expect(await reasonsFor({ 'X-Autorespond': 'Out of office' })).toEqual(['X-Autorespond: Out of office']);
    expect(await reasonsFor({ 'X-Auto-Response-Suppress': 'All' })).toEqual(['X-Auto-Response-Suppress: All']);
  });

  it('List-Id or List-Unsubscribe', async () => {
    expect(await reasonsFor({ 'List-Id': 'Customers <customers.lists.example.com>' })).toEqual(['List-Id: Customers <customers.lists.example.com>']);
    expect(await reasonsFor({ 'List-Unsubscribe': '<https://news.example.com/u?id=1>' })).toEqual(['List-Unsubscribe: <https://news.example.com/u?id=1>']);
  });

  it('Return-Path: <>', async () => {
    expect(await reasonsFor({ 'Return-Path': '<>' })).toEqual(['Return-Path: <>']);
    expect(await reasonsFor({ 'Return-Path': '< >' })).toEqual(['Return-Path: <>']);
  });

  it('sender mailer-daemon, postmaster, noreply and its spellings (any case)', async () => {
    const cases: Array<[string, string]> = [
      ['MAILER-DAEMON@mx.example.com', 'sender is mailer-daemon'],
      ['Postmaster@example.com', 'sender is postmaster'],
      ['noreply@example.com', 'sender is noreply'],
      ['No-Reply@example.com', 'sender is no-reply'],
      ['no_reply@example.com', 'sender is no_reply'],
      ['donotreply@example.com', 'sender is donotreply'],
      ['do-not-reply@example.com', 'sender is do-not-reply'],
      ['DoNotReply@example.com', 'sender is donotreply'],
      ['noreply-notifications@github.example', 'sender is noreply'],
      ['no-reply+abc@example.com', 'sender is no-reply'],
    ];
    for (const [from, reason] of cases) {
      expect(await reasonsFor({}, { from: `"Automated" <${from}>` })).toEqual([reason]);
    }
  });

  it('sender is one of our own addresses (a loop), compared case-insensitively', async () => {
    expect(await reasonsFor({}, { from: `"Helpdesk" <SUPPORT@helpdesk.example>` })).toEqual(['sender is our own address support@helpdesk.example']);
    expect(await reasonsFor({}, { from: 'billing@helpdesk.example' })).toEqual(['sender is our own address billing@helpdesk.example']);
  });

  it("the mail's own Message-ID is one of ours", async () => {
    const ours = '<11111111-2222-4333-8444-555555555555@helpdesk.example>';
    expect(await reasonsFor({}, { messageId: ours })).toEqual([`Message-ID ${ours} is one of ours`]);
    expect(classifyMail(await humanMail({}, { messageId: ours }), { supportAddresses: [] }).automatic).toBe(false);
  });

  it('a delivery status notification', async () => {
    const mail = await parseMail(dsn({ from: 'bounces@mx.example.com', returnPath: null }));
    expect(isDeliveryStatusNotification(mail)).toBe(true);
    expect(classifyMail(mail, context).reasons).toEqual(['delivery status notification (multipart/report; report-type=delivery-status)']);
    // a read receipt is a report too, but not about delivery
    const receipt = await parseMail(
      crlf([
        'From: ann@example.com',
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="R"',
        '',
        '--R',
        'Content-Type: text/plain',
        '',
        'Your message was displayed.',
        '--R--',
      ])
    );
    expect(isDeliveryStatusNotification(receipt)).toBe(false);
    expect(classifyMail(receipt, context)).toEqual({ automatic: false, reasons: [], bounceOf: null });
  });

  it('lists every rule that fired: our own outgoing mail coming back', async () => {
    // what src/mail/ticket-mail.ts puts on a confirmation
    const ours = '<11111111-2222-4333-8444-555555555555@helpdesk.example>';
    const mail = await humanMail(
      { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', 'X-Helpdesk-Ticket': 'TKT-2026-00001' },
      { from: `"Helpdesk" <${SUPPORT}>`, to: 'ann@example.com', messageId: ours }
    );
    expect(classifyMail(mail, context)).toEqual({
      automatic: true,
      reasons: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All', `sender is our own address ${SUPPORT}`, `Message-ID ${ours} is one of ours`],
      bounceOf: null,
    });
  });

  it('keeps reasons short and on one line whatever the header holds', async () => {
    const [reason] = await reasonsFor({ 'X-Autorespond': 'x'.repeat(500) });
    expect(reason.length).toBeLessThanOrEqual('X-Autorespond: '.length + 100);
    expect(reason).not.toMatch(/[\r\n]/);
  });
});

interface DsnOptions {
  from?: string;
  returnPath?: string | null;
  contentType?: string;
  /** The part that returns the original: headers only, the whole message, or none. */
  original?: 'headers' | 'message' | 'none';
  body?: string;
  extraHeaders?: string[];
}

/** A bounce as Postfix writes it (RFC 3464): explanation, delivery-status, returned headers. */
function dsn(options: DsnOptions = {}): Buffer {
  const original = options.original ?? 'headers';
  const returned = [
    'Return-Path: <support@helpdesk.example>',
    'From: Helpdesk <support@helpdesk.example>',
    'To: ann@nowhere.example',
    'Subject: [TKT-2026-00001] We received your request',
    'Message-ID:',
    ' <3f1c0a5e-0000-4000-8000-000000000001@helpdesk.example>',
    'Auto-Submitted: auto-replied',
    'X-Helpdesk-Ticket: TKT-2026-00001',
  ];
  const lines = [
    ...(options.returnPath === null ? [] : [`Return-Path: ${options.returnPath ?? '<>'}`]),
    `From: Mail Delivery System <${options.from ?? 'MAILER-DAEMON@mx.example.com'}>`,
    'To: support@helpdesk.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <20261123100000.ABC@mx.example.com>',
    'Date: Mon, 23 Nov 2026 10:00:05 +0000',
    ...(options.extraHeaders ?? []),
    'MIME-Version: 1.0',
    `Content-Type: ${options.contentType ?? 'multipart/report; report-type=delivery-status; boundary="B0UND"'}`,
    '',
    '--B0UND',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    options.body ?? "This is the mail system at host mx.example.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<ann@nowhere.example>: host nowhere.example said: 550 5.1.1 User unknown",
    '',
    '--B0UND',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.com',
    'Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000',
    '',
    'Final-Recipient: rfc822; ann@nowhere.example',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    '',
  ];
  if (original === 'headers') {
    lines.push('--B0UND', 'Content-Description: Undelivered Message Headers', 'Content-Type: text/rfc822-headers', '', ...returned, '');
  } else if (original === 'message') {
    lines.push('--B0UND', 'Content-Description: Undelivered Message', 'Content-Type: message/rfc822', '', ...returned, 'Content-Type: text/plain', '', 'Hello Ann, we received your request.', '');
  }
  lines.push('--B0UND--');
  return crlf(lines);
}

describe('bounceOf', () => {
  const bounced = '<3f1c0a5e-0000-4000-8000-000000000001@helpdesk.example>';

  it('a Postfix bounce: automatic for several reasons, and the original Message-ID from text/rfc822-headers', async () => {
    const mail = await parseMail(dsn({ extraHeaders: ['Auto-Submitted: auto-replied'] }));
    expect(mail.attachments.map((attachment) => attachment.contentType)).toContain('text/rfc822-headers');
    expect(classifyMail(mail, context)).toEqual({
      automatic: true,
      reasons: ['Auto-Submitted: auto-replied', 'Return-Path: <>', 'sender is mailer-daemon', 'delivery status notification (multipart/report; report-type=delivery-status)'],
      bounceOf: bounced,
    });
  });

  it('from a returned message/rfc822 part, with report-type given after the boundary and quoted', async () => {
    const mail = await parseMail(dsn({ original: 'message', contentType: 'multipart/report; boundary="B0UND"; report-type="delivery-status"' }));
    expect(bounceOf(mail)).toBe(bounced);
    expect(classifyMail(mail, context).bounceOf).toBe(bounced);
  });

  it('from a "Message-ID: <…>" line in the body when no part returns the original', async () => {
    const mail = await parseMail(dsn({ original: 'none', body: `Delivery failed.\n\nOriginal message:\nMessage-ID: ${bounced}\nSubject: [TKT-2026-00001] We received your request` }));
    expect(bounceOf(mail)).toBe(bounced);
  });

  it('from In-Reply-To, then References, then null', async () => {
    expect(bounceOf(await parseMail(dsn({ original: 'none', extraHeaders: [`In-Reply-To: ${bounced}`] })))).toBe(bounced);
    expect(bounceOf(await parseMail(dsn({ original: 'none', extraHeaders: [`References: <older@helpdesk.example> ${bounced}`] })))).toBe(bounced);
    expect(bounceOf(await parseMail(dsn({ original: 'none' })))).toBeNull();
  });

  it('is null for anything that is not a delivery status notification, even with In-Reply-To', async () => {
    const reply = await humanMail({}, { inReplyTo: bounced });
    expect(bounceOf(reply)).toBeNull();
    const autoReply = await humanMail({ 'Auto-Submitted': 'auto-replied' }, { inReplyTo: bounced, subject: 'Out of office' });
    expect(classifyMail(autoReply, context)).toEqual({ automatic: true, reasons: ['Auto-Submitted: auto-replied'], bounceOf: null });
  });
});
