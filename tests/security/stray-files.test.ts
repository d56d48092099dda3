import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, type TestDatabase } from '../helpers/helpdesk';
import { applyTestEnv } from '../helpers/test-env';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

const FILE_BYTES = 5 * 1024 * 1024;
const AGENT = { email: 'stray-agent@example.test', password: 'Correct-Horse-9' };

/** A 5 MB multipart body: a `files` part and a part under another field name. */
function multipart(): FormData {
  const form = new FormData();
  form.append('files', new Blob([Buffer.alloc(FILE_BYTES / 2, 0x61)], { type: 'text/plain' }), 'a.txt');
  form.append('other', new Blob([Buffer.alloc(FILE_BYTES / 2, 0x62)], { type: 'text/plain' }), 'b.txt');
  return form;
}

describe('no stray multipart temp files', () => {
  // formidable writes to os.tmpdir(): the server runs in a child process whose TMPDIR nobody else uses
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-stray-'));
  let database: TestDatabase;
  let server: ServerProcess | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    applyTestEnv();
    database = await freshDatabase();
    server = await startServerProcess({ TMPDIR: tmpdir, SMTP_HOST: '', GUEST_RATE_LIMIT_MAX: '1000', AGENT_EMAIL: AGENT.email, AGENT_PASSWORD: AGENT.password });
    baseUrl = server.baseUrl;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    fs.rmSync(tmpdir, { recursive: true, force: true });
  });

  it('leaves nothing in the temp directory after 20 bad 5 MB multipart requests to different routes', async () => {
    const login = await fetch(`${baseUrl}/api/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: AGENT.email, password: AGENT.password }),
    });
    const { jwt } = (await login.json()) as { jwt: string };
    const before = new Set(fs.readdirSync(tmpdir));
    const cases: Array<{ method: string; url: string; token?: string; expected: number[] }> = [
      { method: 'POST', url: '/api/tickets/guest', expected: [415] },
      { method: 'POST', url: '/api/auth/local', expected: [415] },
      { method: 'PATCH', url: '/api/tickets/guest', expected: [415] }, // no such method: a 405 without the guard
      // parsed (an upload route), then refused: its temp files must still go
      { method: 'POST', url: '/api/tickets/no-such-ticket/attachments', token: jwt, expected: [400, 404] },
      { method: 'POST', url: '/api/upload', token: 'not-a-valid-token', expected: [401] },
    ];
    const seen: Array<[string, number]> = [];
    for (let round = 0; round < 4; round += 1) {
      for (const { method, url, token, expected } of cases) {
        const response = await fetch(`${baseUrl}${url}`, {
          method,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          body: multipart(),
        });
        seen.push([url, response.status]);
        expect(expected).toContain(response.status);
        const body = (await response.json()) as { data: null; error: { status: number } };
        expect(body).toMatchObject({ data: null, error: { status: response.status } });
      }
    }
    expect(seen).toHaveLength(20);
    const added = fs.readdirSync(tmpdir).filter((name) => !before.has(name));
    expect(added).toEqual([]);
  });
});
