import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const NUMBER = /^TKT-(\d{4})-(\d{5})$/;

describe('ticket numbers', () => {
  let helpdesk: Helpdesk;
  let jwt: string;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    jwt = (await helpdesk.agent()).jwt;
  });
  afterAll(() => helpdesk?.stop());

  it('gives 200 concurrent REST creates 200 distinct, sequential numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        helpdesk.request('POST', '/api/tickets', { token: jwt, body: { data: { subject: `Concurrent ${i}` } } })
      )
    );
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const numbers: string[] = results.map((r) => r.body.data.ticketNumber);
    expect(new Set(numbers).size).toBe(200);
    const year = new Date().getUTCFullYear();
    const sequence = numbers
      .map((n) => {
        const match = NUMBER.exec(n);
        expect(match).not.toBeNull();
        expect(Number(match![1])).toBe(year);
        return Number(match![2]);
      })
      .sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('numbers tickets created by server code and through the admin panel from the same sequence', async () => {
    const fromCode = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'From code' } });
    expect(fromCode.ticketNumber).toMatch(/-00201$/);

    const admin = await helpdesk.admin();
    const fromPanel = await helpdesk.request('POST', '/content-manager/collection-types/plugin::helpdesk.ticket', {
      token: admin.token,
      body: { subject: 'From the panel', ticketNumber: 'TKT-1999-99999' },
    });
    expect(fromPanel.status).toBe(201);
    expect(fromPanel.body.data.ticketNumber).toMatch(/-00202$/);
    expect(fromPanel.body.data.source).toBe('admin');
  });

  it('does not use up a number when a create fails', async () => {
    const failed = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({
      data: { subject: 'x'.repeat(500) },
    }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
    const next = await helpdesk.strapi.documents('plugin::helpdesk.ticket').create({ data: { subject: 'After failure' } });
    expect(next.ticketNumber).toMatch(/-00203$/);
  });
});
