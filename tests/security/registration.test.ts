import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { applyAccountSettings } from '../../src/plugins/helpdesk/server/src/setup/registration';

const USER = 'plugin::users-permissions.user';

/**
 * Self-registration is closed unless PUBLIC_REGISTRATION=true (tests/requester-portal.test.ts
 * runs with it on: registration then needs the mailed confirmation link).
 */
describe('self-registration, off by default', () => {
  let helpdesk: Helpdesk;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { PUBLIC_REGISTRATION: undefined } });
  });
  afterAll(() => helpdesk?.stop());

  const advanced = async () =>
    (await helpdesk.strapi.store({ type: 'plugin', name: 'users-permissions' }).get({ key: 'advanced' })) as {
      allow_register: boolean;
      email_confirmation: boolean;
    };

  it('refuses POST /api/auth/local/register with a 403 and creates no account', async () => {
    const response = await helpdesk.request('POST', '/api/auth/local/register', {
      body: { username: 'mallory', email: 'mallory@example.test', password: 'Correct-Horse-9' },
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ status: 403, message: 'Registration is disabled' });
    expect(await helpdesk.strapi.db.query(USER).count({ where: { email: 'mallory@example.test' } })).toBe(0);
  });

  it('shows registration off in the Users & Permissions settings, and the environment wins over the panel at boot', async () => {
    expect(await advanced()).toMatchObject({ allow_register: false, email_confirmation: true });
    // an admin turns it on in the panel: the next boot puts the environment's value back
    const store = helpdesk.strapi.store({ type: 'plugin', name: 'users-permissions' });
    await store.set({ key: 'advanced', value: { ...(await advanced()), allow_register: true, email_confirmation: false } });
    await applyAccountSettings(helpdesk.strapi);
    expect(await advanced()).toMatchObject({ allow_register: false, email_confirmation: true });
  });
});
