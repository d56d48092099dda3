import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const BUCKET = 'helpdesk';

interface AttachmentRecord {
  documentId: string;
  filename: string;
  size: number;
  mimeType: string;
  url: string;
}

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

describe('ticket attachments on S3 (S3_BUCKET set)', () => {
  let s3: S3rverServer;
  let directory: string;
  let endpoint: string;
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let client: S3Client;

  const objectKeys = async (): Promise<string[]> => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
  };

  const postFiles = async (ticketDocumentId: string, files: Array<{ name: string; type: string; content: string | Buffer }>) => {
    const form = new FormData();
    for (const file of files) form.append('files', new Blob([file.content], { type: file.type }), file.name);
    const response = await fetch(`${helpdesk.baseUrl}/api/tickets/${ticketDocumentId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.jwt}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as { data: AttachmentRecord[] } };
  };

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }] });
    const { port } = await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
    // s3rver's default key pair
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    helpdesk = await startHelpdesk({
      env: {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: endpoint,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    agent = await helpdesk.agent('s3-agent@example.test');
  });

  afterAll(async () => {
    await helpdesk?.stop();
    client?.destroy();
    await s3?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('stores the file in the bucket, with a URL on the S3 endpoint, and the attachment reads back', async () => {
    const ticket = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'On S3' } });
    const response = await postFiles(ticket.documentId, [{ name: 'trace.txt', type: 'text/plain', content: 'stack trace\n' }]);
    expect(response.status).toBe(201);
    const [record] = response.body.data;
    expect(record).toMatchObject({ filename: 'trace.txt', size: 12, mimeType: 'text/plain' });

    // the object is in the bucket, under the key the URL names, and nothing went to local disk
    const key = decodeURIComponent(new URL(record.url).pathname.replace(`/${BUCKET}/`, ''));
    expect(record.url).toBe(`${endpoint}/${BUCKET}/${key}`);
    expect(await objectKeys()).toEqual([key]);
    expect(fs.readdirSync(helpdesk.uploadsDir)).toEqual([]);
    const stored = await helpdesk.strapi.db.query('plugin::upload.file').findOne({ where: { url: record.url } });
    expect(stored).toMatchObject({ provider: 'aws-s3', name: 'trace.txt' });

    // fetched back: the record through the REST API, the bytes from the URL it gives
    const readBack = await helpdesk.request('GET', `/api/attachments/${record.documentId}?populate=file`, { token: agent.jwt });
    expect(readBack.status).toBe(200);
    expect(readBack.body.data.file.url).toBe(record.url);
    const object = await fetch(readBack.body.data.file.url);
    expect(object.status).toBe(200);
    expect(await object.text()).toBe('stack trace\n');
  });

  it('removes what it put in the bucket when a later step fails', async () => {
    const ticket = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'Refused on S3' } });
    const before = await objectKeys();
    const attachmentsBefore = await helpdesk.strapi.db.query('plugin::helpdesk.attachment').count({});
    // the second file is refused by content after the first passed every check: nothing is stored at all
    const refused = await postFiles(ticket.documentId, [
      { name: 'ok.txt', type: 'text/plain', content: 'ok' },
      { name: 'tool.pdf', type: 'application/pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]) },
    ]);
    expect(refused.status).toBe(400);
    expect(await objectKeys()).toEqual(before);

    // a failure after the objects were written (the history row) takes them out of the bucket again
    jest.spyOn(helpdesk.strapi.log, 'error').mockImplementation(() => helpdesk.strapi.log);
    const history = helpdesk.strapi.service('plugin::helpdesk.ticket-history') as unknown as { record: () => Promise<void> };
    jest.spyOn(history, 'record').mockRejectedValue(new Error('history unavailable'));
    try {
      const failed = await postFiles(ticket.documentId, [
        { name: 'one.txt', type: 'text/plain', content: 'one' },
        { name: 'two.txt', type: 'text/plain', content: 'two' },
      ]);
      expect(failed.status).toBe(500);
    } finally {
      jest.restoreAllMocks();
    }
    expect(await objectKeys()).toEqual(before);
    expect(await helpdesk.strapi.db.query('plugin::helpdesk.attachment').count({})).toBe(attachmentsBefore);
  });
});
