import { startHelpdesk, type Helpdesk } from '../helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const CONTACT = 'plugin::helpdesk.contact';
const HISTORY = 'plugin::helpdesk.ticket-history';

interface HistoryRow {
  action: string;
  ticketNumber: string | null;
  fieldName: string | null;
  oldValue: string | null;
  newValue: string | null;
  actorType: string;
  ticket: { id: number } | null;
  contact: { id: number } | null;
}

/** Contact edits and ticket deletions leave history rows an audit can read afterwards. */
describe('audit history', () => {
  let helpdesk: Helpdesk;
  let agent: { jwt: string };
  let admin: { token: string };

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent();
    admin = await helpdesk.admin();
  });
  afterAll(() => helpdesk?.stop());

  const rows = (where: Record<string, unknown>) =>
    helpdesk.strapi.db.query(HISTORY).findMany({
      where,
      populate: { ticket: { select: ['id'] }, contact: { select: ['id'] } },
      orderBy: { id: 'asc' },
    }) as Promise<HistoryRow[]>;

  it('records each changed contact field, from REST and from server code, on the contact', async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Printer', email: 'pat@example.test', firstName: 'Pat' } });
    const contact = (await helpdesk.strapi.db.query(CONTACT).findOne({ where: { email: 'pat@example.test' } })) as { id: number; documentId: string };
    const updated = await helpdesk.request('PUT', `/api/contacts/${contact.documentId}`, {
      token: agent.jwt,
      body: { data: { email: 'Pat.New@Example.test', phone: '+41 44 000 00 00', firstName: 'Pat' } },
    });
    expect(updated.status).toBe(200);
    await helpdesk.strapi.documents(CONTACT).update({ documentId: contact.documentId, data: { company: 'ACME' } } as never);

    const history = await rows({ contact: { id: contact.id } });
    expect(history.map((r) => [r.action, r.fieldName, r.oldValue, r.newValue, r.actorType])).toEqual([
      ['contact_changed', 'email', 'pat@example.test', 'pat.new@example.test', 'agent'],
      ['contact_changed', 'phone', null, '+41 44 000 00 00', 'agent'],
      ['contact_changed', 'company', null, 'ACME', 'system'],
    ]);
    // nothing repeated on the contact's tickets
    expect((await rows({ ticket: { id: ticket.id } })).map((r) => r.action)).toEqual(['created']);
  });

  it('writes a deleted row for a Content Manager delete; the ticket\'s rows keep its number', async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Delete me', email: 'del@example.test' } });
    const number = (ticket as unknown as { ticketNumber: string }).ticketNumber;
    expect((await rows({ ticket: { id: ticket.id } }))[0]).toMatchObject({ action: 'created', ticketNumber: number });

    const response = await fetch(`${helpdesk.baseUrl}/content-manager/collection-types/${TICKET}/${ticket.documentId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { documentId: ticket.documentId } })).toBe(0);

    const history = await rows({ ticketNumber: number });
    expect(history.map((r) => [r.action, r.actorType, r.ticket])).toEqual([
      ['created', 'system', null],
      ['deleted', 'admin', null],
    ]);
  });

  it('writes a deleted row for a delete from server code, and none when the delete fails', async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Gone', email: 'gone@example.test' } });
    const number = (ticket as unknown as { ticketNumber: string }).ticketNumber;
    await helpdesk.strapi.documents(TICKET).delete({ documentId: ticket.documentId });
    expect((await rows({ ticketNumber: number, action: 'deleted' })).map((r) => r.actorType)).toEqual(['system']);

    const kept = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Kept', email: 'kept@example.test' } });
    const keptNumber = (kept as unknown as { ticketNumber: string }).ticketNumber;
    await expect(
      helpdesk.strapi.db.transaction(async () => {
        await helpdesk.strapi.documents(TICKET).delete({ documentId: kept.documentId });
        throw new Error('rolled back');
      })
    ).rejects.toThrow('rolled back');
    expect(await helpdesk.strapi.db.query(TICKET).count({ where: { documentId: kept.documentId } })).toBe(1);
    expect(await rows({ ticketNumber: keptNumber, action: 'deleted' })).toHaveLength(0);
  });

  it('still refuses deletes over REST to agents', async () => {
    const ticket = await helpdesk.strapi.documents(TICKET).create({ data: { subject: 'Stay', email: 'stay@example.test' } });
    const response = await helpdesk.request('DELETE', `/api/tickets/${ticket.documentId}`, { token: agent.jwt });
    expect(response.status).toBe(403);
    expect(await rows({ ticket: { id: ticket.id }, action: 'deleted' })).toHaveLength(0);
  });
});
