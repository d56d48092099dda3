import type { Core } from '@strapi/strapi';
import { OUTBOUND_EMAIL, TICKET, TICKET_HISTORY } from '../uids';

/** Bump when the layouts below change, so that existing installs get them once. */
const LAYOUT_VERSION = 4;

const TICKET_LIST = ['ticketNumber', 'subject', 'ticketStatus', 'priority', 'isGuest', 'assignee', 'createdAt'];
const SERVER_OWNED_TICKET_FIELDS = ['ticketNumber', 'isGuest', 'source', 'submittedBy', 'firstResponseAt', 'firstResponseDueAt', 'dueDateManual', 'resolvedAt', 'closedAt', 'history'];
const HISTORY_LIST = ['timestamp', 'ticket', 'action', 'fieldName', 'oldValue', 'newValue', 'actorName'];
const OUTBOX_LIST = ['createdAt', 'to', 'subject', 'deliveryStatus', 'attempts', 'lastError', 'sentAt'];

interface FieldMetadata {
  edit?: { editable?: boolean; mainField?: string; label?: string; [key: string]: unknown };
  list?: { mainField?: string; label?: string; [key: string]: unknown };
}

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, FieldMetadata>;
  layouts: { list: string[]; edit: unknown };
}

interface ContentTypesService {
  findContentType(uid: string): unknown;
  findConfiguration(contentType: unknown): Promise<Configuration>;
  updateConfiguration(contentType: unknown, configuration: Configuration): Promise<unknown>;
}

/** Staff read "Status"; the attribute cannot be called that (Strapi reserves `status`). */
function label(configuration: Configuration, labels: Record<string, string>): void {
  for (const [field, text] of Object.entries(labels)) {
    const metadata = configuration.metadatas[field];
    if (metadata?.edit) metadata.edit.label = text;
    if (metadata?.list) metadata.list.label = text;
  }
}

function readOnly(configuration: Configuration, fields: string[]): void {
  for (const field of fields) {
    const metadata = configuration.metadatas[field];
    if (metadata?.edit) metadata.edit.editable = false;
  }
}

/**
 * Sets the Content Manager's list views for tickets and history. Layouts live in the database and
 * admins may change them, so they are written once per LAYOUT_VERSION, never on every boot.
 */
export async function applyContentManagerLayouts(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: 'helpdesk', key: 'content-manager-layouts' });
  const applied = (await store.get({})) as { version?: number } | null;
  if ((applied?.version ?? 0) >= LAYOUT_VERSION) return;

  const contentTypes = strapi.plugin('content-manager').service('content-types') as ContentTypesService;

  const ticketType = contentTypes.findContentType(TICKET);
  const ticket = await contentTypes.findConfiguration(ticketType);
  ticket.layouts.list = TICKET_LIST;
  ticket.settings = { ...ticket.settings, mainField: 'ticketNumber', defaultSortBy: 'createdAt', defaultSortOrder: 'DESC' };
  const assignee = ticket.metadatas.assignee;
  if (assignee?.list) assignee.list.mainField = 'username';
  if (assignee?.edit) assignee.edit.mainField = 'username';
  readOnly(ticket, SERVER_OWNED_TICKET_FIELDS);
  label(ticket, { ticketStatus: 'Status' });
  await contentTypes.updateConfiguration(ticketType, ticket);

  // Server-written records: listed newest first, every field read-only.
  for (const [uid, list, sortBy] of [
    [TICKET_HISTORY, HISTORY_LIST, 'timestamp'],
    [OUTBOUND_EMAIL, OUTBOX_LIST, 'createdAt'],
  ] as const) {
    const contentType = contentTypes.findContentType(uid);
    const configuration = await contentTypes.findConfiguration(contentType);
    configuration.layouts.list = [...list];
    configuration.settings = { ...configuration.settings, defaultSortBy: sortBy, defaultSortOrder: 'DESC' };
    readOnly(configuration, Object.keys(configuration.metadatas));
    if (uid === OUTBOUND_EMAIL) label(configuration, { deliveryStatus: 'Delivery' });
    await contentTypes.updateConfiguration(contentType, configuration);
  }

  await store.set({ value: { version: LAYOUT_VERSION } });
}
