import { env } from '@strapi/utils';
import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { corsPolicy, isAllowedOrigin } from '../../src/plugins/helpdesk/server/src/security/cors';

const PASSWORD = 'Correct-Horse-9';
const LISTED = 'https://app.example.test';
const FOREIGN = 'https://evil.example.test';

const cookieNamed = (response: Response, name: string): string => {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie in ${response.status} answer`);
  return cookie.split(';')[0];
};

/**
 * strapi::cors by default reflects any Origin with credentials, so any web page an agent or admin
 * visits could POST to the token endpoints with their cookie and read the fresh token. Only the
 * listed origins get a CORS grant now.
 */
describe('CORS', () => {
  let helpdesk: Helpdesk;
  const admin = 'cors-admin@example.test';
  const agent = 'cors-agent@example.test';

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CORS_ORIGINS: `${LISTED}, https://other.example.test` } });
    await helpdesk.admin(admin);
    await helpdesk.agent(agent);
  });
  afterAll(() => helpdesk?.stop());

  const tokenCall = (url: string, cookie: string, origin: string) =>
    fetch(`${helpdesk.baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin },
      body: '{}',
    });
  /** A fresh sign-in for each call: refresh tokens rotate, so a used cookie is no proof. */
  const login = async (url: string, body: object, cookie: string): Promise<string> =>
    cookieNamed(
      await fetch(`${helpdesk.baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      cookie
    );
  const endpoints = async () =>
    [
      ['/admin/access-token', await login('/admin/login', { email: admin, password: PASSWORD }, 'strapi_admin_refresh')],
      ['/api/auth/refresh', await login('/api/auth/local', { identifier: agent, password: PASSWORD }, 'strapi_up_refresh')],
    ] as const;

  it.each([FOREIGN, 'null'])('gives Origin %s no grant on the token endpoints', async (origin) => {
    for (const [url, cookie] of await endpoints()) {
      const response = await tokenCall(url, cookie, origin);
      expect([url, response.headers.get('access-control-allow-origin')]).toEqual([url, null]);
      expect([url, response.headers.get('access-control-allow-credentials')]).toEqual([url, null]);
    }
  });

  it('lets a listed origin read the token endpoints with credentials', async () => {
    for (const [url, cookie] of await endpoints()) {
      const response = await tokenCall(url, cookie, LISTED);
      expect([url, response.status]).toEqual([url, 200]);
      expect([url, response.headers.get('access-control-allow-origin')]).toEqual([url, LISTED]);
      expect([url, response.headers.get('access-control-allow-credentials')]).toEqual([url, 'true']);
    }
  });

  it('answers a preflight from a listed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${helpdesk.baseUrl}/api/auth/refresh`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const listed = await preflight(LISTED);
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed.headers.get('access-control-allow-methods')).toContain('POST');
    for (const origin of [FOREIGN, 'null']) {
      const refused = await preflight(origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('CORS policy from the environment', () => {
  const withEnv = (values: Record<string, string | undefined>) => {
    const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    const policy = corsPolicy(env);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    return policy;
  };

  it('allows the public origin and, in development, loopback on any port by default', () => {
    const policy = withEnv({ CORS_ORIGINS: undefined, PUBLIC_URL: 'https://help.example.test/base/', NODE_ENV: 'development' });
    expect(policy.origins).toEqual(['https://help.example.test']);
    for (const origin of ['https://help.example.test', 'http://localhost:5173', 'http://127.0.0.1:1337', 'http://localhost']) {
      expect([origin, isAllowedOrigin(policy, origin)]).toEqual([origin, true]);
    }
    for (const origin of ['null', '', 'https://localhost:5173', 'http://localhost.evil.test', 'http://help.example.test']) {
      expect([origin, isAllowedOrigin(policy, origin)]).toEqual([origin, false]);
    }
  });

  it('allows no loopback origin outside development, and only the listed ones when CORS_ORIGINS is set', () => {
    const production = withEnv({ CORS_ORIGINS: undefined, PUBLIC_URL: undefined, NODE_ENV: 'production' });
    expect(production.origins).toEqual([]);
    expect(isAllowedOrigin(production, 'http://localhost:5173')).toBe(false);
    const listed = withEnv({ CORS_ORIGINS: 'https://a.example.test,https://b.example.test:8443', NODE_ENV: 'development' });
    expect(listed.origins).toEqual(['https://a.example.test', 'https://b.example.test:8443']);
    expect(isAllowedOrigin(listed, 'http://localhost:5173')).toBe(false);
  });
});
