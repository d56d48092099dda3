import { Readable, pipeline } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { stringify } from 'csv-stringify';
import { TICKET } from '../../../shared/uids';
import type { Filters } from './ticket-query';
import { getService } from '../get-service';

/**
 * Tickets as CSV, streamed: rows are read in keyset pages by id (PAGE_SIZE per query), turned into
 * CSV as the client reads, so memory stays flat whatever the number of tickets. The tickets are
 * those the list shows for the same filters (the same filters-to-WHERE translation as Strapi's).
 */

export const PAGE_SIZE = 1000;

/** Columns in file order: header name, and how a stored ticket gives the cell. */
const COLUMNS: Array<[string, (ticket: ExportedTicket) => string]> = [
  ['ticketNumber', (t) => t.ticketNumber ?? ''],
  ['subject', (t) => t.subject ?? ''],
  ['ticketStatus', (t) => t.ticketStatus ?? ''],
  ['priority', (t) => t.priority ?? ''],
  ['category', (t) => t.category ?? ''],
  ['source', (t) => t.source ?? ''],
  ['email', (t) => t.email ?? ''],
  ['name', (t) => [t.firstName, t.lastName].filter(Boolean).join(' ')],
  ['assignee', (t) => t.assignee?.username ?? ''],
  ['createdAt', (t) => isoOrEmpty(t.createdAt)],
  ['dueDate', (t) => isoOrEmpty(t.dueDate)],
  ['firstResponseAt', (t) => isoOrEmpty(t.firstResponseAt)],
  ['resolvedAt', (t) => isoOrEmpty(t.resolvedAt)],
  ['closedAt', (t) => isoOrEmpty(t.closedAt)],
  ['tags', (t) => (Array.isArray(t.tags) ? t.tags.map(String).join(', ') : '')],
];

const SELECT = [
  'id',
  'ticketNumber',
  'subject',
  'ticketStatus',
  'priority',
  'category',
  'source',
  'email',
  'firstName',
  'lastName',
  'createdAt',
  'dueDate',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
  'tags',
];

interface ExportedTicket {
  id: number;
  ticketNumber: string | null;
  subject: string | null;
  ticketStatus: string | null;
  priority: string | null;
  category: string | null;
  source: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: string | null;
  dueDate: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  tags: unknown;
  assignee: { username: string | null } | null;
}

const isoOrEmpty = (value: string | null): string => (value ? new Date(value).toISOString() : '');

/** `tickets-YYYY-MM-DD.csv`, the UTC date of the export. */
export const exportFilename = (now: Date): string => `tickets-${now.toISOString().slice(0, 10)}.csv`;

const ticketExport = ({ strapi }: { strapi: Core.Strapi }) => {
  const page = async (where: unknown, afterId: number): Promise<ExportedTicket[]> =>
    (await strapi.db.query(TICKET).findMany({
      where: where ? { $and: [where, { id: { $gt: afterId } }] } : { id: { $gt: afterId } },
      orderBy: { id: 'asc' },
      limit: PAGE_SIZE,
      select: SELECT,
      populate: { assignee: { select: ['username'] } },
    })) as ExportedTicket[];

  async function* pages(where: unknown, first: ExportedTicket[]): AsyncGenerator<string[]> {
    let rows = first;
    for (;;) {
      for (const ticket of rows) yield COLUMNS.map(([, cell]) => cell(ticket));
      if (rows.length < PAGE_SIZE) return;
      rows = await page(where, rows[rows.length - 1].id);
    }
  }

  return {
    /**
     * A readable CSV stream of the filtered tickets. The first page is read before it returns, so
     * that a query error still becomes an error answer rather than a truncated file.
     */
    async open(filters: Filters | undefined): Promise<Readable> {
      const where = getService(strapi, 'ticketQuery').whereFor(filters);
      const first = await page(where, 0);
      const csv = stringify({
        header: true,
        columns: COLUMNS.map(([header]) => header),
        record_delimiter: 'windows', // RFC 4180: CRLF between records
        // RFC 4180 quotes any line break in a field; csv-stringify alone only quotes a full CRLF
        quoted_match: /[\r\n]/,
        // a cell starting with = + - @ (or tab, CR) would be a formula in a spreadsheet: prefix '
        escape_formulas: true,
      });
      pipeline(Readable.from(pages(where, first)), csv, (error) => {
        // the client went away (the response destroys the stream) or a later page failed
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') strapi.log.error(`[export] ${error.message}`);
      });
      return csv;
    },
  };
};

export type TicketExportService = ReturnType<typeof ticketExport>;

export default ticketExport;
