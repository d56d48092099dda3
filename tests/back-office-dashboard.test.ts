import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { openPanel, type Panel } from './helpers/browser';

/**
 * GET /helpdesk-admin/dashboard (the home page widgets): on a hand-made dataset, every count is
 * the one worked out below by hand AND the one GET /api/tickets/statistics gives for the same
 * (open) tickets; "mine" follows the signed-in admin's agent account; created vs resolved covers
 * the last 14 UTC days, zero-filled.
 */

const TICKET = 'plugin::helpdesk.ticket';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const PAST = new Date('2020-01-01T00:00:00Z');
const FUTURE = new Date('2999-01-01T00:00:00Z');
const PASSWORD = 'Correct-Horse-9';
const BOSS = 'boss@example.test';

/** Midnight UTC, `daysAgo` days before today. */
const dayStart = (daysAgo: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY);
};

interface Row {
  key: string;
  daysAgo: number;
  ticketStatus: string;
  assignee: 'me' | 'other' | null;
  dueDate?: Date;
  /** hours after creation */
  resolved?: number;
}

// Created at 01:00 UTC on their day. "me" is the agent account of the admin at the keyboard.
const ROWS: Row[] = [
  { key: 'D1', daysAgo: 0, ticketStatus: 'open', assignee: 'me', dueDate: PAST },
  { key: 'D2', daysAgo: 1, ticketStatus: 'new', assignee: null },
  { key: 'D3', daysAgo: 2, ticketStatus: 'pending', assignee: 'other', dueDate: PAST },
  { key: 'D4', daysAgo: 3, ticketStatus: 'in_progress', assignee: 'me', dueDate: FUTURE },
  { key: 'D5', daysAgo: 5, ticketStatus: 'on_hold', assignee: null, dueDate: PAST },
  { key: 'D6', daysAgo: 6, ticketStatus: 'reopened', assignee: 'me' },
  // resolved today (01:00 yesterday + 25 h): overdue date but done, so not overdue
  { key: 'D7', daysAgo: 1, ticketStatus: 'resolved', assignee: 'me', dueDate: PAST, resolved: 25 },
  { key: 'D8', daysAgo: 4, ticketStatus: 'closed', assignee: null, resolved: 24 },
  { key: 'D9', daysAgo: 20, ticketStatus: 'open', assignee: null },
  // resolved 13 days ago: the chart's first day
  { key: 'D10', daysAgo: 16, ticketStatus: 'resolved', assignee: 'other', resolved: 72 },
  { key: 'D11', daysAgo: 13, ticketStatus: 'new', assignee: 'other' },
  // resolved 14 days ago: one day before the chart
  { key: 'D12', daysAgo: 15, ticketStatus: 'resolved', assignee: 'me', resolved: 24 },
];

const OPEN_FILTER = 'filters[ticketStatus][$notIn][0]=resolved&filters[ticketStatus][$notIn][1]=closed';

