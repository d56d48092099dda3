import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';

const guest = (description: string) => ({
  data: {
    firstName: 'Bea',
    lastName: 'Bytes',
    email: 'bea@example.test',
    phone: '+44 20 7946 0002',
    company: 'Bytes Ltd',
    subject: 'Body limit check',
    description,
  },
});

interface Answer {
  status: number;
  body: { data: unknown; error?: { status: number; name: string; message: string } };
}

/** POST /api/tickets/guest over plain http, so that headers (chunked, gzip) are exactly ours. */
function post(helpdesk: Helpdesk, headers: Record<string, string>, chunks: Buffer[]): Promise<Answer> {
  const url = new URL('/api/tickets/guest', helpdesk.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('guest endpoint: content type and body limit on the bytes read', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '1000', GUEST_BODY_LIMIT_BYTES: String(32 * 1024) } });
  });
  afterAll(() => helpdesk?.stop());

  it.each([
    ['application/x-www-form-urlencoded', Buffer.from('data[subject]=hello')],
    ['text/plain', json(guest('plain text that is JSON'))],
    ['multipart/form-data; boundary=x', Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n')],
  ])('answers %s with 415 in Strapi’s error JSON, before parsing', async (type, body) => {
    const answer = await post(helpdesk, { 'content-type': type }, [body]);
    expect(answer).toEqual({
      status: 415,
      body: { data: null, error: expect.objectContaining({ status: 415, name: 'UnsupportedMediaTypeError' }) },
    });
  });

  it('accepts JSON sent chunked or gzip-compressed within the limit', async () => {
    const chunked = await post(helpdesk, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, [json(guest('chunked and small'))]);
    expect(chunked.status).toBe(201);
    const gzip = await post(helpdesk, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }, [gzipSync(json(guest('gzip and small')))]);
    expect(gzip.status).toBe(201);
  });

  it('refuses a chunked body beyond 32 KB with 413 (no Content-Length to trust)', async () => {
    const before = await helpdesk.strapi.db.query(TICKET).count({});
    const body = json(guest('x'.repeat(40_000)));
    const pieces = [body.subarray(0, 10_000), body.subarray(10_000, 20_000), body.subarray(20_000)];
    const answer = await post(helpdesk, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, pieces);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
    expect(await helpdesk.strapi.db.query(TICKET).count({})).toBe(before);
  });

  it('refuses a small gzip body that inflates beyond 32 KB with 413', async () => {
    const compressed = gzipSync(json(guest('y'.repeat(200_000))));
    expect(compressed.length).toBeLessThan(2_000);
    const answer = await post(helpdesk, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(compressed.length) }, [compressed]);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
  });

  it('answers bad JSON and an unknown content encoding with 4xx JSON, never 500', async () => {
    const bad = await post(helpdesk, { 'content-type': 'application/json' }, [Buffer.from('{"data":')]);
    expect(bad.status).toBe(400);
    const encoded = await post(helpdesk, { 'content-type': 'application/json', 'content-encoding': 'zstd' }, [json(guest('zstd'))]);
    expect(encoded.status).toBe(415);
    const broken = await post(helpdesk, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, [Buffer.from('not gzip at all')]);
    expect(broken.status).toBe(400);
  });
});
