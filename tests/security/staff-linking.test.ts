import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';
import { adminRoleService } from '../../src/plugins/helpdesk/server/src/access/support-agent-role';
import { createStaffMemberFromCli } from '../../src/plugins/helpdesk/server/src/access/staff-account';
import { BACK_OFFICE_ACTIONS } from '../../src/plugins/helpdesk/server/src/back-office/admin-route';

const UP_USER = 'plugin::users-permissions.user';
const PASSWORD = 'Manager-Pass-7';
const CHOSEN = 'Chosen-By-Mallory-1';

/**
 * Issue 16, finding 10: a holder of "Manage agents" made a REST agent account with a password of
 * his choosing for an existing admin's email, and then acted under that person's name.
 */
describe('making staff members: joining an existing account needs its owner or a super admin', () => {
  let helpdesk: Helpdesk;
  let root: { id: number; token: string };
  let managerToken: string;

  const adminLogin = async (email: string) => {
    const login = await helpdesk.request('POST', '/admin/login', { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    return login.body.data.token as string;
  };
  const agentAccounts = (email: string) => helpdesk.strapi.db.query(UP_USER).count({ where: { email } });
  const adminUsers = (email: string) => helpdesk.strapi.db.query('admin::user').count({ where: { email } });

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    root = await helpdesk.admin('root@example.test');
    const roles = adminRoleService(helpdesk.strapi);
    const role = await roles.create({ name: 'Agent manager', code: 'agent-manager', description: 'test' });
    await roles.assignPermissions(role.id, [{ action: BACK_OFFICE_ACTIONS.agents, subject: null, properties: {}, conditions: [] }]);
    for (const [email, firstname] of [
      ['mallory@example.test', 'Mallory'],
      ['victor@example.test', 'Victor'],
    ]) {
      await helpdesk.strapi.service('admin::user').create({ email, firstname, lastname: 'Manager', password: PASSWORD, isActive: true, roles: [role.id] });
    }
    managerToken = await adminLogin('mallory@example.test');
  });
  afterAll(() => helpdesk?.stop());

  it('refuses an agent account with a chosen password for another admin: 403 with the reason, no account, no sign-in', async () => {
    const answer = await helpdesk.request('POST', '/helpdesk-admin/staff', {
      token: managerToken,
      body: { data: { email: 'victor@example.test', password: CHOSEN, name: 'Victor Manager' } },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toBe('victor@example.test is an admin user: only that person ("Make me an agent") or a super admin may make them an agent');
    expect(await agentAccounts('victor@example.test')).toBe(0);
    const login = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'victor@example.test', password: CHOSEN } });
    expect(login.status).toBe(400);
  });

  it('refuses an admin user with a chosen password for an existing agent account', async () => {
    await helpdesk.agent('rita@example.test');
    const answer = await helpdesk.request('POST', '/helpdesk-admin/staff', {
      token: managerToken,
      body: { data: { email: 'rita@example.test', password: CHOSEN, name: 'Rita Rest' } },
    });
    expect(answer.status).toBe(403);
    expect(await adminUsers('rita@example.test')).toBe(0);
  });

  it('still makes a new staff member for an unused address', async () => {
    const answer = await helpdesk.request('POST', '/helpdesk-admin/staff', {
      token: managerToken,
      body: { data: { email: 'nina@example.test', password: CHOSEN, name: 'Nina New' } },
    });
    expect(answer.status).toBe(201);
    expect([await agentAccounts('nina@example.test'), await adminUsers('nina@example.test')]).toEqual([1, 1]);
  });

  it('lets the admin themselves ("Make me an agent") and a super admin join the halves', async () => {
    const victor = await adminLogin('victor@example.test');
    expect((await helpdesk.request('POST', '/helpdesk-admin/staff/me', { token: victor, body: {} })).status).toBe(201);
    expect(await agentAccounts('victor@example.test')).toBe(1);

    const bySuperAdmin = await helpdesk.request('POST', '/helpdesk-admin/staff', {
      token: root.token,
      body: { data: { email: 'rita@example.test', password: CHOSEN, name: 'Rita Rest' } },
    });
    expect(bySuperAdmin.status).toBe(201);
    expect(await adminUsers('rita@example.test')).toBe(1);
  });
});

/**
 * Issue 16, finding 11: `npm run agent:create` on a database without any admin user made the
 * Support agent admin user first; Strapi then refused /admin/register-admin, so nobody could
 * become super admin from the panel. The CLI (scripts/create-agent.js calls createStaffMemberFromCli)
 * now asks for the first admin first.
 */
describe('agent:create before the first admin', () => {
  let helpdesk: Helpdesk;
  beforeAll(async () => {
    helpdesk = await startHelpdesk();
  });
  afterAll(() => helpdesk?.stop());

  const staff = { email: 'early@example.test', password: 'Early-Agent-9', name: 'Early Agent' };

  it('refuses with a message naming the first-admin page, and makes nothing', async () => {
    await expect(createStaffMemberFromCli(helpdesk.strapi, staff)).rejects.toThrow(/^No admin user exists yet: create the first admin at .*\/admin first/);
    expect(await helpdesk.strapi.db.query('admin::user').count({})).toBe(0);
    expect(await helpdesk.strapi.db.query(UP_USER).count({ where: { email: staff.email } })).toBe(0);
  });

  it('so the panel still registers the first super admin, and agent:create works after it', async () => {
    const init = await helpdesk.request('GET', '/admin/init');
    expect(init.body.data.hasAdmin).toBe(false);
    const register = await helpdesk.request('POST', '/admin/register-admin', {
      body: { email: 'first@example.test', firstname: 'First', lastname: 'Admin', password: 'First-Admin-9' },
    });
    expect(register.status).toBe(200);
    const result = await createStaffMemberFromCli(helpdesk.strapi, staff);
    expect([result.agent.created, result.admin.created]).toEqual([true, true]);
  });
});
