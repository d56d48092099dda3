import type { Core } from '@strapi/strapi';
import { CONTACT, HELPDESK_UID_PREFIX, EMAIL_TEMPLATE, OUTBOUND_EMAIL, TICKET, TICKET_HISTORY, UP_USER } from '../../../shared/uids';
import { SERVER_OWNED_TICKET_ATTRIBUTES } from '../domain/server-owned';

/** Bump when the layouts below change, so that existing installs get them once. */
const LAYOUT_VERSION = 8;

const TICKET_LIST = ['ticketNumber', 'subject', 'contact', 'ticketStatus', 'priority', 'isGuest', 'assignee', 'createdAt'];
/**
 * Not in the ticket's edit view: the inbox's sort key (the priority is beside it), and the
 * conversation, files and history, which the Helpdesk ticket view shows in words (the side panel
 * "Open in Helpdesk" leads there) and which a relation list can only show by one field each.
 */
const TICKET_FIELDS_SHOWN_ELSEWHERE = ['priorityRank', 'comments', 'attachments', 'history'];
const HISTORY_LIST = ['timestamp', 'ticketNumber', 'ticket', 'contact', 'action', 'fieldName', 'newValue', 'actorName'];
const CONTACT_LIST = ['displayName', 'company', 'phone', 'createdAt'];
const OUTBOX_LIST = ['createdAt', 'to', 'subject', 'deliveryStatus', 'attempts', 'lastError', 'sentAt'];
/** A template's subject and HTML body across the whole form: staff write mails there, not a half-width box. */
const TEMPLATE_EDIT: EditField[][] = [
  [
    { name: 'key', size: 6 },
    { name: 'enabled', size: 4 },
  ],
  [{ name: 'subject', size: 12 }],
  [{ name: 'body', size: 12 }],
];

interface FieldMetadata {
  edit?: { editable?: boolean; visible?: boolean; mainField?: string; label?: string; [key: string]: unknown };
  list?: { mainField?: string; label?: string; [key: string]: unknown };
}

interface EditField {
  name: string;
  size: number;
}

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, FieldMetadata>;
  layouts: { list: string[]; edit: EditField[][] };
}

/** Words staff read instead of attribute names, where the humanizer's would be wrong or clumsy. */
export const LABEL_OVERRIDES: Record<string, string> = {
  id: 'ID',
  documentId: 'Document ID',
  ticketStatus: 'Status',
  deliveryStatus: 'Delivery',
  isGuest: 'Guest',
  isInternal: 'Internal note',
  dueDate: 'Due',
  dueDateManual: 'Due date set by hand',
  firstResponseDueAt: 'First response due',
  firstResponseAt: 'First response',
  resolvedAt: 'Resolved',
  closedAt: 'Closed',
  createdAt: 'Created',
  updatedAt: 'Updated',
  publishedAt: 'Published',
  sentAt: 'Sent',
  displayName: 'Contact',
  actorName: 'By',
  actorType: 'By (kind)',
  actorId: 'By (id)',
  fieldName: 'Field',
  oldValue: 'From',
  newValue: 'To',
  mimeType: 'MIME type',
  messageId: 'Message-ID',
  uidValidity: 'UIDVALIDITY',
  uid: 'UID',
};

/** camelCase → "Sentence case": ticketNumber → "Ticket number", lastError → "Last error". */
export function humanizeField(name: string): string {
  const override = LABEL_OVERRIDES[name];
  if (override) return override;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .split(/\s+/);
  return words
    .map((word, index) => (/^[A-Z0-9]{2,}$/.test(word) ? word : index === 0 ? word[0].toUpperCase() + word.slice(1).toLowerCase() : word.toLowerCase()))
    .join(' ');
}

/** Sets human labels; `onlyDefaults` leaves a label an admin changed alone (Strapi's default is the field name). */
function humanLabels(configuration: Configuration, onlyDefaults: boolean): boolean {
  let changed = false;
  for (const [field, metadata] of Object.entries(configuration.metadatas)) {
    const text = humanizeField(field);
    for (const view of [metadata.edit, metadata.list]) {
      if (!view || view.label === text) continue;
      if (onlyDefaults && view.label !== undefined && view.label !== field) continue;
      view.label = text;
      changed = true;
    }
  }
  return changed;
}

/** Relations show their target by what staff know it by: number, name and email, username. */
const MAIN_FIELD_OF_TARGET: Record<string, string> = {
  [TICKET]: 'ticketNumber',
  [CONTACT]: 'displayName',
  [UP_USER]: 'username',
};

