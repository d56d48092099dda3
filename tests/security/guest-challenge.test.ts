import { createChallenge, solveChallenge } from 'altcha-lib';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const SOLUTIONS = 'plugin::helpdesk.challenge-solution';
const HMAC_KEY = 'test-guest-challenge-key';

const guest = (extra: Record<string, unknown> = {}) => ({
  data: {
    firstName: 'Pia',
    lastName: 'Proof',
    email: 'pia@example.test',
    phone: '0301234567',
    company: 'Proof Ltd',
    subject: 'Proof of work',
    description: 'A ticket that paid with a little CPU time.',
    ...extra,
  },
});

interface ChallengeJson {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  maxNumber?: number;
  salt: string;
  signature: string;
}

/** What the widget posts: base64 JSON of the challenge with the number found. */
async function solve(challenge: ChallengeJson): Promise<string> {
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber ?? challenge.maxNumber).promise;
  if (!solution) throw new Error('no solution found');
  const payload = { algorithm: challenge.algorithm, challenge: challenge.challenge, number: solution.number, salt: challenge.salt, signature: challenge.signature };
  return Buffer.from(JSON.stringify(payload)).toString('base64');
}

async function errorOf(response: Response): Promise<{ message: string; paths: string[] }> {
  const body = (await response.json()) as { error: { message: string; details?: { errors?: Array<{ path: string[] }> } } };
  return { message: body.error.message, paths: (body.error.details?.errors ?? []).map((error) => error.path.join('.')) };
}

describe('guest proof-of-work challenge (GUEST_CHALLENGE=altcha)', () => {
  let helpdesk: Helpdesk;
  const fetchChallenge = async (): Promise<ChallengeJson> => {
    const response = await fetch(`${helpdesk.baseUrl}/tickets/guest/challenge`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as ChallengeJson;
  };
  const tickets = () => helpdesk.strapi.db.query(TICKET).count({});

  beforeAll(async () => {
    helpdesk = await startHelpdesk({
      env: { GUEST_CHALLENGE: 'altcha', GUEST_CHALLENGE_HMAC_KEY: HMAC_KEY, GUEST_CHALLENGE_MAX_NUMBER: '20000', GUEST_RATE_LIMIT_MAX: '1000', CRON_ENABLED: 'false' },
    });
  });
  afterAll(() => helpdesk?.stop());

  it('the branding endpoint announces the challenge, and the widget files are served with a long cache', async () => {
    const branding = (await (await fetch(`${helpdesk.baseUrl}/tickets/guest/branding`)).json()) as { challenge: { type: string; url: string; widget: string } };
    expect(branding.challenge).toMatchObject({ type: 'altcha', url: '/tickets/guest/challenge' });
    for (const file of ['altcha.js', 'worker.js', 'altcha.css']) {
      const response = await fetch(`${helpdesk.baseUrl}${branding.challenge.widget}${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('max-age=31536000');
    }
    expect((await fetch(`${helpdesk.baseUrl}/tickets/guest/altcha/0.0.0/altcha.js`)).status).toBe(404);
    expect((await fetch(`${helpdesk.baseUrl}${branding.challenge.widget}..%2Fpackage.json`)).status).toBe(404);
  });

  it('a solved challenge opens the ticket (201); the same solution again is refused (400 naming altcha)', async () => {
    const payload = await solve(await fetchChallenge());
    const first = await helpdesk.submitGuest(guest({ altcha: payload }));
    expect(first.status).toBe(201);
    const before = await tickets();
    const again = await helpdesk.submitGuest(guest({ altcha: payload }));
    expect(again.status).toBe(400);
    expect(await errorOf(again)).toEqual({ message: expect.stringMatching(/^altcha: .*already used/), paths: ['altcha'] });
    expect(await tickets()).toBe(before);
    expect(await helpdesk.strapi.db.query(SOLUTIONS).count({})).toBe(1);
  });

  it('two concurrent requests with one solution: exactly one ticket', async () => {
    const payload = await solve(await fetchChallenge());
    const before = await tickets();
    const statuses = (await Promise.all([1, 2, 3].map(() => helpdesk.submitGuest(guest({ altcha: payload }))))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400, 400]);
    expect(await tickets()).toBe(before + 1);
  });

  it('no solution, a forged one, one signed with another key, and an expired one are refused, with nothing stored', async () => {
    const before = await tickets();
    const missing = await helpdesk.submitGuest(guest());
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).paths).toEqual(['altcha']);

    const challenge = await fetchChallenge();
    const wrongNumber = Buffer.from(JSON.stringify({ ...challenge, number: 1 })).toString('base64');
    const forgedKey = await solve((await createChallenge({ hmacKey: 'not-our-key', maxNumber: 1000 })) as ChallengeJson);
    const expired = await solve(
      (await createChallenge({ hmacKey: HMAC_KEY, maxNumber: 1000, expires: new Date(Date.now() - 1000) })) as ChallengeJson
    );
    for (const altcha of [wrongNumber, forgedKey, expired, 'not base64 json', '']) {
      const response = await helpdesk.submitGuest(guest({ altcha }));
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.paths).toEqual(['altcha']);
      expect(error.message).toMatch(/^altcha: /);
    }
    expect(await tickets()).toBe(before);
  });
});

describe('guest challenge off (the default)', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { GUEST_RATE_LIMIT_MAX: '1000', CRON_ENABLED: 'false' } });
  });
  afterAll(() => helpdesk?.stop());

  it('no challenge route, branding says so, and an altcha field is an unknown field (400)', async () => {
    expect((await fetch(`${helpdesk.baseUrl}/tickets/guest/challenge`)).status).toBe(404);
    const branding = (await (await fetch(`${helpdesk.baseUrl}/tickets/guest/branding`)).json()) as { challenge: unknown };
    expect(branding.challenge).toBeNull();
    expect((await helpdesk.submitGuest(guest())).status).toBe(201);
    const extra = await helpdesk.submitGuest(guest({ altcha: 'abc' }));
    expect(extra.status).toBe(400);
    expect(await errorOf(extra)).toEqual({ message: 'altcha: altcha is not a known field', paths: ['altcha'] });
  });
});
