import { startHelpdesk, recordLog, type Helpdesk } from './helpers/helpdesk';
import { missingMiddlewares } from '../src/plugins/helpdesk/server/src/setup/host-middlewares';
import { AGENT_ROLE_TYPE } from '../src/plugins/helpdesk/server/src/access/roles';
import { SUPPORT_AGENT_ROLE_CODE } from '../src/plugins/helpdesk/server/src/access/support-agent-role';

describe("the host's middlewares, checked at boot", () => {
  it('names what is missing or misplaced, and is quiet about a complete list', () => {
    const complete = ['strapi::errors', 'plugin::helpdesk.request-body-guard', { name: 'strapi::body' }, 'plugin::helpdesk.email-input-guard', 'strapi::public'];
    expect(missingMiddlewares(complete)).toEqual([]);
    expect(missingMiddlewares(['strapi::errors', 'strapi::body', 'strapi::public'])).toEqual([
      "add 'plugin::helpdesk.request-body-guard' before 'strapi::body' (guest submissions read as JSON with a byte limit, multipart only on upload routes)",
      "add 'plugin::helpdesk.email-input-guard' after 'strapi::body' (email-like input checked in linear time before Strapi's backtracking validators)",
    ]);
    expect(missingMiddlewares(['plugin::helpdesk.email-input-guard', 'strapi::body', { name: 'plugin::helpdesk.request-body-guard' }])).toEqual([
      "move 'plugin::helpdesk.request-body-guard' before 'strapi::body'",
      "move 'plugin::helpdesk.email-input-guard' after 'strapi::body'",
    ]);
  });
});

/**
 * A host app that keeps its own account rules, upload routes and Public role: with the switches
 * off, the plugin leaves them as users-permissions and upload made them, and says at boot which
 * middleware line the host still lacks.
 */
describe('host switches off', () => {
  let helpdesk: Helpdesk;
  const warnings: string[] = [];

  beforeAll(async () => {
    helpdesk = await startHelpdesk({
      env: {
        HELPDESK_ACCOUNT_POLICY: 'false',
        HELPDESK_PUBLIC_GUEST_ACCESS: 'false',
        HELPDESK_UPLOAD_GUARDS: 'false',
        HELPDESK_STAFF_ROLES: 'false',
      },
      beforeLoad: (strapi) => {
        recordLog('warn', warnings)(strapi);
        const middlewares = strapi.config.get('middlewares') as Array<string | { name: string }>;
        strapi.config.set('middlewares', middlewares.filter((entry) => entry !== 'plugin::helpdesk.email-input-guard'));
      },
    });
  });
  afterAll(() => helpdesk?.stop());

  it('logs the missing middleware line at boot', () => {
    expect(warnings).toContain(
      "[helpdesk] config/middlewares: add 'plugin::helpdesk.email-input-guard' after 'strapi::body' (email-like input checked in linear time before Strapi's backtracking validators)"
    );
  });

  it("leaves users-permissions' account settings and registration as they were", async () => {
    const store = helpdesk.strapi.store({ type: 'plugin', name: 'users-permissions' });
    const advanced = (await store.get({ key: 'advanced' })) as { email_confirmation: boolean; email_reset_password: string | null };
    // users-permissions' own defaults, not the helpdesk's (confirmation on, reset link on the public address)
    expect(advanced).toMatchObject({ email_confirmation: false, email_reset_password: null });
    const registered = await helpdesk.request('POST', '/api/auth/local/register', { body: { username: 'hostuser', email: 'host.user@example.test', password: 'Correct-Horse-9' } });
    // users-permissions' own answer for its default allow_register: true (the helpdesk policy answers 403)
    expect(registered.status).toBe(200);
  });

  it('grants the Public role nothing of the helpdesk, and creates no staff roles', async () => {
    const guest = await helpdesk.submitGuest({ data: { email: 'g@example.test', subject: 'Hello', description: 'Hi there' } });
    expect(guest.status).toBe(403);
    const publicRole = await helpdesk.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' }, populate: ['permissions'] });
    expect(publicRole.permissions.filter((permission: { action: string }) => permission.action.startsWith('plugin::helpdesk.'))).toEqual([]);
    expect(await helpdesk.strapi.db.query('plugin::users-permissions.role').count({ where: { type: AGENT_ROLE_TYPE } })).toBe(0);
    expect(await helpdesk.strapi.db.query('admin::role').count({ where: { code: SUPPORT_AGENT_ROLE_CODE } })).toBe(0);
  });
});
