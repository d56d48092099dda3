import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openLiveStream, type LiveStream } from './support/live-stream';

const TICKET = 'plugin::helpdesk.ticket';
const POSTGRES = path.resolve(__dirname, '..', 'scripts', 'test-services', 'postgres.sh');

/**
 * The live feed across instances: this test's Strapi and tests/support/server-worker.js, two
 * processes on one PostgreSQL database, each serving its own admins' streams. A change made through
 * either reaches the streams of both (pg_notify in the change's transaction, LISTEN on each).
 * Always on PostgreSQL: in the SQLite run the file starts a throw-away server of its own (SQLite is
 * one process: its feed is in-process, tests/live.test.ts).
 */
describe('the live feed across two Strapi processes on one PostgreSQL database', () => {
  let pgDir: string | null = null;
  let helpdesk: Helpdesk;
  let worker: ChildProcessWithoutNullStreams | undefined;
  let workerUrl: string;
  const feeds: LiveStream[] = [];

  const guest = (subject: string) => ({
    data: { firstName: 'Ida', lastName: 'Instance', email: 'ida@example.test', phone: '+49 30 1234567', company: 'Example GmbH', subject, description: 'Seen from both instances?' },
  });

  beforeAll(async () => {
    const env: Record<string, string> = { CRON_ENABLED: 'false' };
    if (process.env.DATABASE_CLIENT !== 'postgres') {
      pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-live-pg-'));
      fs.chmodSync(pgDir, 0o755);
      env.DATABASE_CLIENT = 'postgres';
      env.DATABASE_URL = execFileSync(POSTGRES, ['start', pgDir], { encoding: 'utf8' }).trim();
    }
    helpdesk = await startHelpdesk({ env });
    // the worker boots on the same database (startHelpdesk put its URL in process.env)
    worker = spawn(process.execPath, [path.join(__dirname, 'support', 'server-worker.js')], { env: process.env });
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      worker!.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((candidate) => candidate.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      worker!.on('exit', (code) => reject(new Error(`the worker exited (${code}): ${stderr}`)));
    });
    workerUrl = `http://127.0.0.1:${port}`;
  }, 180_000);

  afterAll(async () => {
    for (const feed of feeds) feed.close();
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker!.on('exit', resolve));
      worker.stdin.end();
      await exited;
    }
    await helpdesk?.stop();
    if (pgDir) {
      execFileSync(POSTGRES, ['stop', pgDir]);
      fs.rmSync(pgDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('tells the admins of both instances of a change, and of who is typing, made through either', async () => {
    expect(helpdesk.strapi.db.dialect.client).toBe('postgres');
    // one admin session, valid on both instances (one database, one admin secret)
    const { token } = await helpdesk.admin('lead@example.test');
    const here = await openLiveStream(helpdesk.baseUrl, token);
    const there = await openLiveStream(workerUrl, token);
    feeds.push(here, there);
    expect([here.status, there.status]).toEqual([200, 200]);

    // a guest ticket taken by the worker
    const response = await fetch(`${workerUrl}/api/tickets/guest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(guest('Live across instances')) });
    expect(response.status).toBe(201);
    const ticket = ((await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'Live across instances' } })) as { documentId: string }).documentId;
    for (const feed of [here, there]) expect(await feed.next((change) => change.ticket === ticket)).toMatchObject({ ticket, kind: 'created' });

    // a status change made here, in the panel
    const status = await helpdesk.request('POST', `/helpdesk-admin/tickets/${ticket}/status`, { token, body: { ticketStatus: 'open' } });
    expect(status.status).toBe(200);
    for (const feed of [there, here]) await feed.next((change) => change.ticket === ticket && change.kind === 'updated');
    // each change once per stream
    expect(there.changes.filter((change) => change.ticket === ticket).map((change) => change.kind)).toEqual(['created', 'updated']);

    // presence said to the worker reaches the viewers here
    const typing = await fetch(`${workerUrl}/helpdesk-admin/tickets/${ticket}/presence`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: 'typing' }),
    });
    expect(typing.status).toBe(204);
    const deadline = Date.now() + 10_000;
    while (!here.presences.some((presence) => presence.ticket === ticket) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(here.presences).toEqual([expect.objectContaining({ ticket, state: 'typing', admin: expect.objectContaining({ name: 'Ada Admin' }) })]);
  });
});
