import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';
import { applyContentManagerLayouts } from '../src/plugins/helpdesk/server/src/setup/content-manager-layouts';
import { ENUM_VALUE_LABELS } from '../src/plugins/helpdesk/shared/contract';
import { HELPDESK_LAYOUT_MARK } from '../src/plugins/helpdesk/shared/uids';

interface IndexInfo {
  name: string;
  columns: string[];
  type?: string | null;
}

describe('database schema and admin layouts', () => {
  let helpdesk: Helpdesk;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
  });
  afterAll(() => helpdesk?.stop());

  const indexesOf = async (table: string): Promise<IndexInfo[]> =>
    (await helpdesk.strapi.db.dialect.schemaInspector.getIndexes(table)) as IndexInfo[];
  const indexedColumnSets = async (table: string) => (await indexesOf(table)).map((index) => index.columns.join(','));

  it('has indexes on what staff filter and sort tickets by', async () => {
    const tickets = await indexedColumnSets('helpdesk_tickets');
    for (const columns of ['ticket_status', 'priority', 'created_at', 'due_date', 'ticket_status,created_at']) {
      expect(tickets).toContain(columns);
    }
    // to-one relations live in link tables whose columns Strapi indexes both ways
    for (const [table, column] of [['helpdesk_tickets_assignee_lnk', 'user_id'], ['helpdesk_tickets_contact_lnk', 'contact_id']]) {
      const link = await indexedColumnSets(table);
      expect(link).toContain('ticket_id');
      expect(link).toContain(column);
    }
  });

  it('enforces unique ticket numbers, contact emails and template keys in the database', async () => {
    const unique = async (table: string, column: string) =>
      (await indexesOf(table)).some((index) => index.type === 'unique' && index.columns.join(',') === column);
    expect(await unique('helpdesk_tickets', 'ticket_number')).toBe(true);
    expect(await unique('helpdesk_contacts', 'email')).toBe(true);
    expect(await unique('helpdesk_email_templates', 'key')).toBe(true);
    expect(await unique('helpdesk_ticket_sequences', 'year')).toBe(true);
  });

  it('runs SQLite in WAL mode (PostgreSQL needs no such setting)', async () => {
    if (helpdesk.strapi.db.dialect.client !== 'sqlite') {
      expect(helpdesk.strapi.db.dialect.client).toBe('postgres');
      return;
    }
    const rows = (await helpdesk.strapi.db.connection.raw('PRAGMA journal_mode')) as Array<{ journal_mode: string }>;
    expect(rows[0].journal_mode).toBe('wal');
  });

  const ticketConfiguration = () =>
    helpdesk.strapi.plugin('content-manager').service('content-types').findConfiguration({ uid: 'plugin::helpdesk.ticket' });

  it('shows tickets in the Content Manager by number, subject, requester, status, priority, guest, assignee and date, newest first', async () => {
    const configuration = await ticketConfiguration();
    expect(configuration.layouts.list).toEqual(['ticketNumber', 'subject', 'contact', 'ticketStatus', 'priority', 'isGuest', 'assignee', 'createdAt']);
    expect(configuration.settings).toMatchObject({ defaultSortBy: 'createdAt', defaultSortOrder: 'DESC' });
    expect(configuration.metadatas.ticketNumber.edit.editable).toBe(false);
  });

  it("gives an email template's subject and HTML body the form's whole width", async () => {
    const configuration = await helpdesk.strapi
      .plugin('content-manager')
      .service('content-types')
      .findConfiguration({ uid: 'plugin::helpdesk.email-template' });
    expect(configuration.layouts.edit).toEqual([
      [
        { name: 'key', size: 6 },
        { name: 'enabled', size: 4 },
      ],
      [{ name: 'subject', size: 12 }],
      [{ name: 'body', size: 12 }],
    ]);
  });

  it('does not overwrite a layout an admin changed later', async () => {
    const contentTypes = helpdesk.strapi.plugin('content-manager').service('content-types');
    const configuration = await ticketConfiguration();
    configuration.layouts.list = ['ticketNumber', 'subject'];
    await contentTypes.updateConfiguration({ uid: 'plugin::helpdesk.ticket' }, configuration);

    await applyContentManagerLayouts(helpdesk.strapi);
    expect((await ticketConfiguration()).layouts.list).toEqual(['ticketNumber', 'subject']);
  });
  it('has words for every enumeration value of the helpdesk types (the admin panel shows them instead of the stored values)', () => {
    const unlabelled: string[] = [];
    let values = 0;
    for (const [uid, contentType] of Object.entries(helpdesk.strapi.contentTypes)) {
      if (!uid.startsWith('plugin::helpdesk.')) continue;
      for (const [field, attribute] of Object.entries(contentType.attributes as Record<string, { type: string; enum?: string[] }>)) {
        if (attribute.type !== 'enumeration') continue;
        for (const value of attribute.enum ?? []) {
          values += 1;
          if (!ENUM_VALUE_LABELS[value]) unlabelled.push(`${uid}.${field}: ${value}`);
        }
      }
    }
    expect(values).toBeGreaterThan(40);
    expect(unlabelled).toEqual([]);
  });

  // The admin's layout hooks (content-manager/layouts.ts) change a view only when its layout's
  // options carry this mark, which the Content Manager merges in from the type's plugin options.
  it('marks every helpdesk type, and no other, as the helpdesk\'s in its plugin options', () => {
    const marked = Object.entries(helpdesk.strapi.contentTypes)
      .filter(([, contentType]) => (contentType.pluginOptions as Record<string, unknown> | undefined)?.[HELPDESK_LAYOUT_MARK])
      .map(([uid]) => uid);
    const helpdeskTypes = Object.keys(helpdesk.strapi.contentTypes).filter((uid) => uid.startsWith('plugin::helpdesk.'));
    expect(helpdeskTypes.length).toBeGreaterThan(10);
    expect(marked.sort()).toEqual(helpdeskTypes.sort());
  });
});
