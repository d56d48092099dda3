import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { createAgent } from '../src/plugins/helpdesk/server/src/access/roles';

const PASSWORD = 'Correct-Horse-9';
const COOKIE = 'strapi_up_refresh';

interface Login {
  status: number;
  jwt?: string;
  /** The refresh cookie as the server set it, e.g. "strapi_up_refresh=...; path=/; httponly". */
  cookie?: string;
}

/**
 * An agent signs in with NODE_ENV=production. users-permissions marks its refresh cookie Secure in
 * production, and koa refuses to set a Secure cookie on a plain-HTTP request (the login answered
 * 500): the flag now follows the request, or AUTH_COOKIE_SECURE.
 */
describe.each([
  ['plain HTTP, no proxy', {}],
  ['behind a trusted TLS proxy', { TRUST_PROXY: 'true' }],
  ['AUTH_COOKIE_SECURE=true', { AUTH_COOKIE_SECURE: 'true' }],
] as const)('agent login in production: %s', (_name, env) => {
  let helpdesk: Helpdesk;
  const email = 'prod-agent@example.test';

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { NODE_ENV: 'production', ...env } });
    await createAgent(helpdesk.strapi, { email, password: PASSWORD, name: 'Prod Agent' });
  });
  afterAll(() => helpdesk?.stop());

  const login = async (headers: Record<string, string> = {}): Promise<Login> => {
    const response = await fetch(`${helpdesk.baseUrl}/api/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ identifier: email, password: PASSWORD }),
    });
    const body = (await response.json()) as { jwt?: string };
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
    return { status: response.status, jwt: body.jwt, cookie };
  };
  const isSecure = (cookie?: string) => /;\s*secure/i.test(cookie ?? '');

  it('runs in production mode', () => {
    expect(helpdesk.strapi.config.get('environment')).toBe('production');
  });

  it('signs the agent in over plain HTTP, and the refresh cookie renews the token', async () => {
    const answer = await login();
    expect(answer.status).toBe(200);
    expect(answer.jwt).toEqual(expect.any(String));
    expect(answer.cookie).toMatch(/httponly/i);
    // a browser keeps a Secure cookie only over HTTPS: over HTTP it is Secure only when forced
    expect(isSecure(answer.cookie)).toBe('AUTH_COOKIE_SECURE' in env);

    const refresh = await fetch(`${helpdesk.baseUrl}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: answer.cookie!.split(';')[0] },
      body: '{}',
    });
    expect(refresh.status).toBe(200);
    expect(((await refresh.json()) as { jwt?: string }).jwt).toEqual(expect.any(String));
  });

  it('marks the cookie Secure for X-Forwarded-Proto: https only when the proxy is trusted', async () => {
    const answer = await login({ 'x-forwarded-proto': 'https' });
    expect(answer.status).toBe(200);
    expect(isSecure(answer.cookie)).toBe('TRUST_PROXY' in env || 'AUTH_COOKIE_SECURE' in env);
  });

  it('still refuses a wrong password with a 400, not a 500', async () => {
    const response = await fetch(`${helpdesk.baseUrl}/api/auth/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: email, password: 'wrong-password' }),
    });
    expect(response.status).toBe(400);
  });
});
