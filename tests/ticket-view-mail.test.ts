import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { startHelpdesk, mailIngestion, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';
import { SmtpSink } from './support/smtp-sink';
import { appendMails, startDovecot, mailLoopEnv, type DovecotServer } from './support/dovecot';
import { uniformPng } from './support/uniform-png';
import { createStaffMember } from '../src/plugins/helpdesk/server/src/access/staff-account';
import type { IngestOptions, IngestReport } from '../src/plugins/helpdesk/server/src/mail-ingestion/pipeline';
import type { IngestionConfig, ImapConfig } from '../src/plugins/helpdesk/server/src/mail-ingestion/config';
import type { TicketViewData, TimelineItem } from '../src/plugins/helpdesk/shared/contract';

const TICKET = 'plugin::helpdesk.ticket';
const SUPPORT = 'support@helpdesk.test';
const PASSWORD = 'Correct-Horse-9';
// a 2x2 RGB PNG: the logo inline in the mail
const LOGO = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000000970485973000003e8000003e801b57b526b0000001349444154089963f8cfc0f09f018cff333000001fee03fda92fc0e20000000049454e44ae426082', 'hex');

/** The page's side of the few DOM calls below (the tests compile without the DOM library). */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
  addEventListener(type: 'load' | 'error', listener: () => void): void;
}
type PageWindow = { getComputedStyle(element: unknown): { color: string } };

/** In the page: an image's width once it has loaded (0 when it failed). */
const loadedWidth = (element: unknown): number | Promise<number> => {
  const image = element as PageImage;
  if (image.complete) return image.naturalWidth;
  return new Promise((resolve) => {
    image.addEventListener('load', () => resolve(image.naturalWidth));
    image.addEventListener('error', () => resolve(0));
  });
};

const compose = (options: Mail.Options): Promise<Buffer> => new MailComposer(options).compile().build();
type Message = Extract<TimelineItem, { type: 'message' }>;

/**
 * Issue 17, point 4: a customer's HTML mail in the ticket view as written. Real Dovecot, Strapi and
 * Chromium: the mail is ingested from the mailbox, the ticket view API answers its sanitised HTML
 * with its files under the message, and the panel shows the table while the remote image (on a
 * server of this test that counts requests) stays unloaded until "Show images".
 */
