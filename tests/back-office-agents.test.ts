import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';

/**
 * Settings → Helpdesk → Agents in Chromium: a super admin makes a staff member from the panel (one
 * person who then signs in to the panel and to the REST API with the same password), sees a bad
 * password refused on its field, and makes themselves an agent, after which they are assignable.
 */
const PASSWORD = 'Correct-Horse-9';
const BOSS = 'boss@example.test';

describe('back office: making agents from the admin panel', () => {
  let helpdesk: Helpdesk;
  let panel: Panel;

  beforeAll(async () => {
    helpdesk = await startHelpdesk({ env: { CRON_ENABLED: 'false' } });
    await helpdesk.admin(BOSS);
    panel = await openPanel(helpdesk.baseUrl);
  });
  afterAll(async () => {
    await panel?.close();
    await helpdesk?.stop();
  });

  it('creates a staff member who can sign in to both doors, then makes the signed-in admin an agent', async () => {
    const { page } = panel;
    await panel.signIn(BOSS, PASSWORD);
    await page.goto('/admin/settings/helpdesk-agents');
    await page.getByRole('heading', { name: 'Agents', exact: true }).waitFor();
    await page.getByText('No agents yet.').waitFor();

    // a password Strapi's admin rule refuses: the answer lands on the field, nobody is made
    const form = page.getByRole('form', { name: 'New agent' });
    await form.getByRole('textbox', { name: /^Name/ }).fill('Cleo Clerk');
    await form.getByRole('textbox', { name: /^Email/ }).fill('cleo@example.test');
    await form.getByLabel(/^Password/).fill('short');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await form.getByText('the password needs at least 8 characters').waitFor();
    expect(await helpdesk.strapi.db.query('plugin::users-permissions.user').count({ where: { email: 'cleo@example.test' } })).toBe(0);

    await form.getByLabel(/^Password/).fill(PASSWORD);
    await form.getByRole('button', { name: 'Create agent' }).click();
    const row = page.getByRole('row', { name: /Cleo Clerk/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/cleo@example\.test[\s\S]*Yes/);

    // one person, two doors, one password
    const rest = await helpdesk.request('POST', '/api/auth/local', { body: { identifier: 'cleo@example.test', password: PASSWORD } });
    expect(rest.status).toBe(200);
    const admin = await helpdesk.request('POST', '/admin/login', { body: { email: 'cleo@example.test', password: PASSWORD } });
    expect(admin.status).toBe(200);
    const adminUser = await helpdesk.strapi.db.query('admin::user').findOne({ where: { email: 'cleo@example.test' }, populate: ['roles'] });
    expect(adminUser.roles.map((role: { code: string }) => role.code)).toEqual(['helpdesk-support-agent']);

    // "Make me an agent": the super admin at the keyboard becomes assignable
    await page.getByRole('button', { name: 'Make me an agent' }).click();
    await page.getByRole('row', { name: /\(you\)/ }).waitFor();
    await page.getByRole('button', { name: 'Make me an agent' }).waitFor({ state: 'detached' });
    const token = admin.body.data.token as string;
    const agents = await helpdesk.request('GET', '/helpdesk-admin/agents', { token });
    expect(agents.status).toBe(200);
    expect(agents.body.data.map((agent: { email: string }) => agent.email).sort()).toEqual([BOSS, 'cleo@example.test']);

    await panel.screenshot('agents');
    expect(panel.problems).toEqual([]);
  });
});
