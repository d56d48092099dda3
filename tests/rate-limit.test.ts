import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { awayFromWindowEnd } from './support/rate-window';

const guest = (i: number) => ({
  data: {
    firstName: 'Rita',
    lastName: 'Rate',
    email: `rita${i}@example.test`,
    phone: '+44 20 7946 0000',
    company: 'Limits Ltd',
    subject: 'Rate limit check',
    description: 'Checking the per-IP rate limit',
  },
});

const submit = (helpdesk: Helpdesk, i: number, forwardedFor?: string) =>
  helpdesk.submitGuest(guest(i), forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

describe('guest rate limit', () => {
  describe('without a trusted proxy', () => {
    let helpdesk: Helpdesk;
    beforeAll(async () => {
      helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '3', GUEST_RATE_LIMIT_WINDOW_MS: '600000', TRUST_PROXY: 'false' } });
    });
    afterAll(() => helpdesk?.stop());

    it('answers 429 with Retry-After after the limit, and a forged X-Forwarded-For does not help', async () => {
      await awayFromWindowEnd(600_000, 15_000);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await submit(helpdesk, i, `10.0.0.${i}`)).status);
      expect(statuses).toEqual([201, 201, 201]);

      const limited = await submit(helpdesk, 3, '10.9.9.9');
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      const error = (await limited.json()) as { data: null; error: { status: number; name: string } };
      expect(error).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
      expect(await helpdesk.strapi.db.query('plugin::helpdesk.ticket').count({})).toBe(3);
    });
  });

  describe('behind a trusted proxy', () => {
    let helpdesk: Helpdesk;
    beforeAll(async () => {
      helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '2', GUEST_RATE_LIMIT_WINDOW_MS: '600000', TRUST_PROXY: 'true' } });
    });
    afterAll(() => helpdesk?.stop());

    it('counts per client address taken from the proxy’s X-Forwarded-For entry', async () => {
      await awayFromWindowEnd(600_000, 15_000);
      const first = [await submit(helpdesk, 1, '203.0.113.1'), await submit(helpdesk, 2, '203.0.113.1'), await submit(helpdesk, 3, '203.0.113.1')];
      expect(first.map((r) => r.status)).toEqual([201, 201, 429]);
      // another client behind the same proxy has its own allowance
      expect((await submit(helpdesk, 4, '203.0.113.2')).status).toBe(201);
      // a client cannot prepend a forged address: only the entry our proxy added counts
      expect((await submit(helpdesk, 5, '198.51.100.7, 203.0.113.1')).status).toBe(429);
    });
  });
});
