import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

const TICKET = 'plugin::helpdesk.ticket';
const HEADER = [
  'ticketNumber',
  'subject',
  'ticketStatus',
  'priority',
  'category',
  'source',
  'email',
  'name',
  'assignee',
  'createdAt',
  'dueDate',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
  'tags',
];

/** RFC 4180, strictly: CRLF between records, and a line break outside quotes is an error. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`unquoted ${JSON.stringify(c)} at offset ${i}`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('the last record does not end with CRLF');
  return rows;
}

describe('CSV export', () => {
  let helpdesk: Helpdesk;
  let agent: { id: number; jwt: string };
  let sequence = 0;

  const insert = (data: Record<string, unknown>) =>
    helpdesk.strapi.db.query(TICKET).create({
      data: { ticketNumber: `TKT-2026-${String(++sequence).padStart(5, '0')}`, ticketStatus: 'new', priority: 'medium', category: 'general', source: 'api', ...data },
    });

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    agent = await helpdesk.agent('exporter@example.test');
  });
  afterAll(() => helpdesk?.stop());

  const download = async (query = '') => {
    const response = await fetch(`${helpdesk.baseUrl}/api/tickets/export.csv${query ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${agent.jwt}` },
    });
    const text = await response.text();
    return { response, text };
  };

  /** The export as objects keyed by header, after checking the header row. */
  const exported = async (query = '') => {
    const { response, text } = await download(query);
    expect([query, response.status]).toEqual([query, 200]);
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual(HEADER);
    return records.map((record) => Object.fromEntries(HEADER.map((name, i) => [name, record[i]])));
  };

  it('quotes commas, quotes and line breaks as RFC 4180 says, and writes every column', async () => {
    await insert({
      subject: 'Printer, floor 3: "PC LOAD LETTER"\nsecond line\r\nthird',
      ticketStatus: 'open',
      priority: 'high',
      category: 'technical',
      source: 'web',
      email: 'jane@example.test',
      firstName: 'Jane',
      lastName: "O'Hara",
      assignee: agent.id,
      tags: ['printer', 'floor 3'],
      createdAt: new Date('2026-03-01T10:00:00Z'),
      dueDate: new Date('2026-03-02T10:00:00Z'),
      firstResponseAt: new Date('2026-03-01T11:30:00Z'),
      resolvedAt: new Date('2026-03-01T15:00:00Z'),
      closedAt: new Date('2026-03-01T16:00:00Z'),
    });
    const [ticket] = await exported('search=PC%20LOAD');
    expect(ticket).toEqual({
      ticketNumber: 'TKT-2026-00001',
      subject: 'Printer, floor 3: "PC LOAD LETTER"\nsecond line\r\nthird',
      ticketStatus: 'open',
      priority: 'high',
      category: 'technical',
      source: 'web',
      email: 'jane@example.test',
      name: "Jane O'Hara",
      assignee: 'exporter',
      createdAt: '2026-03-01T10:00:00.000Z',
      dueDate: '2026-03-02T10:00:00.000Z',
      firstResponseAt: '2026-03-01T11:30:00.000Z',
      resolvedAt: '2026-03-01T15:00:00.000Z',
      closedAt: '2026-03-01T16:00:00.000Z',
      tags: 'printer, floor 3',
    });
    const { text } = await download('search=PC%20LOAD');
    // the field is quoted, its quotes doubled, its line breaks kept
    expect(text).toContain('"Printer, floor 3: ""PC LOAD LETTER""\nsecond line\r\nthird"');

    // a lone LF or CR is a line break too
    await insert({ subject: 'only\nLF', tags: ['lone'] });
    await insert({ subject: 'only\rCR', tags: ['lone'] });
    expect((await exported('search=lone')).map((row) => row.subject)).toEqual(['only\nLF', 'only\rCR']);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    await insert({ subject: '=HYPERLINK("http://evil.test","click")', firstName: '+41', lastName: 'Caller', email: '-1+2@x.test', tags: ['@risk', 'ok'] });
    await insert({ subject: '\tcmd', firstName: 'Tab', tags: ['formula'] });
    await insert({ subject: '\rcarriage', firstName: 'CR', tags: ['formula'] });
    await insert({ subject: 'a-b = c', firstName: 'Plain', tags: ['formula'] });
    const rows = await exported('search=formula');
    expect(rows.map((row) => row.subject)).toEqual(["'\tcmd", "'\rcarriage", 'a-b = c']);
    const [risky] = await exported('search=evil.test');
    expect(risky).toMatchObject({ subject: `'=HYPERLINK("http://evil.test","click")`, name: "'+41 Caller", email: "'-1+2@x.test", tags: "'@risk, ok" });
  });

  it('answers a dated CSV attachment, streamed', async () => {
    const { response, text } = await download();
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const today = new Date().toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="tickets-${today}.csv"`);
    // a stream: no length known up front
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    expect(text.startsWith(`${HEADER.join(',')}\r\n`)).toBe(true);
  });

  it('exports what the list shows for the same filters', async () => {
    const other = await helpdesk.agent('other-exporter@example.test');
    await insert({ subject: 'Filter: mine high', priority: 'high', assignee: agent.id });
    await insert({ subject: 'Filter: unassigned high', priority: 'high' });
    await insert({ subject: 'Filter: unassigned low', priority: 'low' });
    await insert({ subject: 'Filter: theirs high', priority: 'high', assignee: other.id });

    const query = 'unassigned=true&filters[priority][$eq]=high&search=Filter';
    expect((await exported(query)).map((row) => row.subject)).toEqual(['Filter: unassigned high']);
    const listed = await helpdesk.request('GET', `/api/tickets?${query}`, { token: agent.jwt });
    expect(listed.body.data.map((t: { subject: string }) => t.subject)).toEqual(['Filter: unassigned high']);

    expect((await exported('my=true&search=Filter')).map((row) => row.subject)).toEqual(['Filter: mine high']);
    expect((await exported(`assignee=${other.id}`)).map((row) => [row.subject, row.assignee])).toEqual([['Filter: theirs high', 'other-exporter']]);
    expect(await exported('filters[ticketStatus][$eq]=on_hold')).toEqual([]);
  });

  it('streams a large export page by page and it parses back to the same tickets', async () => {
    const total = 5000;
    const rows = Array.from({ length: total }, (_, i) => ({
      ticketNumber: `TKT-2025-${String(i + 1).padStart(5, '0')}`,
      subject: `Bulk ${i + 1}, "quoted"`,
      ticketStatus: 'open',
      priority: 'low',
      category: 'general',
      source: 'email',
      tags: ['bulk'],
    }));
    for (let i = 0; i < total; i += 500) await helpdesk.strapi.db.query(TICKET).createMany({ data: rows.slice(i, i + 500) });

    const response = await fetch(`${helpdesk.baseUrl}/api/tickets/export.csv?filters[source][$eq]=email&search=bulk`, {
      headers: { authorization: `Bearer ${agent.jwt}` },
    });
    expect(response.status).toBe(200);
    // read it as it arrives
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    expect(chunks).toBeGreaterThan(1);

    const [header, ...records] = parseCsv(text);
    expect(header).toEqual(HEADER);
    expect(records).toHaveLength(total);
    // in id order (the keyset), every ticket once
    expect(records.map((record) => record[0])).toEqual(rows.map((row) => row.ticketNumber));
    expect(records[4999][1]).toBe('Bulk 5000, "quoted"');
  });

  it.each([
    ['pagination[page]=2', 'pagination'],
    ['fields[0]=subject', 'fields'],
    ['overdue=soon', 'overdue'],
    ['filters[estimatedHours][$lte]=lots', 'filters[estimatedHours][$lte]'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const response = await helpdesk.request('GET', `/api/tickets/export.csv?${query}`, { token: agent.jwt });
    expect([query, response.status]).toEqual([query, 400]);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.error.message.startsWith(`${param}: `)).toBe(true);
  });

  it('answers 404 for an unknown assignee', async () => {
    const response = await helpdesk.request('GET', '/api/tickets/export.csv?assignee=31337', { token: agent.jwt });
    expect([response.status, response.body.error.name]).toEqual([404, 'NotFoundError']);
  });
});
