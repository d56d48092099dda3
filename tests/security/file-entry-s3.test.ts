import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const BUCKET = 'helpdesk';

interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}

interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

// s3rver ships no type declarations
const S3rver = require('s3rver') as new (options: S3rverOptions) => S3rverServer;

/**
 * Issue 16, finding 9, with the files in a bucket: POST /api/attachments reads the first bytes of
 * the stored file back through the provider (a Range request to its URL) before it is attached.
 */
describe('the content check of POST /api/attachments on S3 (S3_BUCKET set)', () => {
  let s3: S3rverServer;
  let directory: string;
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };

  const restUpload = async (name: string, content: string): Promise<number> => {
    const form = new FormData();
    form.append('files', new Blob([content], { type: 'text/plain' }), name);
    const response = await fetch(`${helpdesk.baseUrl}/api/upload`, { method: 'POST', headers: { authorization: `Bearer ${agent.jwt}` }, body: form });
    expect(response.status).toBe(201);
    return ((await response.json()) as Array<{ id: number }>)[0].id;
  };

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }] });
    const { port } = await s3.run();
    helpdesk = await startHelpdesk({
      env: {
        CRON_ENABLED: 'false',
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_REGION: 'us-east-1',
        // s3rver's default key pair
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    agent = await helpdesk.agent('s3-files@example.test');
  });
  afterAll(async () => {
    await helpdesk?.stop();
    await s3?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('refuses a shell script stored in the bucket as s.txt, and attaches an ordinary text file', async () => {
    const ticket = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'Bucket files' } });
    const link = (file: number) => helpdesk.request('POST', '/api/attachments', { token: agent.jwt, body: { data: { ticket: ticket.documentId, file } } });

    const script = await link(await restUpload('s.txt', '#!/bin/sh\nrm -rf ~\n'));
    expect(script.status).toBe(400);
    expect(script.body.error.message).toMatch(/"s\.txt".*script/);

    const notes = await link(await restUpload('notes.txt', 'ordinary notes'));
    expect(notes.status).toBe(201);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.attachment').count({ where: { ticket: { id: ticket.id } } })).toBe(1);
  });
});