describe('back office: dashboard widgets API', () => {
  let helpdesk: Helpdesk;
  let me: { id: number; jwt: string };
  let other: { id: number; jwt: string };
  let boss: { id: number; token: string };
  let notAgent: { id: number; token: string };

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    // one staff identity: an agent account and a super admin sharing an email
    me = await helpdesk.agent(BOSS);
    boss = await helpdesk.admin(BOSS);
    other = await helpdesk.agent();
    notAgent = await helpdesk.admin('no.agent@example.test');
    for (const [i, row] of ROWS.entries()) {
      const createdAt = new Date(dayStart(row.daysAgo).getTime() + HOUR);
      await helpdesk.strapi.db.query(TICKET).create({
        data: {
          documentId: `dash-${row.key.toLowerCase()}`,
          ticketNumber: `TKT-2026-8${String(i).padStart(4, '0')}`,
          subject: row.key,
          ticketStatus: row.ticketStatus,
          priority: 'medium',
          category: 'general',
          source: 'web',
          isGuest: false,
          assignee: row.assignee === 'me' ? me.id : row.assignee === 'other' ? other.id : null,
          dueDate: row.dueDate ?? null,
          createdAt,
          updatedAt: createdAt,
          resolvedAt: row.resolved === undefined ? null : new Date(createdAt.getTime() + row.resolved * HOUR),
        },
      });
    }
  });
  afterAll(() => helpdesk?.stop());

  const dashboard = async (token: string) => {
    const response = await helpdesk.request('GET', '/helpdesk-admin/dashboard', { token });
    expect(response.status).toBe(200);
    return response.body.data;
  };

  it('counts open tickets by status, overdue, unassigned and mine as worked out by hand', async () => {
    const data = await dashboard(boss.token);
    expect(data).toMatchObject({
      // D1 D2 D3 D4 D5 D6 D9 D11
      open: 8,
      byStatus: { new: 2, open: 2, in_progress: 1, pending: 1, on_hold: 1, reopened: 1 },
      // D1 D3 D5 (D7 is past due but resolved)
      overdue: 3,
      // D2 D5 D9 (D8 is unassigned but closed)
      unassigned: 3,
      // D1 D4 D6 (D7 and D12 are mine but resolved)
      mine: 3,
      mineHint: null,
    });
    // done statuses are not "open by status"
    expect(Object.keys(data.byStatus).sort()).toEqual(['in_progress', 'new', 'on_hold', 'open', 'pending', 'reopened']);
  });

  it('equals GET /api/tickets/statistics for the same tickets (open ones), for the same person', async () => {
    const data = await dashboard(boss.token);
    const response = await helpdesk.request('GET', `/api/tickets/statistics?${OPEN_FILTER}`, { token: me.jwt });
    expect(response.status).toBe(200);
    const stats = response.body.data;
    expect(stats.total).toBe(data.open);
    expect(stats.overdue).toBe(data.overdue);
    expect(stats.unassigned).toBe(data.unassigned);
    expect(stats.mine).toBe(data.mine);
    for (const [status, count] of Object.entries(data.byStatus)) expect([status, stats.byStatus[status]]).toEqual([status, count]);
    expect(stats.byStatus.resolved + stats.byStatus.closed).toBe(0);
  });

  it('gives created vs resolved for each of the last 14 UTC days, oldest first, zero-filled', async () => {
    const { createdVsResolved } = await dashboard(boss.token);
    const expected = Array.from({ length: 14 }, (_, i) => ({ date: dayStart(13 - i).toISOString().slice(0, 10), created: 0, resolved: 0 }));
    const at = (daysAgo: number) => expected[13 - daysAgo];
    at(0).created = 1; // D1
    at(1).created = 2; // D2 D7
    at(2).created = 1; // D3
    at(3).created = 1; // D4
    at(4).created = 1; // D8
    at(5).created = 1; // D5
    at(6).created = 1; // D6
    at(13).created = 1; // D11 (D12, D10, D9 are older)
    at(0).resolved = 1; // D7
    at(3).resolved = 1; // D8
    at(13).resolved = 1; // D10 (D12 was resolved the day before the chart)
    expect(createdVsResolved).toEqual(expected);

    // created: the statistics endpoint's own per-day counts for the same days
    const stats = (await helpdesk.request('GET', '/api/tickets/statistics', { token: me.jwt })).body.data;
    expect(createdVsResolved.map((day: { date: string; created: number }) => ({ date: day.date, count: day.created }))).toEqual(
      stats.createdPerDay.slice(-14)
    );
  });

  it('answers mine: null with a hint for an admin who has no agent account (the rest unchanged)', async () => {
    const data = await dashboard(notAgent.token);
    expect(data.mine).toBeNull();
    expect(data.mineHint).toMatch(/no agent account/);
    expect(data).toMatchObject({ open: 8, overdue: 3, unassigned: 3 });
  });

  it('follows the data: assigning an unassigned open ticket to me moves one count from unassigned to mine', async () => {
    const d2 = await helpdesk.strapi.db.query(TICKET).findOne({ where: { subject: 'D2' } });
    await helpdesk.strapi.db.query(TICKET).update({ where: { id: d2.id }, data: { assignee: me.id } });
    try {
      expect(await dashboard(boss.token)).toMatchObject({ unassigned: 2, mine: 4, open: 8 });
    } finally {
      await helpdesk.strapi.db.query(TICKET).update({ where: { id: d2.id }, data: { assignee: null } });
    }
  });

  it('is for signed-in admins holding the work permission: 401 without a session or with an agent JWT, 403 for an Author', async () => {
    expect((await helpdesk.request('GET', '/helpdesk-admin/dashboard')).status).toBe(401);
    expect((await helpdesk.request('GET', '/helpdesk-admin/dashboard', { token: me.jwt })).status).toBe(401);

    const author = await helpdesk.strapi.service('admin::role').findOne({ code: 'strapi-author' });
    await helpdesk.strapi.service('admin::user').create({
      email: 'author@example.test',
      firstname: 'Otto',
      lastname: 'Author',
      password: PASSWORD,
      isActive: true,
      roles: [author.id],
    });
    const login = await helpdesk.request('POST', '/admin/login', { body: { email: 'author@example.test', password: PASSWORD } });
    const refused = await helpdesk.request('GET', '/helpdesk-admin/dashboard', { token: login.body.data.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('PolicyError');
  });

  describe('in Chromium: the home page widgets', () => {
    let panel: Panel;
    beforeAll(async () => {
      panel = await openPanel(helpdesk.baseUrl);
    });
    afterAll(() => panel?.close());

    it('a super admin who is also an agent sees the counts of GET /api/tickets/statistics, each widget opening its inbox view', async () => {
      const stats = (await helpdesk.request('GET', `/api/tickets/statistics?${OPEN_FILTER}`, { token: me.jwt })).body.data;
      const { page } = panel;
      await panel.signIn(BOSS, PASSWORD);

      const count = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-count'));
      await page.getByTestId('helpdesk-widget-open-count').waitFor();
      expect(await count('helpdesk-widget-open-count')).toBe(stats.total);
      expect(await count('helpdesk-widget-overdue-count')).toBe(stats.overdue);
      expect(await count('helpdesk-widget-unassigned-count')).toBe(stats.unassigned);
      expect(await count('helpdesk-widget-mine-count')).toBe(stats.mine);
      // what staff read is the same figure
      expect((await page.getByTestId('helpdesk-widget-overdue-count').textContent())?.trim()).toBe(String(stats.overdue));
      for (const status of ['new', 'open', 'in_progress', 'pending', 'on_hold', 'reopened']) {
        const row = page.locator(`[data-status-row="${status}"]`);
        expect([status, Number(await row.getAttribute('data-count'))]).toEqual([status, stats.byStatus[status]]);
      }

      // the chart: 14 days, today last, the statistics' created counts
      const bars = page.getByTestId('helpdesk-widget-trend').locator('g[data-date]');
      expect(await bars.count()).toBe(14);
      const created = await bars.evaluateAll((groups) => groups.map((g) => Number(g.getAttribute('data-created'))));
      const all = (await helpdesk.request('GET', '/api/tickets/statistics', { token: me.jwt })).body.data;
      expect(created).toEqual(all.createdPerDay.slice(-14).map((day: { count: number }) => day.count));
      expect(await bars.last().getAttribute('data-date')).toBe(dayStart(0).toISOString().slice(0, 10));
      expect(await bars.last().getAttribute('data-resolved')).toBe('1');

      // the helpdesk's widgets come first, before Strapi's own
      const order = await page.locator('[data-strapi-widget-id]').evaluateAll((widgets) => widgets.map((widget) => widget.getAttribute('data-strapi-widget-id') ?? ''));
      const ours = order.filter((uid) => uid.startsWith('plugin::helpdesk.'));
      expect(ours.length).toBeGreaterThanOrEqual(5);
      expect(order.length).toBeGreaterThan(ours.length);
      expect(order.slice(0, ours.length)).toEqual(ours);

      // every widget links into the inbox: its header link and its figure
      for (const [title, view] of [
        ['Open tickets by status', 'open'],
        ['Overdue', 'overdue'],
        ['Unassigned', 'unassigned'],
        ['My tickets', 'my'],
        ['Created vs resolved (14 days)', 'resolved'],
      ]) {
        await page.getByText(title, { exact: true }).first().waitFor();
        const links = await page.locator(`a[href="/admin/helpdesk?view=${view}"]`).count();
        expect([title, links > 0]).toEqual([title, true]);
      }
      // the whole home page in one picture: a tall window, no announcement banner, no hover
      await panel.dismissBanner();
      await page.setViewportSize({ width: 1440, height: 2100 });
      await page.mouse.move(0, 0);
      await panel.screenshot('home-widgets', true);
      await page.setViewportSize({ width: 1440, height: 900 });

      // following one lands on the inbox view it names
      await page.locator('a[href="/admin/helpdesk?view=overdue"]').first().click();
      await page.waitForURL((url) => url.pathname === '/admin/helpdesk' && url.searchParams.get('view') === 'overdue');
      expect(panel.problems).toEqual([]);
    });
  });
});
