/**
 * The parse stage (src/mail-ingestion/parse.ts): raw bytes in, ParsedMail out. Pure: no Strapi.
 * Mails are built with nodemailer's MailComposer where it can produce the case, by hand otherwise.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { attachmentOmitted, decodeEncodedWords, MailParseError, parseMail, visibleText } from '../src/plugins/helpdesk/server/src/mail-ingestion/parse';

function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** A hand-written mail: header lines, then the body; CRLF line ends. Body parts may be raw bytes. */
function raw(headers: string[], ...body: Array<string | Buffer>): Buffer {
  return Buffer.concat([
    Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'),
    ...body.map((part) => (typeof part === 'string' ? Buffer.from(part.replace(/\r?\n/g, '\r\n'), 'latin1') : part)),
  ]);
}

/** The same "random" bytes on every run. */
function pseudoRandomBytes(length: number, seed: string): Buffer {
  const chunks: Buffer[] = [];
  let block = Buffer.from(seed);
  while (chunks.length * 32 < length) {
    block = createHash('sha256').update(block).digest();
    chunks.push(block);
  }
  return Buffer.concat(chunks).subarray(0, length);
}

async function parseError(source: Buffer): Promise<MailParseError> {
  try {
    await parseMail(source);
  } catch (error) {
    if (error instanceof MailParseError) return error;
    throw new Error(`expected a MailParseError, got ${String(error)}`);
  }
  throw new Error('expected a MailParseError, the mail was parsed');
}

const SHIFT_JIS_KONNICHIWA = Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]);

