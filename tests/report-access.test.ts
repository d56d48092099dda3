import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const REPORT_ROUTES = ['/api/tickets/statistics', '/api/tickets/export.csv'];

describe('ticket reports: who may call them', () => {
  let helpdesk: Helpdesk;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    // one ticket, so that what the agent gets back is more than an empty answer
    await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'Reports' } });
  });
  afterAll(() => helpdesk?.stop());

  it('gives the Public role 403', async () => {
    for (const url of REPORT_ROUTES) {
      const response = await helpdesk.request('GET', url);
      expect([url, response.status, response.body.error.name]).toEqual([url, 403, 'ForbiddenError']);
    }
  });

  it('gives a signed-in user without the Agent role 403', async () => {
    const customer = await helpdesk.customer();
    expect(customer.jwt).toEqual(expect.any(String));
    for (const url of REPORT_ROUTES) {
      const response = await helpdesk.request('GET', url, { token: customer.jwt });
      expect([url, response.status]).toEqual([url, 403]);
    }
  });

  it('lets an agent call both, matched before the core /tickets/:id route', async () => {
    const { jwt } = await helpdesk.agent();
    const statistics = await helpdesk.request('GET', '/api/tickets/statistics', { token: jwt });
    expect(statistics.status).toBe(200);
    expect(statistics.body.data.total).toBe(1);
    const csv = await helpdesk.request('GET', '/api/tickets/export.csv', { token: jwt });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('grants the report actions to the Agent role only', async () => {
    const permissions = await helpdesk.strapi.db.query('plugin::users-permissions.permission').findMany({
      where: { action: { $startsWith: 'plugin::helpdesk.ticket-report.' } },
      populate: ['role'],
    });
    const granted = permissions.map((p: { action: string; role: { type: string } }) => `${p.role.type} ${p.action}`).sort();
    expect(granted).toEqual(['agent plugin::helpdesk.ticket-report.exportCsv', 'agent plugin::helpdesk.ticket-report.statistics']);
  });
});