function relationMainFields(strapi: Core.Strapi, uid: string, configuration: Configuration): void {
  const attributes = strapi.contentType(uid as typeof TICKET).attributes as Record<string, { type: string; target?: string }>;
  for (const [field, attribute] of Object.entries(attributes)) {
    const mainField = attribute.type === 'relation' && attribute.target ? MAIN_FIELD_OF_TARGET[attribute.target] : undefined;
    const metadata = configuration.metadatas[field];
    if (!mainField || !metadata) continue;
    if (metadata.edit) metadata.edit.mainField = mainField;
    if (metadata.list) metadata.list.mainField = mainField;
  }
}

/** Fields missing from the edit view get a row each at its end (history's contact and ticket number). */
function showInEditView(configuration: Configuration, fields: string[]): void {
  const shown = new Set(configuration.layouts.edit.flat().map((field) => field.name));
  for (const field of fields) {
    if (!shown.has(field) && configuration.metadatas[field]) configuration.layouts.edit.push([{ name: field, size: 6 }]);
  }
}

/** The helpdesk's own types the Content Manager shows. */
const helpdeskTypes = (strapi: Core.Strapi): string[] =>
  Object.keys(strapi.contentTypes).filter((uid) => {
    if (!uid.startsWith(HELPDESK_UID_PREFIX)) return false;
    const options = (strapi.contentType(uid as typeof TICKET) as { pluginOptions?: { 'content-manager'?: { visible?: boolean } } }).pluginOptions;
    return options?.['content-manager']?.visible !== false;
  });

interface ContentTypesService {
  findContentType(uid: string): unknown;
  findConfiguration(contentType: unknown): Promise<Configuration>;
  updateConfiguration(contentType: unknown, configuration: Configuration): Promise<unknown>;
}

function hideInEditView(configuration: Configuration, fields: string[]): void {
  for (const field of fields) {
    const metadata = configuration.metadatas[field];
    if (metadata?.edit) metadata.edit.visible = false;
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
  const contentTypes = strapi.plugin('content-manager').service('content-types') as ContentTypesService;
  if ((applied?.version ?? 0) >= LAYOUT_VERSION) {
    // every boot: a field added since gets a human label too (labels admins changed stay)
    for (const uid of helpdeskTypes(strapi)) {
      const contentType = contentTypes.findContentType(uid);
      const configuration = await contentTypes.findConfiguration(contentType);
      if (humanLabels(configuration, true)) await contentTypes.updateConfiguration(contentType, configuration);
    }
    return;
  }

  const ticketType = contentTypes.findContentType(TICKET);
  const ticket = await contentTypes.findConfiguration(ticketType);
  ticket.layouts.list = TICKET_LIST;
  ticket.settings = { ...ticket.settings, mainField: 'ticketNumber', defaultSortBy: 'createdAt', defaultSortOrder: 'DESC' };
  const assignee = ticket.metadatas.assignee;
  if (assignee?.list) assignee.list.mainField = 'username';
  if (assignee?.edit) assignee.edit.mainField = 'username';
  readOnly(ticket, [...SERVER_OWNED_TICKET_ATTRIBUTES]);
  hideInEditView(ticket, TICKET_FIELDS_SHOWN_ELSEWHERE);
  await contentTypes.updateConfiguration(ticketType, ticket);

  // Contacts by name and email, in their own list and in every picker.
  const contactType = contentTypes.findContentType(CONTACT);
  const contact = await contentTypes.findConfiguration(contactType);
  contact.settings = { ...contact.settings, mainField: 'displayName', defaultSortBy: 'displayName', defaultSortOrder: 'ASC' };
  contact.layouts.list = CONTACT_LIST.filter((field) => field in contact.metadatas);
  readOnly(contact, ['displayName']);
  await contentTypes.updateConfiguration(contactType, contact);

  const templateType = contentTypes.findContentType(EMAIL_TEMPLATE);
  const template = await contentTypes.findConfiguration(templateType);
  template.layouts.edit = TEMPLATE_EDIT.map((row) => row.filter((field) => field.name in template.metadatas)).filter((row) => row.length > 0);
  await contentTypes.updateConfiguration(templateType, template);

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
    if (uid === TICKET_HISTORY) showInEditView(configuration, ['ticketNumber', 'contact']);
    await contentTypes.updateConfiguration(contentType, configuration);
  }

  // Every helpdesk type: relations by their main field, human labels for every field.
  for (const uid of helpdeskTypes(strapi)) {
    const contentType = contentTypes.findContentType(uid);
    const configuration = await contentTypes.findConfiguration(contentType);
    relationMainFields(strapi, uid, configuration);
    humanLabels(configuration, false);
    await contentTypes.updateConfiguration(contentType, configuration);
  }

  await store.set({ value: { version: LAYOUT_VERSION } });
}