describe('ticket view: a customer HTML mail shown as written', () => {
  jest.setTimeout(300_000);
  let helpdesk: Helpdesk;
  let imap: DovecotServer;
  let panel: Panel;
  const sink = new SmtpSink();
  let ingest: (options?: IngestOptions) => Promise<IngestReport>;
  let admin: { token: string };
  /** The photo attached to the mail, and the banner on the remote server. */
  let photo: Buffer;
  let banner: Buffer;
  /** Requests the remote image server got. */
  const remoteRequests: string[] = [];
  const remote = http.createServer((request, response) => {
    remoteRequests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    response.end(banner);
  });
  let remoteOrigin = '';

  const view = async (documentId: string) =>
    (await helpdesk.request<{ data: TicketViewData }>('GET', `/helpdesk-admin/tickets/${documentId}`, { token: admin.token })).body.data;
  const messages = (data: TicketViewData): Message[] => data.timeline.filter((item): item is Message => item.type === 'message');

  beforeAll(async () => {
    [photo, banner] = await Promise.all([uniformPng(160, 120), uniformPng(120, 30)]);
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    remoteOrigin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
    imap = await startDovecot();
    const port = await sink.start();
    helpdesk = await startHelpdesk({ env: mailLoopEnv(imap, port, SUPPORT) });
    const ingestion = mailIngestion(helpdesk);
    const config = ingestion.readConfig() as IngestionConfig & { imap: ImapConfig };
    ingest = (options) => ingestion.ingest(config, options);
    admin = await helpdesk.admin('lead@example.test');
    await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password: PASSWORD, name: 'Ann Agent' });
  });
  afterAll(async () => {
    await panel?.close();
    await helpdesk?.stop();
    await imap?.stop();
    await sink.stop();
    remote.closeAllConnections();
    await new Promise((resolve) => remote.close(resolve));
  });

  let ticket: { documentId: string; ticketNumber: string };

  it('answers the mail HTML with the message, and the mail files inside it (no "System attached a file")', async () => {
    const html = [
      '<div style="font-family: Arial, sans-serif; position: fixed; top: 0">',
      '<p>Hello, the export fails on these browsers:</p>',
      '<table style="border-collapse: collapse" cellpadding="6">',
      '<tr><th style="border: 1px solid #999; background-color: #eeeeff; text-align: left">Browser</th><th style="border: 1px solid #999; background-color: #eeeeff; text-align: left">Result</th></tr>',
      '<tr><td style="border: 1px solid #999">Chrome 131</td><td style="border: 1px solid #999; color: #b00020; font-weight: bold">empty file</td></tr>',
      '<tr><td style="border: 1px solid #999">Firefox 133</td><td style="border: 1px solid #999; color: #2e7d32">works</td></tr>',
      '</table>',
      '<p>Steps:</p><ol><li>Open <b>Reports</b></li><li>Click <i>Export</i></li></ol>',
      '<p>Our logo: <img src="cid:logo@customer.test" alt="Customer logo" width="40" height="40"></p>',
      `<p>Signature <img src="${remoteOrigin}/signature.png?recipient=support" alt="Signature banner" width="120" height="30"></p>`,
      '<script>parent.document.title = "pwned"</script><p onclick="alert(1)">Thanks, Gina</p>',
      '</div>',
    ].join('');
    const [uid] = await appendMails(imap, 'INBOX', [
      (
        await compose({
          from: 'Gina Gray <gina@customer.test>',
          to: SUPPORT,
          subject: 'Export is empty in Chrome',
          messageId: '<export-1@customer.test>',
          html,
          attachments: [
            { filename: 'logo.png', content: LOGO, contentType: 'image/png', cid: 'logo@customer.test' },
            { filename: 'screenshot.png', content: photo, contentType: 'image/png' },
            { filename: 'export-log.txt', content: 'export started\nexport failed: empty\n', contentType: 'text/plain' },
          ],
        })
      ).toString('latin1'),
    ]);
    expect(uid).toBeGreaterThan(0);
    expect((await ingest()).outcomes).toMatchObject({ ticket_created: 1 });
    ticket = (await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Export is empty in Chrome' } })) as typeof ticket;

    // the customer answers in the thread: HTML again, with a file
    await appendMails(imap, 'INBOX', [
      (
        await compose({
          from: 'Gina Gray <gina@customer.test>',
          to: SUPPORT,
          subject: `Re: [${ticket.ticketNumber}] Export is empty in Chrome`,
          messageId: '<export-2@customer.test>',
          html: '<p>Same in <u>Edge</u>:</p><ul><li>Edge 131: empty file</li></ul>',
          attachments: [{ filename: 'edge.png', content: LOGO, contentType: 'image/png' }],
        })
      ).toString('latin1'),
    ]);
    expect((await ingest()).outcomes).toMatchObject({ comment_added: 1 });

    const data = await view(ticket.documentId);
    // every file is inside a message: none is a timeline entry of its own
    expect(data.timeline.filter((item) => item.type === 'attachment')).toEqual([]);
    const [opening, reply] = messages(data);
    expect(opening.kind).toBe('opening');
    expect(opening.attachments.map((file) => [file.name, file.mime])).toEqual([
      ['logo.png', 'image/png'],
      ['screenshot.png', 'image/png'],
      ['export-log.txt', 'text/plain'],
    ]);
    expect(opening.attachments.every((file) => typeof file.url === 'string')).toBe(true);
    // the sanitised HTML: table, list and safe styles kept; script, handler and positioning gone;
    // the cid: image names its stored file, the remote image is parked (not loaded)
    expect(opening.html).toContain('<td style="border:1px solid #999;color:#b00020;font-weight:bold">empty file</td>');
    expect(opening.html).toContain('<ol><li>Open <b>Reports</b></li><li>Click <i>Export</i></li></ol>');
    expect(opening.html).toContain('<div style="font-family:Arial, sans-serif">');
    expect(opening.html).toContain('data-inline-file="logo.png" data-inline-index="0"');
    expect(opening.html).toContain(`data-remote-src="${remoteOrigin}/signature.png?recipient=support"`);
    expect(opening.html).not.toMatch(/<script|onclick|position|\ssrc="http/);
    // the text stays what it was (mails, search, the Content Manager)
    expect(opening.body).toContain('Chrome 131');

    expect(reply).toMatchObject({ kind: 'customer', author: 'Gina Gray', html: '<p>Same in <u>Edge</u>:</p><ul><li>Edge 131: empty file</li></ul>' });
    expect(reply.attachments.map((file) => file.name)).toEqual(['edge.png']);

    // a staff note has no mail behind it: its text, as before
    const note = await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket.documentId}/replies`, {
      token: admin.token,
      body: { body: 'Reproduced on Chrome 131.', isInternal: true },
    });
    expect(note.status).toBeLessThan(300);
    const after = messages(await view(ticket.documentId));
    expect(after[2]).toMatchObject({ kind: 'internal_note', body: 'Reproduced on Chrome 131.', html: null });
  });

  it('shows the table in Chromium, the inline logo and the file previews, and loads the remote image only after "Show images"', async () => {
    panel = await openPanel(helpdesk.baseUrl);
    // the panel's browser reaches nothing but Strapi; this test's image server is let through so
    // that any request the page makes to it is counted
    await panel.context.route((url) => url.origin === remoteOrigin, (route) => route.continue());
    const { page } = panel;
    await panel.signIn('ann@example.test', PASSWORD);
    await page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);

    const opening = page.locator('article[data-kind="opening"]');
    const frame = page.frameLocator('article[data-kind="opening"] iframe');
    await frame.getByRole('cell', { name: 'empty file' }).waitFor();
    await expect(frame.getByRole('row').count()).resolves.toBe(3);
    await expect(frame.getByRole('listitem').allInnerTexts()).resolves.toEqual(['Open Reports', 'Click Export']);
    // the cell keeps its colour; the script did not run
    await expect(frame.getByRole('cell', { name: 'empty file' }).evaluate((cell) => (globalThis as unknown as PageWindow).getComputedStyle(cell).color)).resolves.toBe('rgb(176, 0, 32)');
    expect(await page.title()).not.toBe('pwned');
    // the inline logo is the stored file, loaded
    const logo = frame.getByRole('img', { name: 'Customer logo' });
    await expect(logo.evaluate(loadedWidth)).resolves.toBe(2);
    // the frame is as tall as the mail: the last line is inside it
    const box = await page.locator('article[data-kind="opening"] iframe').boundingBox();
    const frameHeight = await frame.locator('html').evaluate((html) => html.scrollHeight);
    expect(Math.round(box?.height ?? 0)).toBe(frameHeight);

    // the files of the mail inside its card: the photo as a preview, the log as a link; the inline logo only in the text
    await expect(opening.locator('figure[data-preview]').evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-attachment')))).resolves.toEqual([
      'screenshot.png',
    ]);
    await expect(opening.locator('[data-attachment="screenshot.png"] img').evaluate(loadedWidth)).resolves.toBe(160);
    await expect(opening.getByRole('link', { name: 'export-log.txt' }).isVisible()).resolves.toBe(true);
    await expect(opening.locator('[data-attachment="logo.png"]').count()).resolves.toBe(0);
    await expect(page.getByText('attached a file').count()).resolves.toBe(0);
    await expect(page.locator('article[data-kind="customer"] [data-attachment="edge.png"] img').isVisible()).resolves.toBe(true);

    // the remote image: not requested, until staff ask
    await opening.getByText('A remote image is not loaded').waitFor();
    // both messages on the picture (the panel scrolls inside the viewport)
    await page.setViewportSize({ width: 1440, height: 1400 });
    // for the README too (UPDATE_README_SCREENSHOTS=1), without Strapi's banner
    await panel.screenshot('ticket-view-html-mail', true);
    expect(remoteRequests).toEqual([]);
    await opening.getByRole('button', { name: 'Show images' }).click();
    await expect(frame.getByRole('img', { name: 'Signature banner' }).evaluate(loadedWidth)).resolves.toBe(120);
    expect(remoteRequests).toEqual(['/signature.png?recipient=support']);
    await expect(opening.getByRole('button', { name: 'Show images' }).count()).resolves.toBe(0);
    await panel.screenshot('ticket-view-html-mail-images');
    expect(panel.problems).toEqual([]);
  });

  it("folds a reply's quoted history (Gmail, Outlook, Apple Mail marks) behind a button, and leaves a reply written between quotes open", async () => {
    const reply = (messageId: string, html: string) =>
      compose({ from: 'Gina Gray <gina@customer.test>', to: SUPPORT, subject: `Re: [${ticket.ticketNumber}] Export is empty in Chrome`, messageId, html });
    await appendMails(imap, 'INBOX', [
      // Gmail: the new text, then div.gmail_quote with the "wrote:" line and the quote
      (await reply('<quote-gmail@customer.test>', '<div dir="ltr">Any news on the export?</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Dec 7, 2026 at 09:12 Support &lt;support@helpdesk.test&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">We are looking into the empty export.</blockquote></div>')).toString('latin1'),
      // Outlook: #appendonsend, a rule, #divRplyFwdMsg with the headers, then the old mail
      (await reply('<quote-outlook@customer.test>', '<div style="font-family:Calibri">Edge works now, thanks.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Support<br><b>Sent:</b> Monday</div><div>Please try again after the update.</div>')).toString('latin1'),
      // Apple Mail, answered between the quotes: nothing folded
      (await reply('<quote-inline@customer.test>', '<blockquote type="cite">Which browser?</blockquote><div>Chrome 131.</div><blockquote type="cite">Which version of the app?</blockquote><div>4.2</div>')).toString('latin1'),
    ]);
    expect((await ingest()).outcomes).toMatchObject({ comment_added: 3 });
    const [gmail, outlook, inline] = messages(await view(ticket.documentId)).slice(-3);
    // marked at ingestion where the mail program opened the quote; a mark sent in the mail is not kept
    expect(gmail.html).toContain('<div data-quote="true"><div dir="ltr">On Mon, Dec 7, 2026');
    expect(outlook.html).toContain('<div data-quote="true"></div>');
    expect(inline.html).toContain('<blockquote data-quote="true">Which browser?</blockquote>');

    const { page } = panel;
    await page.goto(`/admin/helpdesk/tickets/${ticket.documentId}`);
    const frames = page.locator('article[data-kind="customer"] iframe');
    const frameOf = (index: number) => page.frameLocator('article[data-kind="customer"] iframe').nth(index);
    await frameOf(3).getByText('Which version of the app?').waitFor();
    await expect(frames.count()).resolves.toBe(4);
    const height = async (index: number) => Math.round((await frames.nth(index).boundingBox())?.height ?? 0);
    /** The frame's height once it has settled on `check` (the panel resizes it after the toggle), or the last one seen. */
    const settledHeight = async (index: number, check: (value: number) => boolean) => {
      let value = await height(index);
      for (let tries = 0; tries < 50 && !check(value); tries++) {
        await page.waitForTimeout(100);
        value = await height(index);
      }
      return value;
    };

    const gmailFrame = frameOf(1);
    await expect(gmailFrame.getByText('Any news on the export?').isVisible()).resolves.toBe(true);
    await expect(gmailFrame.getByText('We are looking into the empty export.').isVisible()).resolves.toBe(false);
    await expect(frameOf(2).getByText('Please try again after the update.').isVisible()).resolves.toBe(false);
    await expect(frameOf(2).getByText('Edge works now, thanks.').isVisible()).resolves.toBe(true);
    // the answers between the quotes are all shown
    await expect(frameOf(3).locator('summary').count()).resolves.toBe(0);
    await expect(frameOf(3).getByText('Which version of the app?').isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1440, height: 1400 });
    // the three replies on the picture
    await frames.nth(3).scrollIntoViewIfNeeded();
    await panel.screenshot('ticket-view-quoted-history-folded');

    // staff open it: the frame grows to show it, and shrinks again when it is closed
    const folded = await height(1);
    await gmailFrame.getByText('Quoted history').click();
    await gmailFrame.getByText('We are looking into the empty export.').waitFor();
    expect(await settledHeight(1, (value) => value > folded + 20)).toBeGreaterThan(folded + 20);
    await panel.screenshot('ticket-view-quoted-history-open');
    await gmailFrame.getByText('Quoted history').click();
    expect(await settledHeight(1, (value) => value === folded)).toBe(folded);
    expect(panel.problems).toEqual([]);
  });
});