describe('parseMail: a plain text mail', () => {
  it('reads addresses (lower-cased), ids, subject, date, headers and text', async () => {
    const source = await compose({
      from: '"Ann Example" <Ann.Example@Example.COM>',
      to: ['Support@Helpdesk.Example', '"Bob" <BOB@example.org>'],
      cc: 'Carol <Carol@Example.net>',
      replyTo: 'Ann Private <ANN@private.example>',
      subject: 'Printer on floor 3',
      messageId: '<req-1@example.com>',
      inReplyTo: '<prev@helpdesk.example>',
      references: ['<first@helpdesk.example>', '<prev@helpdesk.example>'],
      date: new Date('2026-11-20T09:30:00Z'),
      text: 'The printer on floor 3 is jammed again.\n',
      headers: { 'X-Custom-Thing': 'one' },
    });
    const mail = await parseMail(source);
    expect(mail.messageId).toBe('<req-1@example.com>');
    expect(mail.messageIdGenerated).toBe(false);
    expect(mail.inReplyTo).toEqual(['<prev@helpdesk.example>']);
    expect(mail.references).toEqual(['<first@helpdesk.example>', '<prev@helpdesk.example>']);
    expect(mail.from).toEqual({ address: 'ann.example@example.com', name: 'Ann Example' });
    expect(mail.replyTo).toEqual({ address: 'ann@private.example', name: 'Ann Private' });
    expect(mail.to).toEqual([
      { address: 'support@helpdesk.example', name: '' },
      { address: 'bob@example.org', name: 'Bob' },
    ]);
    expect(mail.cc).toEqual([{ address: 'carol@example.net', name: 'Carol' }]);
    expect(mail.subject).toBe('Printer on floor 3');
    expect(mail.date?.toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(mail.text).toBe('The printer on floor 3 is jammed again.\n');
    expect(mail.visibleText).toBe('The printer on floor 3 is jammed again.');
    expect(mail.safeHtml).toBeNull();
    expect(mail.attachments).toEqual([]);
    expect(mail.headers['x-custom-thing']).toBe('one');
    expect(mail.headers['message-id']).toBe('<req-1@example.com>');
    expect(mail.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of Object.keys(mail.headers)) expect(name).toBe(name.toLowerCase());
  });

  it('gives every header as text (first occurrence, unfolded) including the ones classify reads', async () => {
    const mail = await parseMail(
      raw(
        [
          'Return-Path: <>',
          'From: Bulk <News@Example.com>',
          'To: support@helpdesk.example',
          'Subject: News',
          'Message-ID: <n1@example.com>',
          'Date: Fri, 20 Nov 2026 10:00:00 +0100',
          'Precedence: bulk',
          'Auto-Submitted: auto-generated',
          'X-Autoreply: yes',
          'X-Auto-Response-Suppress: OOF, AutoReply',
          'List-Id: Newsletter <news.example.com>',
          'List-Unsubscribe: <mailto:unsubscribe@example.com>,',
          ' <https://example.com/unsubscribe?u=1>',
          'X-Helpdesk-Ticket: TKT-2026-00042',
          'X-Repeated: first',
          'X-Repeated: second',
          'X-Encoded: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?Q?K=F6ln?=',
          'Content-Type: text/plain; charset=utf-8',
        ],
        'Hello\n'
      )
    );
    expect(mail.headers).toMatchObject({
      'return-path': '<>',
      precedence: 'bulk',
      'auto-submitted': 'auto-generated',
      'x-autoreply': 'yes',
      'x-auto-response-suppress': 'OOF, AutoReply',
      'list-id': 'Newsletter <news.example.com>',
      'list-unsubscribe': '<mailto:unsubscribe@example.com>, <https://example.com/unsubscribe?u=1>',
      'x-helpdesk-ticket': 'TKT-2026-00042',
      'x-repeated': 'first',
      'x-encoded': 'Grüße aus Köln',
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(mail.date?.toISOString()).toBe('2026-11-20T09:00:00.000Z');
  });

  it('splits In-Reply-To and References lists into <ids>, bracketing bare ones', async () => {
    const mail = await parseMail(
      raw(
        [
          'From: a@example.com',
          'Message-ID: <own@example.com>',
          'In-Reply-To: <one@helpdesk.example> <two@helpdesk.example>',
          'References: <a@helpdesk.example>',
          '  <b@helpdesk.example>\t<c@helpdesk.example> bare@helpdesk.example',
        ],
        'x\n'
      )
    );
    expect(mail.inReplyTo).toEqual(['<one@helpdesk.example>', '<two@helpdesk.example>']);
    expect(mail.references).toEqual(['<a@helpdesk.example>', '<b@helpdesk.example>', '<c@helpdesk.example>', '<bare@helpdesk.example>']);
    const bare = await parseMail(raw(['From: a@example.com', 'In-Reply-To: one@helpdesk.example'], 'x\n'));
    expect(bare.inReplyTo).toEqual(['<one@helpdesk.example>']);
    expect(bare.references).toEqual([]);
  });

  it('has no subject, no date and no addresses when the headers are missing or unreadable', async () => {
    const mail = await parseMail(raw(['From: a@example.com', 'Date: sometime last week'], 'x\n'));
    expect(mail.subject).toBe('');
    expect(mail.date).toBeNull();
    expect(mail.replyTo).toBeNull();
    expect(mail.to).toEqual([]);
    expect(mail.cc).toEqual([]);
    const noFrom = await parseMail(raw(['Subject: who sent this?'], 'x\n'));
    expect(noFrom.from).toBeNull();
    expect(noFrom.date).toBeNull();
  });
});

describe('parseMail: a mail without Message-ID', () => {
  const headers = ['From: ann@example.com', 'To: support@helpdesk.example', 'Subject: no id', 'Date: Fri, 20 Nov 2026 10:00:00 +0000'];

  it('gets an id from a SHA-256 of the raw bytes: the same for the same bytes, another for others', async () => {
    const source = raw(headers, 'first\n');
    const first = await parseMail(source);
    const again = await parseMail(Buffer.from(source));
    const other = await parseMail(raw(headers, 'second\n'));
    expect(first.messageIdGenerated).toBe(true);
    expect(first.messageId).toMatch(/^<sha256-[0-9a-f]{64}@generated\.invalid>$/);
    expect(first.messageId).toBe(`<sha256-${createHash('sha256').update(source).digest('hex')}@generated.invalid>`);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(first.headers['message-id']).toBeUndefined();
  });

  it('treats an empty Message-ID header as missing', async () => {
    const mail = await parseMail(raw([...headers, 'Message-ID: '], 'x\n'));
    expect(mail.messageIdGenerated).toBe(true);
    expect(mail.messageId).toMatch(/^<sha256-/);
  });
});

describe('parseMail: HTML', () => {
  it('derives the text of an HTML-only mail', async () => {
    const mail = await parseMail(
      await compose({ from: 'ann@example.com', to: 'support@helpdesk.example', subject: 'HTML only', html: '<p>Hello <b>team</b>,</p><p>the VPN is down.</p>' })
    );
    expect(mail.text).toContain('Hello team,');
    expect(mail.text).toContain('the VPN is down.');
    expect(mail.visibleText).toBe('Hello team,\n\nthe VPN is down.');
    expect(mail.safeHtml).toBe('<p>Hello <b>team</b>,</p><p>the VPN is down.</p>');
  });

  it('derives the text of an HTML-only mail with attachments too (mailparser alone gives none)', async () => {
    const mail = await parseMail(
      await compose({
        from: 'ann@example.com',
        subject: 'HTML and a file',
        html: '<p>See the <i>attached</i> log.</p>',
        attachments: [{ filename: 'vpn.log', content: 'log line\n' }],
      })
    );
    expect(mail.text.trim()).toBe('See the attached log.');
    expect(mail.visibleText).toBe('See the attached log.');
    expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(['vpn.log']);
  });

  it("reads an HTML-only mail's table as columns and leaves a tracking pixel's address out of its text", async () => {
    const mail = await parseMail(
      await compose({
        from: 'ann@example.com',
        subject: 'Upload fails',
        html:
          '<p>What I tried:</p><table><tr><th>Browser</th><th>Result</th></tr><tr><td>Chrome 131</td><td>empty file</td></tr>' +
          '<tr><td>Firefox 133</td><td>works</td></tr></table><ul><li>cleared the cache</li><li>restarted</li></ul>' +
          '<img src="https://tracker.example/open.gif?u=42" width="1" height="1">',
      })
    );
    expect(mail.text).not.toContain('BrowserResult');
    expect(mail.text).not.toContain('tracker.example');
    expect(mail.text).toMatch(/Browser\s+Result\n\s*Chrome 131\s+empty file\n\s*Firefox 133\s+works/);
    expect(mail.text).toContain('cleared the cache');
  });

  it('reads an HTML-only mail nested 20,000 deep: a ticket, not a quarantined mail', async () => {
    const html = `${'<div>'.repeat(20000)}deep words${'</div>'.repeat(20000)}${'<blockquote><table>'.repeat(5000)}`;
    const mail = await parseMail(await compose({ from: 'ann@example.com', subject: 'Deep', html }));
    expect(mail.safeHtml).toContain('deep words');
    expect(typeof mail.text).toBe('string');
  });

  it('keeps the text part of a text + HTML mail as the text', async () => {
    const mail = await parseMail(
      await compose({ from: 'ann@example.com', subject: 'both', text: 'plain version\n', html: '<p>html <b>version</b></p>' })
    );
    expect(mail.text).toBe('plain version\n');
    expect(mail.safeHtml).toBe('<p>html <b>version</b></p>');
  });

  it('sanitises: scripts, handlers, style sheets, relative images and unsafe links go; formatting, tables, safe links and cid/data images stay; remote images are parked', async () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const html = [
      '<html><head><title>Newsletter</title><style>p { color: red }</style><script>alert("head")</script></head>',
      '<body onload="steal()">',
      '<p style="background:url(https://tracker.example/bg.gif)" class="x" onclick="steal()">Hello <strong>there</strong> <em>you</em></p>',
      '<img src="https://tracker.example/open.gif?u=1" width="1" height="1">',
      '<img src="http://tracker.example/open2.gif">',
      '<img src="//tracker.example/open3.gif">',
      '<img src="pixel.gif">',
      '<img src="cid:logo@helpdesk.example" alt="logo">',
      `<img src="${pixel}" alt="dot">`,
      '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
      '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
      '<a href="https://example.com/docs" onclick="steal()">docs</a>',
      '<a href="http://example.com/plain">plain</a>',
      '<a href="mailto:support@helpdesk.example">mail us</a>',
      '<a href="javascript:alert(1)">js</a>',
      '<a href="JaVaScRiPt&#58;alert(2)">js2</a>',
      '<a href="/relative/path">relative</a>',
      '<a href="//evil.example/x">protocol-relative</a>',
      '<table border="1"><tr><th colspan="2">Head</th></tr><tr><td>a</td><td>b</td></tr></table>',
      '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name="p"></form>',
      '<script>alert("body")</script><ul><li>one</li></ul>',
      '</body></html>',
    ].join('\n');
    const mail = await parseMail(await compose({ from: 'news@example.com', subject: 'html', html, text: 'text version' }));
    const safe = mail.safeHtml ?? '';
    expect(safe).not.toMatch(/<script|alert\(|onclick|onload|<style|style=|class=|<iframe|<form|<input|steal/i);
    // the remote images stay, unloaded: no src, their address parked for "Show images"
    expect(safe).toContain('<img width="1" height="1" data-remote-src="https://tracker.example/open.gif?u=1" />');
    expect(safe).toContain('<img data-remote-src="http://tracker.example/open2.gif" />');
    expect(safe).not.toMatch(/\ssrc="https?:|open3|url\(/);
    expect(safe).not.toContain('pixel.gif');
    expect(safe).not.toContain('Newsletter');
    expect(safe).not.toMatch(/data:text|svg/);
    expect(safe).not.toMatch(/javascript/i);
    expect(safe).not.toContain('evil.example');
    expect(safe).not.toContain('/relative/path');
    expect(safe).toContain('<p>Hello <strong>there</strong> <em>you</em></p>');
    expect(safe).toContain('<img src="cid:logo@helpdesk.example" alt="logo" />');
    expect(safe).toContain(`<img src="${pixel}" alt="dot" />`);
    expect(safe.match(/<img/g)).toHaveLength(4);
    expect(safe).toContain('<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer nofollow">docs</a>');
    expect(safe).toContain('<a href="http://example.com/plain" target="_blank" rel="noopener noreferrer nofollow">plain</a>');
    expect(safe).toContain('<a href="mailto:support@helpdesk.example" target="_blank" rel="noopener noreferrer nofollow">mail us</a>');
    expect(safe).toContain('<a>js</a>');
    expect(safe).toContain('<a>relative</a>');
    expect(safe).toContain('<table border="1"><tr><th colspan="2">Head</th></tr><tr><td>a</td><td>b</td></tr></table>');
    expect(safe).toContain('<ul><li>one</li></ul>');
  });
});

describe('parseMail: the HTML shown in the ticket view', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

  it('keeps tables, lists and safe inline styles; drops positioning, url(), expressions and unknown properties', async () => {
    const html = [
      '<table style="border-collapse: collapse; width: 100%; position: absolute; top: 0" bgcolor="#f6f6f9" cellpadding="4">',
      '<tr><th style="text-align: left; border-bottom: 2px solid #4945ff; color: rgb(73, 69, 255)">Browser</th><th>Version</th></tr>',
      '<tr><td style="padding: 4px 8px; font-weight: bold; background: url(https://tracker.example/bg.gif)">Chrome</td>',
      '<td style="width: expression(alert(1)); font-style: italic; z-index: 99; background-color: #fff0f0">131</td></tr>',
      '</table>',
      '<ol start="3"><li style="color: var(--x); margin-left: -999px">first</li><li style="color: u\\rl(x)">second</li></ol>',
      '<p style="font-family: \'Segoe UI\', Arial, sans-serif; font-size: 13px; transform: scale(9); float: left">Thanks</p>',
    ].join('');
    const mail = await parseMail(await compose({ from: 'ann@example.com', subject: 'table', html }));
    expect(mail.safeHtml).toBe(
      [
        '<table style="border-collapse:collapse;width:100%" bgcolor="#f6f6f9" cellpadding="4">',
        '<tr><th style="text-align:left;border-bottom:2px solid #4945ff;color:rgb(73, 69, 255)">Browser</th><th>Version</th></tr>',
        '<tr><td style="padding:4px 8px;font-weight:bold">Chrome</td>',
        '<td style="font-style:italic;background-color:#fff0f0">131</td></tr>',
        '</table>',
        '<ol start="3"><li>first</li><li>second</li></ol>',
        '<p style="font-family:\'Segoe UI\', Arial, sans-serif;font-size:13px">Thanks</p>',
      ].join('')
    );
  });

  it('names the stored part of each cid: image (by file name and which part of that name), and parks remote images', async () => {
    const mail = await parseMail(
      await compose({
        from: 'ann@example.com',
        subject: 'screenshots',
        html: '<p>Before <img src="cid:one@mail"> after <img src="cid:two@mail" alt="after"> logo <img src="https://cdn.example/logo.png" alt="Logo"> gone <img src="cid:missing@mail"></p>',
        attachments: [
          { filename: 'image.png', content: PNG, cid: 'one@mail', contentDisposition: 'inline' },
          { filename: 'image.png', content: PNG, cid: 'two@mail', contentDisposition: 'inline' },
          { filename: 'report.pdf', content: Buffer.from('%PDF-1.4\n'), contentType: 'application/pdf' },
        ],
      })
    );
    expect(mail.safeHtml).toBe(
      '<p>Before <img src="cid:one@mail" data-inline-file="image.png" data-inline-index="0" /> ' +
        'after <img src="cid:two@mail" alt="after" data-inline-file="image.png" data-inline-index="1" /> ' +
        'logo <img alt="Logo" data-remote-src="https://cdn.example/logo.png" /> gone <img src="cid:missing@mail" /></p>'
    );
    expect(mail.attachments.map((part) => [part.filename, part.inline])).toEqual([
      ['image.png', true],
      ['image.png', true],
      ['report.pdf', false],
    ]);
  });
});

describe('parseMail: visibleText', () => {
  it('strips a Gmail-style quote ("On … wrote:" and > lines), keeping the full text', async () => {
    const text = [
      'Thanks, restarting the router fixed it.',
      '',
      'On Mon, Nov 23, 2026 at 10:00 AM Helpdesk Support <support@helpdesk.example> wrote:',
      '> Hello Ann,',
      '>',
      '> please restart the router.',
      '',
    ].join('\n');
    const mail = await parseMail(
      await compose({ from: 'ann@example.com', subject: 'Re: [TKT-2026-00001] Router', inReplyTo: '<t1@helpdesk.example>', text })
    );
    expect(mail.visibleText).toBe('Thanks, restarting the router fixed it.');
    expect(mail.text).toBe(text);
  });

  it('strips a Gmail quote whose header line was wrapped, and one from Gmail HTML', async () => {
    expect(
      visibleText('Works now.\n\nOn Mon, Nov 23, 2026 at 10:00 AM Helpdesk Support <\nsupport@helpdesk.example> wrote:\n\n> Please restart.\n')
    ).toBe('Works now.');
    const mail = await parseMail(
      await compose({
        from: 'ann@example.com',
        subject: 'Re: Router',
        html:
          '<div dir="ltr">Thanks, that fixed it!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 23, 2026 at 10:00 AM Helpdesk Support &lt;support@helpdesk.example&gt; wrote:<br></div>' +
          '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Please restart the router.</blockquote></div>',
      })
    );
    expect(mail.visibleText).toBe('Thanks, that fixed it!');
    // the quoted history keeps its words, marked where Gmail opened it (the ticket view folds it there)
    expect(mail.safeHtml).toContain('<div data-quote="true"><div dir="ltr">On Mon, Nov 23, 2026');
    expect(mail.safeHtml).toContain('<blockquote style="margin:0px 0px 0px 0.8ex" data-quote="true">Please restart the router.</blockquote>');
  });

  it('strips an Outlook-style reply: "-----Original Message-----", "From: … Sent: …" with or without an address', async () => {
    const originalMessage = [
      'Still broken after the restart.',
      '',
      '-----Original Message-----',
      'From: Helpdesk Support <support@helpdesk.example>',
      'Sent: Monday, November 23, 2026 10:00 AM',
      'To: Ann Example <ann@example.com>',
      'Subject: [TKT-2026-00001] Router',
      '',
      'Please restart the router.',
    ].join('\r\n');
    const mail = await parseMail(await compose({ from: 'ann@example.com', subject: 'RE: [TKT-2026-00001] Router', text: originalMessage }));
    expect(mail.visibleText).toBe('Still broken after the restart.');

    const underscores = 'Still broken.\n\n________________________________\nFrom: Helpdesk Support <support@helpdesk.example>\nSent: Monday, November 23, 2026 10:00\nTo: Ann\nSubject: RE: Router\n\nPlease restart.';
    expect(visibleText(underscores)).toBe('Still broken.');
    const noAddress = 'Still broken.\n\nFrom: Helpdesk Support\nSent: Monday, November 23, 2026 10:00 AM\nTo: Ann Example\nSubject: RE: Router\n\nPlease restart.';
    expect(visibleText(noAddress)).toBe('Still broken.');
  });

  it('strips a "-- " signature', async () => {
    const mail = await parseMail(
      await compose({ from: 'ann@example.com', subject: 'Printer', text: 'The printer on floor 3 is jammed.\n\n-- \nAnn Example\nACME Corp, +1 555 0100\n' })
    );
    expect(mail.visibleText).toBe('The printer on floor 3 is jammed.');
    expect(mail.text).toContain('ACME Corp');
  });

  it('falls back to the whole text when stripping leaves nothing', async () => {
    const onlyQuote = '> a quoted line\n> and another\n';
    const mail = await parseMail(await compose({ from: 'ann@example.com', subject: 'Fwd', text: onlyQuote }));
    expect(mail.visibleText).toBe(onlyQuote.trim());
    expect(visibleText('')).toBe('');
  });

  it('keeps long lines, and strips a quote whose lines are long', () => {
    const long = 'word '.repeat(200).trim();
    expect(visibleText(`${long}\n\nOn Mon, Nov 23, 2026 at 10:00 AM Bob <bob@example.com> wrote:\n> ${long}\n> short\n`)).toBe(long);
  });

  it('strips the signature of a long mail too (crafted input: tests/mail-reply-text.test.ts)', () => {
    const longMail = `${'A long first message from a person. '.repeat(300)}\n\n-- \nAnn`;
    expect(visibleText(longMail)).toBe('A long first message from a person. '.repeat(300).trim());
  });
});

describe('parseMail: charsets and transfer encodings (text always UTF-8)', () => {
  it('ISO-8859-1, quoted-printable, with an RFC 2047 subject', async () => {
    const mail = await parseMail(
      raw(
        [
          'From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen@example.de>',
          'Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_dem_Caf=E9?=',
          'Content-Type: text/plain; charset=iso-8859-1',
          'Content-Transfer-Encoding: quoted-printable',
        ],
        'Gr=FC=DFe, Caf=E9 =E0 la cr=E8me\n'
      )
    );
    expect(mail.subject).toBe('Grüße aus dem Café');
    expect(mail.headers.subject).toBe('Grüße aus dem Café');
    expect(mail.from).toEqual({ address: 'juergen@example.de', name: 'Jürgen Müller' });
    expect(mail.text).toBe('Grüße, Café à la crème\n');
  });

  it('ISO-8859-1 as 8-bit latin1 bytes', async () => {
    const mail = await parseMail(
      raw(['From: a@example.de', 'Content-Type: text/plain; charset="ISO-8859-1"', 'Content-Transfer-Encoding: 8bit'], Buffer.from('Grüße, Café\r\n', 'latin1'))
    );
    expect(mail.text).toBe('Grüße, Café\n');
  });

  it('Windows-1252 (€ and curly quotes), base64', async () => {
    const body = Buffer.from([0x80, 0x20, 0x35, 0x30, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94, 0x20, 0x96, 0x20, 0x6f, 0x6b, 0x0d, 0x0a]);
    const mail = await parseMail(
      raw(['From: a@example.com', 'Subject: =?windows-1252?Q?=80_50?=', 'Content-Type: text/plain; charset=windows-1252', 'Content-Transfer-Encoding: base64'], `${body.toString('base64')}\r\n`)
    );
    expect(mail.subject).toBe('€ 50');
    expect(mail.text).toBe('€ 50 “quoted” – ok\n');
  });

  it('Shift_JIS, 8-bit and base64, with a Shift_JIS encoded-word subject', async () => {
    const subject = `=?Shift_JIS?B?${SHIFT_JIS_KONNICHIWA.toString('base64')}?=`;
    const eightBit = await parseMail(
      raw(['From: taro@example.jp', `Subject: ${subject}`, 'Content-Type: text/plain; charset=Shift_JIS', 'Content-Transfer-Encoding: 8bit'], SHIFT_JIS_KONNICHIWA, '\r\n')
    );
    expect(eightBit.subject).toBe('こんにちは');
    expect(eightBit.headers.subject).toBe('こんにちは');
    expect(eightBit.text).toBe('こんにちは\n');
    const base64 = await parseMail(
      raw(['From: taro@example.jp', 'Content-Type: text/plain; charset="shift_jis"', 'Content-Transfer-Encoding: base64'], `${SHIFT_JIS_KONNICHIWA.toString('base64')}\r\n`)
    );
    expect(base64.text).toBe('こんにちは');
  });

  it('UTF-8 subjects split over several encoded words and raw UTF-8 headers', async () => {
    const source = await compose({ from: 'ann@example.com', subject: 'Grüße 日本 こんにちは こんにちは こんにちは こんにちは こんにちは', text: 'x' });
    expect(source.toString('latin1')).toMatch(/Subject: =\?UTF-8\?B\?[^\r\n]+\r\n =\?UTF-8/);
    const mail = await parseMail(source);
    expect(mail.subject).toBe('Grüße 日本 こんにちは こんにちは こんにちは こんにちは こんにちは');
    expect(mail.headers.subject).toBe(mail.subject);
    const rawUtf8 = await parseMail(Buffer.from('From: a@example.com\r\nSubject: Grüße 日本\r\nX-Note: Café\r\n\r\nx\r\n', 'utf8'));
    expect(rawUtf8.subject).toBe('Grüße 日本');
    expect(rawUtf8.headers['x-note']).toBe('Café');
  });

  it('decodes encoded words: B and Q, charsets, adjacent words joined, a multibyte character split across words', () => {
    expect(decodeEncodedWords('=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=')).toBe('こんにちは');
    expect(decodeEncodedWords('=?utf-8?q?a_b?= =?utf-8?q?c?= plain =?utf-8?B?w6k=?=')).toBe('a bc plain é');
    const bytes = Buffer.from('日本', 'utf8');
    expect(decodeEncodedWords(`=?UTF-8?B?${bytes.subarray(0, 4).toString('base64')}?= =?UTF-8?B?${bytes.subarray(4).toString('base64')}?=`)).toBe('日本');
    expect(decodeEncodedWords('=?x-unknown?Q?caf=C3=A9?=')).toBe('café');
    expect(decodeEncodedWords('no words here =? really')).toBe('no words here =? really');
  });
});

describe('parseMail: attachments', () => {
  it('lists attached files and inline cid: images with their bytes', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n', 'latin1');
    const mail = await parseMail(
      await compose({
        from: 'ann@example.com',
        subject: 'Screenshot',
        text: 'See screenshot',
        html: '<p>See <img src="cid:shot@ann.example" alt="screenshot"></p>',
        attachments: [
          { filename: 'screenshot.png', content: png, cid: 'shot@ann.example' },
          { filename: 'invoice.pdf', content: pdf },
        ],
      })
    );
    expect(mail.attachments).toHaveLength(2);
    const [shot, invoice] = mail.attachments;
    expect(shot).toEqual({ filename: 'screenshot.png', contentType: 'image/png', size: png.length, content: png, inline: true, contentId: 'shot@ann.example' });
    expect(invoice).toEqual({ filename: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, content: pdf, inline: false, contentId: null });
    expect(Buffer.isBuffer(invoice.content)).toBe(true);
    expect(mail.safeHtml).toBe('<p>See <img src="cid:shot@ann.example" alt="screenshot" data-inline-file="screenshot.png" data-inline-index="0" /></p>');
  });

  it('names unnamed parts attachment-N.<ext>, keeps only the last segment of a path-like name, and reads Content-ID without brackets', async () => {
    const mail = await parseMail(
      raw(
        ['From: a@example.com', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'],
        [
          '--b1',
          'Content-Type: text/plain',
          '',
          'body',
          '--b1',
          'Content-Type: application/pdf',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from('%PDF-1.4').toString('base64'),
          '--b1',
          'Content-Type: image/jpeg',
          'Content-Disposition: inline',
          'Content-ID: <img1@example.com>',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from([0xff, 0xd8, 0xff]).toString('base64'),
          '--b1',
          'Content-Type: application/x-weird',
          'Content-Disposition: attachment; filename="../../etc/passwd"',
          '',
          'root:x:0:0',
          '--b1--',
          '',
        ].join('\n')
      )
    );
    expect(mail.attachments.map(({ filename, contentType, inline, contentId, size }) => ({ filename, contentType, inline, contentId, size }))).toEqual([
      { filename: 'attachment-1.pdf', contentType: 'application/pdf', inline: false, contentId: null, size: 8 },
      { filename: 'attachment-2.jpg', contentType: 'image/jpeg', inline: true, contentId: 'img1@example.com', size: 3 },
      { filename: 'passwd', contentType: 'application/x-weird', inline: false, contentId: null, size: 10 },
    ]);
  });

  it('leaves out the content of attachments over maxAttachmentBytes, keeping name, type and size', async () => {
    const big = Buffer.alloc(2048, 1);
    const small = Buffer.alloc(100, 2);
    const source = await compose({
      from: 'ann@example.com',
      subject: 'files',
      text: 'two files',
      attachments: [
        { filename: 'big.bin', content: big },
        { filename: 'small.bin', content: small },
      ],
    });
    const mail = await parseMail(source, { maxAttachmentBytes: 1024 });
    const [bigPart, smallPart] = mail.attachments;
    expect(bigPart).toMatchObject({ filename: 'big.bin', size: 2048 });
    expect(bigPart.content.length).toBe(0);
    expect(attachmentOmitted(bigPart)).toBe(true);
    expect(smallPart.content.equals(small)).toBe(true);
    expect(attachmentOmitted(smallPart)).toBe(false);
    const unlimited = await parseMail(source);
    expect(unlimited.attachments[0].content.equals(big)).toBe(true);
  });
});

describe('parseMail: broken and non-mail input', () => {
  // Decision: damaged MIME is parsed as far as it goes (a ticket with what could be read beats a
  // quarantined mail); input that is not a mail, or that makes the parser fail, is a MailParseError.

  it('parses a multipart whose closing boundary is missing, attachment included', async () => {
    const mail = await parseMail(
      raw(
        ['From: ann@example.com', 'Subject: cut off', 'Message-ID: <cut@example.com>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="XX"'],
        ['--XX', 'Content-Type: text/plain; charset=utf-8', '', 'The first part arrived.', '--XX', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK'].join('\n')
      )
    );
    expect(mail.messageId).toBe('<cut@example.com>');
    expect(mail.subject).toBe('cut off');
    expect(mail.text).toBe('The first part arrived.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'report.pdf', contentType: 'application/pdf' });
    expect(mail.attachments[0].content.toString()).toBe('%PDF-1.4\n');
  });

  it('parses a multipart whose boundary never appears, bad base64, and a body with no header block', async () => {
    const noBoundary = await parseMail(raw(['From: ann@example.com', 'Content-Type: multipart/mixed; boundary="never"'], 'just some text\n'));
    expect(noBoundary.from?.address).toBe('ann@example.com');
    const badBase64 = await parseMail(raw(['From: ann@example.com', 'Content-Type: text/plain', 'Content-Transfer-Encoding: base64'], '!!!not base64 at all%%%\n'));
    expect(typeof badBase64.text).toBe('string');
    const headersOnly = await parseMail(Buffer.from('From: ann@example.com\r\nSubject: no body'));
    expect(headersOnly.subject).toBe('no body');
    expect(headersOnly.text).toBe('');
    expect(headersOnly.visibleText).toBe('');
  });

  it('throws MailParseError for an empty buffer, whitespace, random bytes and a text file', async () => {
    expect((await parseError(Buffer.alloc(0))).reason).toBe('empty');
    expect((await parseError(Buffer.from('\r\n \r\n'))).reason).toBe('empty');
    for (const seed of ['one', 'two', 'three']) {
      const error = await parseError(pseudoRandomBytes(4096, seed));
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('MailParseError');
      expect(error.reason).toBe('not_a_mail');
    }
    expect((await parseError(Buffer.from('hello world\nthis is not a mail\n'))).reason).toBe('not_a_mail');
    expect((await parseError(Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'))).reason).toBe('not_a_mail');
  });

  it('throws MailParseError (with the cause) when the MIME parser gives up', async () => {
    const parts = Array.from({ length: 1200 }, (_, index) => `--B\r\nContent-Type: text/plain\r\n\r\npart ${index}\r\n`).join('');
    const error = await parseError(raw(['From: a@example.com', 'Content-Type: multipart/mixed; boundary=B'], `${parts}--B--\r\n`));
    expect(error.reason).toBe('unparseable');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
