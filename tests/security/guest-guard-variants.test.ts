import http from 'node:http';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const LIMIT = 32 * 1024;

/** Every spelling Strapi's router sends to POST /api/tickets/guest (it ignores case and a trailing slash). */
const VARIANTS = ['/api/tickets/guest/', '/api/Tickets/guest', '/API/tickets/guest', '/api/tickets/Guest', '/API/TICKETS/GUEST/'];

interface Answer {
  status: number;
  body: { data: unknown; error?: { status: number; name: string; message: string } };
}

function post(helpdesk: Helpdesk, path: string, contentType: string, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, helpdesk.baseUrl), { method: 'POST', headers: { 'content-type': contentType } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] });
        } catch {
          reject(new Error(`${response.statusCode}: ${text}`));
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const guest = (subject: string, description = 'Route variant check') => ({
  data: { firstName: 'Vera', lastName: 'Variant', email: 'vera@example.test', phone: '+44 20 7946 0003', company: 'Variant Ltd', subject, description },
});

/**
 * Issue 16, finding 2: the body guard compared ctx.path exactly, so `/api/tickets/guest/` or
 * `/API/tickets/guest` reached the guest route without it: a cross-site form (urlencoded) created
 * a ticket and a 500 KB body was parsed.
 */
describe('guest guard: every path the router matches', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '1000', GUEST_BODY_LIMIT_BYTES: String(LIMIT) } });
  });
  afterAll(() => helpdesk?.stop());

  const tickets = () => helpdesk.strapi.db.query(TICKET).count({});

  it.each(VARIANTS)('%s reaches the guest route (JSON makes a ticket)', async (path) => {
    const answer = await post(helpdesk, path, 'application/json', Buffer.from(JSON.stringify(guest(`Variant ${path}`))));
    expect([answer.status, answer.body.error?.message]).toEqual([201, undefined]);
  });

  it.each(VARIANTS)('%s refuses a form post (415) and creates nothing', async (path) => {
    const before = await tickets();
    const form = Buffer.from('data[firstName]=Eve&data[lastName]=X&data[email]=eve@example.test&data[subject]=Forged&data[description]=cross-site');
    const answer = await post(helpdesk, path, 'application/x-www-form-urlencoded', form);
    expect(answer).toEqual({ status: 415, body: { data: null, error: expect.objectContaining({ status: 415, name: 'UnsupportedMediaTypeError' }) } });
    expect(await tickets()).toBe(before);
  });

  it.each(VARIANTS)('%s stops a 500 KB body at the guest limit (413)', async (path) => {
    const before = await tickets();
    const body = Buffer.from(JSON.stringify(guest('Too large', 'x'.repeat(500 * 1024))));
    const answer = await post(helpdesk, path, 'application/json', body);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ status: 413, message: `The request body must be at most ${LIMIT} bytes` });
    expect(await tickets()).toBe(before);
  });
});
