import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { createAgent } from '../../src/plugins/helpdesk/server/src/access/roles';

const PASSWORD = 'Correct-Horse-9';
const NEW_PASSWORD = 'Battery-Staple-7';
const COOKIE = 'strapi_up_refresh';

interface Session {
  jwt: string;
  /** "strapi_up_refresh=..." as a browser would send it back */
  cookie: string;
}

interface SessionEntry {
  id: string;
  current: boolean;
}

/** An agent manages their own sign-ins: sessions list and revoke, logout, password change. */
describe('agent sessions', () => {
  let helpdesk: Helpdesk;
  const email = 'session-agent@example.test';

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    await createAgent(helpdesk.strapi, { email, password: PASSWORD, name: 'Session Agent' });
  });
  afterAll(() => helpdesk?.stop());

  const call = (method: string, url: string, options: { jwt?: string; cookie?: string; body?: unknown } = {}) =>
    fetch(`${helpdesk.baseUrl}${url}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.jwt ? { authorization: `Bearer ${options.jwt}` } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
      },
      body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}),
    });
  const login = async (password = PASSWORD): Promise<{ status: number; session?: Session }> => {
    const response = await call('POST', '/api/auth/local', { body: { identifier: email, password } });
    if (response.status !== 200) return { status: response.status };
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))!.split(';')[0];
    return { status: 200, session: { jwt: ((await response.json()) as { jwt: string }).jwt, cookie } };
  };
  const signIn = async (): Promise<Session> => (await login()).session!;
  const refreshes = async (cookie: string) => (await call('POST', '/api/auth/refresh', { cookie })).status;

  it('lists the agent\'s own sessions and revokes one, whose refresh token then stops working', async () => {
    const laptop = await signIn();
    const phone = await signIn();
    const listed = await call('GET', '/api/auth/sessions', { jwt: laptop.jwt });
    expect(listed.status).toBe(200);
    const sessions = ((await listed.json()) as { data: SessionEntry[] }).data;
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const current = sessions.find((session) => session.current);
    expect(current).toBeDefined();
    const other = sessions.filter((session) => !session.current);

    // revoke every other session: the phone's refresh cookie is refused, the laptop's still works
    for (const session of other) {
      expect((await call('DELETE', `/api/auth/sessions/${session.id}`, { jwt: laptop.jwt })).status).toBe(200);
    }
    expect(await refreshes(phone.cookie)).toBe(401);
    expect(await refreshes(laptop.cookie)).toBe(200);
    expect((await call('DELETE', '/api/auth/sessions/no-such-session', { jwt: laptop.jwt })).status).toBe(404);
  });

  it('logs out: the session\'s refresh token no longer refreshes', async () => {
    const session = await signIn();
    const logout = await call('POST', '/api/auth/logout', { jwt: session.jwt, cookie: session.cookie });
    expect(logout.status).toBe(200);
    expect(await refreshes(session.cookie)).toBe(401);
  });

  it('changes the password: the old one stops working and the new one signs in', async () => {
    const session = await signIn();
    const changed = await call('POST', '/api/auth/change-password', {
      jwt: session.jwt,
      cookie: session.cookie,
      body: { currentPassword: PASSWORD, password: NEW_PASSWORD, passwordConfirmation: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { jwt?: string }).jwt).toEqual(expect.any(String));
    expect((await login(PASSWORD)).status).toBe(400);
    expect((await login(NEW_PASSWORD)).status).toBe(200);
    // sessions from before the change are ended
    expect(await refreshes(session.cookie)).toBe(401);
  });
});
