import { freshDatabase, startHelpdesk, type Helpdesk, type TestDatabase } from '../helpers/helpdesk';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { awayFromWindowEnd } from '../support/rate-window';

const RATE_LIMIT_COUNTER = 'plugin::helpdesk.rate-limit-counter';
const WINDOW_MS = 3_600_000;
const ENV = { GUEST_RATE_LIMIT_MAX: '3', GUEST_RATE_LIMIT_WINDOW_MS: String(WINDOW_MS), TRUST_PROXY: 'false' };

const guest = (i: number) => ({
  data: {
    firstName: 'Sam',
    lastName: 'Store',
    email: `sam${i}@example.test`,
    phone: '+44 20 7946 0003',
    company: 'Store Ltd',
    subject: 'Shared limit check',
    description: 'Checking that the limit is kept in the database',
  },
});

const post = (baseUrl: string, i: number) =>
  fetch(`${baseUrl}/api/tickets/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(guest(i)) });

describe('guest rate limit kept in the database', () => {
  // room for a wait past a window's end (awayFromWindowEnd) and two boots
  jest.setTimeout(360_000);
  let database: TestDatabase;
  let helpdesk: Helpdesk | undefined;
  let child: ServerProcess | undefined;
  // the first Strapi must not drop the database when it stops: the second one reopens it
  const keep: TestDatabase = { drop: async () => undefined };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await child?.stop();
    await helpdesk?.stop();
  });

  it('survives a restart on the same database, with the same headers and 429 + Retry-After', async () => {
    // its hits span a restart: room for two boots
    await awayFromWindowEnd(WINDOW_MS, 180_000);
    helpdesk = await startHelpdesk({ env: ENV, database: keep });
    const first = await post(helpdesk.baseUrl, 1);
    expect(first.status).toBe(201);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect((await post(helpdesk.baseUrl, 2)).status).toBe(201);
    await helpdesk.stop();

    helpdesk = await startHelpdesk({ env: ENV, database });
    expect((await post(helpdesk.baseUrl, 3)).status).toBe(201);
    const limited = await post(helpdesk.baseUrl, 4);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(await limited.json()).toMatchObject({ data: null, error: { status: 429, name: 'RateLimitError' } });
    // one counter row for this address and window, counted in one statement per hit
    const rows = (await helpdesk.strapi.db.query(RATE_LIMIT_COUNTER).findMany({})) as Array<{ key: string; hits: number }>;
    expect(rows).toEqual([expect.objectContaining({ key: expect.stringMatching(/^guest-ticket\|127\.0\.0\.1\|\d+$/), hits: 4 })]);
  });

  it('is shared by a second Strapi process on the same database, and old windows are pruned', async () => {
    const counters = helpdesk!.strapi.db.query(RATE_LIMIT_COUNTER);
    await counters.deleteMany({});
    // a window that ended long ago, from another address
    await counters.create({ data: { key: 'guest-ticket|192.0.2.1|0', hits: 9, expiresAt: new Date(0) } });

    child = await startServerProcess(ENV);
    const other = child.baseUrl;

    // the new process's first hit opens the window's row and prunes (the first process pruned at boot's first hit)
    await awayFromWindowEnd(WINDOW_MS, 30_000);
    const statuses = [
      (await post(other, 10)).status,
      (await post(helpdesk!.baseUrl, 11)).status,
      (await post(other, 12)).status,
      (await post(helpdesk!.baseUrl, 13)).status,
      (await post(other, 14)).status,
    ];
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const rows = (await counters.findMany({})) as Array<{ key: string; hits: number }>;
    expect(rows.map((row) => row.hits)).toEqual([5]);
  });
});
