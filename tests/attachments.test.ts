import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { getService } from '../src/plugins/helpdesk/server/src/get-service';

const TICKET = 'plugin::helpdesk.ticket';
const COMMENT = 'plugin::helpdesk.comment';
const ATTACHMENT = 'plugin::helpdesk.attachment';
const HISTORY = 'plugin::helpdesk.ticket-history';
const FILE = 'plugin::upload.file';
const MB = 1024 * 1024;

interface Upload {
  name: string;
  type: string;
  content: Buffer | string;
}

interface AttachmentRecord {
  id: number;
  documentId: string;
  filename: string;
  size: number;
  mimeType: string;
  url: string;
}

// a 1x1 transparent PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64'
);
// what a Windows executable starts with: the "MZ" header
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(120)]);

describe('ticket attachments (local provider)', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let otherAgent: { id: number; jwt: string };
  let admin: { id: number; token: string };
  /** What the local provider stored: this Strapi's own uploads folder (see startHelpdesk). */
  const uploadsOnDisk = () => new Set(fs.readdirSync(helpdesk.uploadsDir));

  const newTicket = (subject = 'Attachment ticket') => helpdesk.strapi.documents(TICKET).create({ data: { subject } });

  const postFiles = async (ticketDocumentId: string, uploads: Upload[], options: { token?: string; fields?: Record<string, string>; field?: string } = {}) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
    for (const upload of uploads) {
      form.append(options.field ?? 'files', new Blob([upload.content], { type: upload.type }), upload.name);
    }
    const response = await fetch(`${helpdesk.baseUrl}/api/tickets/${ticketDocumentId}/attachments`, {
      method: 'POST',
      headers: options.token === undefined ? { authorization: `Bearer ${agent.jwt}` } : options.token ? { authorization: `Bearer ${options.token}` } : {},
      body: form,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  /** Everything a refused request must leave as it was. */
  const snapshot = async () => ({
    files: await helpdesk.strapi.db.query(FILE).count({}),
    attachments: await helpdesk.strapi.db.query(ATTACHMENT).count({}),
    history: await helpdesk.strapi.db.query(HISTORY).count({ where: { action: 'attachment_added' } }),
    disk: [...uploadsOnDisk()].sort(),
  });

  const historyOf = async (ticketId: number | string) =>
    (await helpdesk.strapi.db.query(HISTORY).findMany({
      where: { ticket: { id: ticketId }, action: 'attachment_added' },
      orderBy: { id: 'asc' },
    })) as Array<{ newValue: string; actorType: string; actorName: string }>;

  /** The temp files the body parser wrote for the requests made while `work` runs. */
  const tempFilesOf = async (work: () => Promise<unknown>): Promise<string[]> => {
    const service = getService(helpdesk.strapi, 'attachmentUpload');
    const seen: string[] = [];
    const original = service.attach.bind(service);
    const spy = jest.spyOn(service, 'attach').mockImplementation((request) => {
      seen.push(...request.files.map((file) => file.filepath));
      return original(request);
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return seen;
  };

  /** Uploads through /api/upload (the media library's REST route) as `token`; returns the file id. */
  const restUpload = async (token: string, upload: Upload): Promise<number> => {
    const form = new FormData();
    form.append('files', new Blob([upload.content], { type: upload.type }), upload.name);
    const response = await fetch(`${helpdesk.baseUrl}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(201);
    const [file] = (await response.json()) as Array<{ id: number }>;
    return file.id;
  };

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent('attach-agent@example.test');
    otherAgent = await helpdesk.agent('other-agent@example.test');
    admin = await helpdesk.admin();
  });

  afterAll(async () => {
    await helpdesk?.stop();
  });

  it('stores files on disk, creates one attachment and one history row per file, and answers 201 with the records', async () => {
    const ticket = await newTicket();
    const comment = await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: ticket.documentId, body: 'See the logs' } as never });
    const before = await snapshot();

    const response = await postFiles(ticket.documentId, [
      { name: 'error log.txt', type: 'text/plain', content: 'Something failed\n' },
      { name: 'screenshot.png', type: 'image/png', content: PNG },
    ], { fields: { comment: comment.documentId } });

    expect(response.status).toBe(201);
    // in the order the form sent them
    const records = response.body.data as AttachmentRecord[];
    expect(records).toEqual([
      { id: expect.any(Number), documentId: expect.any(String), filename: 'error log.txt', size: 17, mimeType: 'text/plain', url: expect.stringMatching(/^\/uploads\/.+\.txt$/) },
      { id: expect.any(Number), documentId: expect.any(String), filename: 'screenshot.png', size: expect.any(Number), mimeType: 'image/png', url: expect.stringMatching(/^\/uploads\/.+\.png$/) },
    ]);

    // on disk in public/uploads, and served back
    const stored = path.join(helpdesk.uploadsDir, path.basename(records[0].url));
    expect(fs.readFileSync(stored, 'utf8')).toBe('Something failed\n');
    const served = await fetch(`${helpdesk.baseUrl}${records[0].url}`);
    expect(await served.text()).toBe('Something failed\n');

    const rows = (await helpdesk.strapi.db.query(ATTACHMENT).findMany({
      where: { id: { $in: records.map((r) => r.id) } },
      populate: { ticket: true, comment: true, file: true },
      orderBy: { id: 'asc' },
    })) as Array<{ ticket: { id: number }; comment: { id: number }; uploadedByType: string; uploadedByName: string; file: { id: number } }>;
    expect(rows.map((row) => [row.ticket.id, row.comment.id, row.uploadedByType, row.uploadedByName])).toEqual([
      [Number(ticket.id), Number(comment.id), 'agent', 'attach-agent'],
      [Number(ticket.id), Number(comment.id), 'agent', 'attach-agent'],
    ]);
    expect((await historyOf(ticket.id)).map((row) => [row.newValue, row.actorType])).toEqual([
      ['error log.txt', 'agent'],
      ['screenshot.png', 'agent'],
    ]);

    const after = await snapshot();
    expect(after.files - before.files).toBeGreaterThanOrEqual(2);
    expect(after.attachments - before.attachments).toBe(2);
    expect(after.history - before.history).toBe(2);

    // the agent reads it back through the REST API
    const readBack = await helpdesk.request('GET', `/api/attachments/${records[0].documentId}?populate=file`, { token: agent.jwt });
    expect(readBack.status).toBe(200);
    expect(readBack.body.data).toMatchObject({ filename: 'error log.txt', file: { url: records[0].url } });
  });

  it('keeps the order the files were sent, whichever finishes writing first', async () => {
    const ticket = await newTicket();
    const sent = [
      { name: 'large.txt', type: 'text/plain', content: 'a line of a large log\n'.repeat(20_000) },
      { name: 'small-1.txt', type: 'text/plain', content: 'one' },
      { name: 'small-2.txt', type: 'text/plain', content: 'two' },
      { name: 'small-3.txt', type: 'text/plain', content: 'three' },
      { name: 'small-4.txt', type: 'text/plain', content: 'four' },
    ];
    // formidable lists a field's files as their temp files finish writing: over 20 requests of 5
    // files, some finish out of order (without the fix, this failed in the first run)
    for (let round = 0; round < 20; round++) {
      const response = await postFiles(ticket.documentId, sent);
      expect(response.status).toBe(201);
      expect((response.body.data as AttachmentRecord[]).map((record) => record.filename)).toEqual(sent.map((file) => file.name));
    }
  });

  it('answers 404 for an unknown ticket and 400 for a comment of another ticket, storing nothing', async () => {
    const ticket = await newTicket();
    const otherTicket = await newTicket('Other');
    const foreignComment = await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: otherTicket.documentId, body: 'Elsewhere' } as never });
    const before = await snapshot();
    const file = { name: 'a.txt', type: 'text/plain', content: 'a' };

    const unknown = await postFiles('no-such-ticket', [file]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.name).toBe('NotFoundError');

    const wrongComment = await postFiles(ticket.documentId, [file], { fields: { comment: foreignComment.documentId } });
    expect(wrongComment.status).toBe(400);
    expect(wrongComment.body.error.details.errors[0].path).toEqual(['comment']);

    const noFiles = await postFiles(ticket.documentId, []);
    expect(noFiles.status).toBe(400);
    expect(noFiles.body.error.details.errors[0].path).toEqual(['files']);

    const wrongField = await postFiles(ticket.documentId, [file], { field: 'file' });
    expect(wrongField.status).toBe(400);

    const unknownField = await postFiles(ticket.documentId, [file], { fields: { ticket: ticket.documentId } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.errors[0].path).toEqual(['ticket']);

    expect(await snapshot()).toEqual(before);
  });

  it('refuses callers without the Agent role', async () => {
    const ticket = await newTicket();
    const before = await snapshot();
    const anonymous = await postFiles(ticket.documentId, [{ name: 'a.txt', type: 'text/plain', content: 'a' }], { token: '' });
    expect(anonymous.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 413 naming the file and the limit for a file over ATTACHMENT_MAX_BYTES, storing nothing', async () => {
    const ticket = await newTicket();
    const before = await snapshot();
    let response: Awaited<ReturnType<typeof postFiles>> | undefined;
    const temp = await tempFilesOf(async () => {
      response = await postFiles(ticket.documentId, [
        { name: 'small.txt', type: 'text/plain', content: 'fine' },
        { name: 'huge.pdf', type: 'application/pdf', content: Buffer.alloc(10 * MB + 1, 0x20) },
      ]);
    });
    if (!response) throw new Error('no response');
    // the body parser's temp files are gone too
    expect(temp).toHaveLength(2);
    expect(temp.filter((file) => fs.existsSync(file))).toEqual([]);
    expect(response.status).toBe(413);
    expect(response.body.error.name).toBe('PayloadTooLargeError');
    expect(response.body.error.message).toBe('"huge.pdf" is 10485761 bytes; a file may be at most 10 MB (10485760 bytes)');
    expect(await snapshot()).toEqual(before);
  });

  it('answers a 60 MB request with a clear 413 from the body parser, not a 500', async () => {
    const ticket = await newTicket();
    const before = await snapshot();
    const response = await postFiles(ticket.documentId, [{ name: 'video.mp4', type: 'video/mp4', content: Buffer.alloc(60 * MB) }]);
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({
      name: 'PayloadTooLargeError',
      message: 'The files in one request may total at most 50 MB (at most 5 files of 10 MB each)',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses more files than ATTACHMENT_MAX_FILES', async () => {
    const ticket = await newTicket();
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, type: 'text/plain', content: 'x' }));
    const response = await postFiles(ticket.documentId, six);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('at most 5 files per request, got 6');
  });

  it.each([
    ['by MIME type', { name: 'payload.dat', type: 'application/x-msdownload', content: 'hello' }, 'application/x-msdownload'],
    ['by extension (.exe)', { name: 'setup.exe', type: 'application/octet-stream', content: EXE }, '.exe'],
    ['by extension with an innocent type (.ps1)', { name: 'fix.ps1', type: 'text/plain', content: 'Write-Host hi' }, '.ps1'],
    ['by extension (.js)', { name: 'widget.js', type: 'text/plain', content: 'alert(1)' }, '.js'],
    ['by extension (.svg, script-capable)', { name: 'logo.svg', type: 'image/svg+xml', content: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' }, '.svg'],
    ['by content: an exe renamed to .pdf', { name: 'invoice.pdf', type: 'application/pdf', content: EXE }, 'application/x-msdownload'],
    ['by content: an exe renamed to .txt', { name: 'readme.txt', type: 'text/plain', content: EXE }, 'application/x-msdownload'],
    ['by content: an ELF binary renamed to .png', { name: 'photo.png', type: 'image/png', content: ELF }, 'application/x-elf'],
    ['by content: a shell script renamed to .txt', { name: 'notes.txt', type: 'text/plain', content: '#!/bin/sh\nrm -rf /\n' }, 'a script'],
  ])('answers 400 naming the file for an executable %s, storing nothing (not even the good file beside it)', async (_label, bad, reason) => {
    const ticket = await newTicket();
    const before = await snapshot();
    let response: Awaited<ReturnType<typeof postFiles>> | undefined;
    const temp = await tempFilesOf(async () => {
      response = await postFiles(ticket.documentId, [{ name: 'fine.txt', type: 'text/plain', content: 'fine' }, bad]);
    });
    if (!response) throw new Error('no response');
    expect(temp.filter((file) => fs.existsSync(file))).toEqual([]);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(response.body.error.message).toContain(`"${bad.name}"`);
    expect(response.body.error.message).toContain(reason);
    expect(await snapshot()).toEqual(before);
  });

  it('removes the files it stored when the provider fails on a later file', async () => {
    const ticket = await newTicket();
    const before = await snapshot();
    const provider = helpdesk.strapi.plugin('upload').provider as { uploadStream: (...args: unknown[]) => Promise<void> };
    const original = provider.uploadStream.bind(provider);
    let calls = 0;
    // the 500 below is the point; keep its stack trace out of the test output
    jest.spyOn(helpdesk.strapi.log, 'error').mockImplementation(() => helpdesk.strapi.log);
    const spy = jest.spyOn(provider, 'uploadStream').mockImplementation(async (...args: unknown[]) => {
      calls += 1;
      if (calls === 2) throw new Error('disk full');
      return original(...args);
    });
    try {
      const response = await postFiles(ticket.documentId, [
        { name: 'one.txt', type: 'text/plain', content: 'one' },
        { name: 'two.txt', type: 'text/plain', content: 'two' },
      ]);
      expect(response.status).toBe(500);
    } finally {
      jest.restoreAllMocks();
    }
    expect(calls).toBe(2);
    expect(await snapshot()).toEqual(before);
  });

  it('leaves no file, attachment or history row when writing a record fails', async () => {
    const ticket = await newTicket();
    const before = await snapshot();
    const history = getService(helpdesk.strapi, 'history');
    const original = history.record.bind(history);
    let calls = 0;
    jest.spyOn(helpdesk.strapi.log, 'error').mockImplementation(() => helpdesk.strapi.log);
    const spy = jest.spyOn(history, 'record').mockImplementation(async (...args) => {
      calls += 1;
      if (calls === 2) throw new Error('history unavailable');
      return original(...args);
    });
    try {
      const response = await postFiles(ticket.documentId, [
        { name: 'one.txt', type: 'text/plain', content: 'one' },
        { name: 'two.txt', type: 'text/plain', content: 'two' },
      ]);
      expect(response.status).toBe(500);
    } finally {
      jest.restoreAllMocks();
    }
    expect(calls).toBe(2);
    expect(await snapshot()).toEqual(before);
  });

  describe('which files an attachment may point at', () => {
    /** An admin's private upload in the media library, as the admin panel stores it. */
    const adminUpload = async (): Promise<number> => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-upload-'));
      const filepath = path.join(dir, 'salaries.pdf');
      fs.writeFileSync(filepath, '%PDF-1.4\nconfidential\n');
      try {
        const [file] = (await helpdesk.strapi.plugin('upload').service('upload').upload(
          { data: {}, files: { filepath, originalFilename: 'salaries.pdf', mimetype: 'application/pdf', size: fs.statSync(filepath).size } },
          { user: { id: admin.id } }
        )) as Array<{ id: number; url: string }>;
        return file.id;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };

    const attachById = (token: string, ticketDocumentId: string, file: number) =>
      helpdesk.request('POST', '/api/attachments', { token, body: { data: { ticket: ticketDocumentId, file } } });

    it("refuses an agent attaching an admin's private upload by id, and the agent cannot read it", async () => {
      const secret = await adminUpload();
      const ticket = await newTicket();
      const before = await snapshot();

      const attempt = await attachById(agent.jwt, ticket.documentId, secret);
      expect(attempt.status).toBe(400);
      expect(attempt.body.error.details.errors[0]).toMatchObject({ path: ['file'], message: 'file must be a file you uploaded' });
      expect(await snapshot()).toEqual(before);

      // nothing points at it, and the media library itself is closed to agents
      const listed = await helpdesk.request('GET', '/api/attachments?populate=file&pagination[pageSize]=100', { token: agent.jwt });
      expect(listed.status).toBe(200);
      expect(listed.body.data.filter((a: { file: { id: number } | null }) => a.file?.id === secret)).toEqual([]);
      expect((await helpdesk.request('GET', `/api/upload/files/${secret}`, { token: agent.jwt })).status).toBe(403);
      const stored = await helpdesk.strapi.db.query(ATTACHMENT).count({ where: { file: { id: secret } } });
      expect(stored).toBe(0);
    });

    it("refuses a file another agent uploaded, and accepts the agent's own /api/upload file once", async () => {
      const ticket = await newTicket();
      const own = await restUpload(agent.jwt, { name: 'own.txt', type: 'text/plain', content: 'mine' });

      const stolen = await attachById(otherAgent.jwt, ticket.documentId, own);
      expect(stolen.status).toBe(400);
      expect(stolen.body.error.details.errors[0].message).toBe('file must be a file you uploaded');

      const mine = await attachById(agent.jwt, ticket.documentId, own);
      expect(mine.status).toBe(201);
      expect((await historyOf(ticket.id)).map((row) => row.newValue)).toEqual(['own.txt']);
    });

    it("refuses replacing or editing somebody else's file through /api/upload?id=, and allows the uploader", async () => {
      const secret = await adminUpload();
      const own = await restUpload(agent.jwt, { name: 'draft.txt', type: 'text/plain', content: 'v1' });
      const replace = async (token: string, id: number) => {
        const form = new FormData();
        form.append('files', new Blob(['overwritten'], { type: 'text/plain' }), 'evil.txt');
        return fetch(`${helpdesk.baseUrl}/api/upload?id=${id}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      };
      const rename = (token: string, id: number) => {
        const form = new FormData();
        form.append('fileInfo', JSON.stringify({ name: 'renamed.txt' }));
        return fetch(`${helpdesk.baseUrl}/api/upload?id=${id}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      };
      const before = await helpdesk.strapi.db.query('plugin::upload.file').findOne({ where: { id: secret } });
      expect((await replace(agent.jwt, secret)).status).toBe(403);
      expect((await rename(agent.jwt, secret)).status).toBe(403);
      expect((await replace(otherAgent.jwt, own)).status).toBe(403);
      const after = await helpdesk.strapi.db.query('plugin::upload.file').findOne({ where: { id: secret } });
      expect([after.name, after.hash, after.url]).toEqual([before.name, before.hash, before.url]);

      expect((await rename(agent.jwt, own)).status).toBe(200);
      expect((await helpdesk.strapi.db.query('plugin::upload.file').findOne({ where: { id: own } })).name).toBe('renamed.txt');
    });

    it('refuses a file already attached to ticket A on ticket B, from every route and origin', async () => {
      const ticketA = await newTicket('A');
      const ticketB = await newTicket('B');
      const uploaded = await postFiles(ticketA.documentId, [{ name: 'shared.txt', type: 'text/plain', content: 'shared' }]);
      expect(uploaded.status).toBe(201);
      const attached = (await helpdesk.strapi.db.query(ATTACHMENT).findOne({
        where: { id: uploaded.body.data[0].id },
        populate: { file: true },
      })) as { file: { id: number } };
      const before = await snapshot();

      const again = await attachById(agent.jwt, ticketB.documentId, attached.file.id);
      expect(again.status).toBe(400);
      expect(again.body.error.details.errors[0]).toMatchObject({ path: ['file'], message: 'file is already attached elsewhere' });

      // the admin panel may choose any media file, but not one that is already attached
      const fromPanel = await helpdesk.request('POST', `/content-manager/collection-types/${ATTACHMENT}`, {
        token: admin.token,
        body: { ticket: { connect: [{ documentId: ticketB.documentId }] }, file: attached.file.id },
      });
      expect(fromPanel.status).toBe(400);
      expect(fromPanel.body.error.message).toBe('file is already attached elsewhere');
      await expect(
        helpdesk.strapi.documents(ATTACHMENT).create({ data: { ticket: ticketB.documentId, file: attached.file.id } })
      ).rejects.toThrow('file is already attached elsewhere');

      expect(await snapshot()).toEqual(before);
      expect(await historyOf(ticketB.id)).toEqual([]);
    });

    it('lets an admin attach their own media library file in the admin panel', async () => {
      const ticket = await newTicket();
      const file = await adminUpload();
      const fromPanel = await helpdesk.request('POST', `/content-manager/collection-types/${ATTACHMENT}`, {
        token: admin.token,
        body: { ticket: { connect: [{ documentId: ticket.documentId }] }, file },
      });
      expect(fromPanel.status).toBe(201);
      expect((await historyOf(ticket.id)).map((row) => [row.newValue, row.actorType])).toEqual([['salaries.pdf', 'admin']]);
    });

    it('lets the admin panel change an attachment to a free file, never to one attached elsewhere', async () => {
      const ticket = await newTicket();
      const first = await postFiles(ticket.documentId, [
        { name: 'first.txt', type: 'text/plain', content: '1' },
        { name: 'second.txt', type: 'text/plain', content: '2' },
      ]);
      expect(first.status).toBe(201);
      const [one, two] = first.body.data as AttachmentRecord[];
      const fileOf = async (id: number) =>
        ((await helpdesk.strapi.db.query(ATTACHMENT).findOne({ where: { id }, populate: { file: true } })) as { file: { id: number } }).file.id;
      const edit = (documentId: string, file: number) =>
        helpdesk.request('PUT', `/content-manager/collection-types/${ATTACHMENT}/${documentId}`, { token: admin.token, body: { file } });

      const taken = await edit(one.documentId, await fileOf(two.id));
      expect(taken.status).toBe(400);
      expect(taken.body.error.message).toBe('file is already attached elsewhere');
      const free = await adminUpload();
      expect((await edit(one.documentId, free)).status).toBe(200);
      expect(await fileOf(one.id)).toBe(free);
    });

    it('gives an API token only the files it uploads in the same request', async () => {
      const token = (await helpdesk.strapi.service('admin::api-token').create({
        name: 'integration',
        kind: 'content-api',
        type: 'custom',
        lifespan: null,
        permissions: ['plugin::helpdesk.ticket-attachment.create', 'plugin::helpdesk.attachment.create', 'plugin::upload.content-api.upload'],
      })) as { accessKey: string };
      const ticket = await newTicket();

      const sameRequest = await postFiles(ticket.documentId, [{ name: 'from-crm.txt', type: 'text/plain', content: 'crm' }], { token: token.accessKey });
      expect(sameRequest.status).toBe(201);

      // a token is nobody in particular: nothing ties an earlier upload to it
      const earlier = await restUpload(token.accessKey, { name: 'earlier.txt', type: 'text/plain', content: 'e' });
      const byId = await attachById(token.accessKey, ticket.documentId, earlier);
      expect(byId.status).toBe(400);
      expect(await attachById(token.accessKey, ticket.documentId, await adminUpload())).toMatchObject({ status: 400 });
      expect((await historyOf(ticket.id)).map((row) => [row.newValue, row.actorType])).toEqual([['from-crm.txt', 'system']]);
    });

    it('refuses a comment of another ticket on POST /api/attachments too', async () => {
      const ticket = await newTicket();
      const otherTicket = await newTicket('Other');
      const comment = await helpdesk.strapi.documents(COMMENT).create({ data: { ticket: otherTicket.documentId, body: 'x' } as never });
      const own = await restUpload(agent.jwt, { name: 'c.txt', type: 'text/plain', content: 'c' });
      const response = await helpdesk.request('POST', '/api/attachments', {
        token: agent.jwt,
        body: { data: { ticket: ticket.documentId, comment: comment.documentId, file: own } },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.details.errors[0].path).toEqual(['comment']);
    });
  });
});
