import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import ticketSchema from '../content-types/ticket/schema.json';

/**
 * OpenAPI descriptions of the helpdesk's own routes, merged by @strapi/plugin-documentation into
 * the description it generates for Strapi's core routes (served at /documentation).
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const dataOf = (schema: Schema): Schema => ({ type: 'object', required: ['data'], properties: { data: schema } });
const error = (description: string) => ({ description, content: json(ref('HelpdeskError')) });
const documentIdParam = { name: 'documentId', in: 'path', required: true, schema: { type: 'string' }, description: "The ticket's documentId" };

/** The helpdesk's list parameters, on GET /tickets, /tickets/statistics and /tickets/export.csv. */
const LIST_PARAMETERS = [
  { name: 'my', in: 'query', schema: { type: 'boolean' }, description: 'Assigned to the caller' },
  { name: 'unassigned', in: 'query', schema: { type: 'boolean' } },
  { name: 'overdue', in: 'query', schema: { type: 'boolean' }, description: 'Not resolved/closed and past dueDate' },
  { name: 'createdAfter', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'createdBefore', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'search', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Ticket number, subject, description, requester email, tags' },
  { name: 'assignee', in: 'query', schema: { type: 'integer' }, description: 'A user id' },
];

const STAFF_ERRORS = {
  400: error('Invalid body, or a move the transition table forbids (the message names both states)'),
  401: error('No or an invalid JWT'),
  403: error('The caller does not have the Agent role'),
  404: error('No such ticket'),
};

const schemas: Record<string, Schema> = {
  HelpdeskError: {
    type: 'object',
    properties: {
      data: { nullable: true },
      error: {
        type: 'object',
        properties: {
          status: { type: 'integer' },
          name: { type: 'string', example: 'ValidationError' },
          message: { type: 'string' },
          details: {
            type: 'object',
            properties: { errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'array', items: { type: 'string' } }, message: { type: 'string' } } } } },
          },
        },
      },
    },
  },
  TicketStatus: { type: 'string', enum: ticketSchema.attributes.ticketStatus.enum },
  StatusChangeRequest: dataOf({
    type: 'object',
    required: ['ticketStatus'],
    additionalProperties: false,
    properties: { ticketStatus: ref('TicketStatus'), note: { type: 'string', maxLength: 2000, description: 'Kept on the history row' } },
  }),
  AssignRequest: dataOf({
    type: 'object',
    required: ['agent'],
    additionalProperties: false,
    properties: {
      agent: {
        nullable: true,
        oneOf: [{ type: 'integer' }, { type: 'string' }],
        description: 'A user id or documentId with the Agent role, "me", or null to unassign',
      },
    },
  }),
  CommentRequest: dataOf({
    type: 'object',
    required: ['body'],
    additionalProperties: false,
    properties: {
      body: { type: 'string', minLength: 1, maxLength: 50000 },
      isInternal: { type: 'boolean', default: false, description: 'Internal notes are never mailed nor shown to requesters' },
      ticketStatus: ref('TicketStatus'),
      note: { type: 'string', maxLength: 2000, description: "Kept on the status change's history row" },
    },
  }),
  GuestTicketRequest: dataOf({
    type: 'object',
    required: ['firstName', 'lastName', 'email', 'phone', 'company', 'subject', 'description'],
    additionalProperties: false,
    properties: {
      firstName: { type: 'string', maxLength: 100 },
      lastName: { type: 'string', maxLength: 100 },
      email: { type: 'string', format: 'email' },
      phone: { type: 'string', maxLength: 40 },
      company: { type: 'string', maxLength: 200 },
      branch: { type: 'string', maxLength: 200 },
      subject: { type: 'string', maxLength: 200 },
      description: { type: 'string', maxLength: 20000 },
      priority: { type: 'string', enum: ticketSchema.attributes.priority.enum },
      category: { type: 'string', enum: ticketSchema.attributes.category.enum },
      website: { type: 'string', description: 'Honeypot: leave empty' },
    },
  }),
  GuestTicketReceipt: dataOf({
    type: 'object',
    properties: {
      ticketNumber: { type: 'string', example: 'TKT-2026-00001' },
      ticketStatus: ref('TicketStatus'),
      subject: { type: 'string' },
      priority: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  }),
  PortalTicket: {
    type: 'object',
    properties: {
      documentId: { type: 'string' },
      ticketNumber: { type: 'string' },
      subject: { type: 'string' },
      description: { type: 'string', nullable: true },
      ticketStatus: ref('TicketStatus'),
      priority: { type: 'string' },
      category: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      resolvedAt: { type: 'string', format: 'date-time', nullable: true },
      closedAt: { type: 'string', format: 'date-time', nullable: true },
    },
  },
  PortalComment: {
    type: 'object',
    properties: {
      documentId: { type: 'string' },
      body: { type: 'string' },
      authorType: { type: 'string', enum: ['staff', 'requester', 'system'] },
      authorName: { type: 'string', nullable: true },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  PortalCommentRequest: dataOf({ type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string', minLength: 1, maxLength: 50000 } } }),
};

const portalErrors = {
  400: error('Invalid query or body'),
  403: error('Not a requester with a confirmed address'),
  404: error("No such ticket, or not the requester's (the two are not told apart)"),
};

const paths: Record<string, Schema> = {
  '/tickets/guest': {
    post: {
      tags: ['Helpdesk: guests'],
      summary: 'Open a ticket without an account (Public role); mails a confirmation from a template',
      requestBody: { required: true, content: json(ref('GuestTicketRequest')) },
      responses: {
        201: { description: 'The receipt', content: json(ref('GuestTicketReceipt')) },
        400: error('One error per bad field'),
        413: error('Body over GUEST_BODY_LIMIT_BYTES'),
        429: error('Rate limited; see Retry-After'),
      },
    },
  },
  '/tickets/{documentId}/status': {
    post: {
      tags: ['Helpdesk: staff'],
      summary: 'Move a ticket to another status through the transition table; may mail the requester',
      parameters: [documentIdParam],
      requestBody: { required: true, content: json(ref('StatusChangeRequest')) },
      responses: { 200: { description: 'The updated ticket', content: json(ref('TicketResponse')) }, ...STAFF_ERRORS },
    },
  },
  '/tickets/{documentId}/assign': {
    post: {
      tags: ['Helpdesk: staff'],
      summary: 'Assign a ticket to an agent (or unassign); mails the new assignee',
      parameters: [documentIdParam],
      requestBody: { required: true, content: json(ref('AssignRequest')) },
      responses: { 200: { description: 'The updated ticket', content: json(ref('TicketResponse')) }, ...STAFF_ERRORS },
    },
  },
  '/tickets/{documentId}/comments': {
    post: {
      tags: ['Helpdesk: staff'],
      summary: 'Comment on a ticket (optionally with files and a new status); a public comment is mailed to the requester in the ticket\'s thread, files attached (or as expiring links above MAIL_ATTACHMENT_MAX_BYTES)',
      parameters: [documentIdParam],
      requestBody: {
        required: true,
        content: {
          ...json(ref('CommentRequest')),
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['data'],
              properties: {
                data: { type: 'string', description: 'The JSON body\'s `data` object as a string: { body, isInternal?, ticketStatus?, note? }' },
                files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'At most ATTACHMENT_MAX_FILES files of ATTACHMENT_MAX_BYTES each' },
              },
            },
          },
        },
      },
      responses: { 201: { description: 'The comment', content: json(ref('CommentResponse')) }, ...STAFF_ERRORS },
    },
  },
  '/tickets/{documentId}/attachments': {
    post: {
      tags: ['Helpdesk: staff'],
      summary: 'Attach files to a ticket (or one of its comments) through the upload plugin',
      parameters: [documentIdParam],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['files'],
              properties: {
                files: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'At most ATTACHMENT_MAX_FILES files of ATTACHMENT_MAX_BYTES each; executables are refused' },
                comment: { type: 'string', description: 'documentId of a comment on this ticket' },
              },
            },
          },
        },
      },
      responses: {
        201: {
          description: 'One attachment record per file',
          content: json(dataOf({
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'integer' }, documentId: { type: 'string' }, filename: { type: 'string' },
                size: { type: 'integer', description: 'bytes' }, mimeType: { type: 'string' }, url: { type: 'string' },
              },
            },
          })),
        },
        ...STAFF_ERRORS,
        400: error('A refused file (type, name) or a comment of another ticket'),
        413: error('A file over ATTACHMENT_MAX_BYTES, or a request over the body limit'),
      },
    },
  },
  '/tickets/statistics': {
    get: {
      tags: ['Helpdesk: staff'],
      summary: 'Counts and times over the tickets the list parameters select, computed with SQL aggregates',
      parameters: LIST_PARAMETERS,
      responses: {
        200: {
          description: 'Statistics',
          content: json(dataOf({
            type: 'object',
            properties: {
              total: { type: 'integer' },
              byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
              byPriority: { type: 'object', additionalProperties: { type: 'integer' } },
              byCategory: { type: 'object', additionalProperties: { type: 'integer' } },
              bySource: { type: 'object', additionalProperties: { type: 'integer' } },
              byRequester: { type: 'object', properties: { guest: { type: 'integer' }, registered: { type: 'integer' } } },
              overdue: { type: 'integer' },
              unassigned: { type: 'integer' },
              mine: { type: 'integer' },
              averageFirstResponseHours: { type: 'number', nullable: true },
              averageResolutionHours: { type: 'number', nullable: true },
              resolutionRate: { type: 'object', properties: { since: { type: 'string', format: 'date-time' }, created: { type: 'integer' }, resolved: { type: 'integer' }, rate: { type: 'number', nullable: true } } },
              createdPerDay: { type: 'array', items: { type: 'object', properties: { date: { type: 'string', format: 'date' }, count: { type: 'integer' } } } },
            },
          })),
        },
        400: error('A bad parameter (the message names it)'),
        403: error('The caller does not have the Agent role'),
        404: error('No such assignee'),
      },
    },
  },
  '/tickets/export.csv': {
    get: {
      tags: ['Helpdesk: staff'],
      summary: 'The tickets the list parameters select as CSV (RFC 4180, streamed, formula cells neutralised)',
      parameters: LIST_PARAMETERS,
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        400: error('A bad parameter (the message names it)'),
        403: error('The caller does not have the Agent role'),
      },
    },
  },
  '/portal/tickets': {
    get: {
      tags: ['Helpdesk: requesters'],
      summary: "The signed-in requester's own tickets, newest first",
      parameters: [
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
      ],
      responses: {
        200: {
          description: 'A page of tickets',
          content: json({
            type: 'object',
            properties: {
              data: { type: 'array', items: ref('PortalTicket') },
              meta: { type: 'object', properties: { pagination: { type: 'object', properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, pageCount: { type: 'integer' }, total: { type: 'integer' } } } } },
            },
          }),
        },
        ...portalErrors,
      },
    },
  },
  '/portal/tickets/{documentId}': {
    get: {
      tags: ['Helpdesk: requesters'],
      summary: 'One of the requester\'s tickets',
      parameters: [documentIdParam],
      responses: { 200: { description: 'The ticket', content: json(dataOf(ref('PortalTicket'))) }, ...portalErrors },
    },
  },
  '/portal/tickets/{documentId}/comments': {
    get: {
      tags: ['Helpdesk: requesters'],
      summary: 'The public conversation on one of the requester\'s tickets (never internal notes)',
      parameters: [documentIdParam],
      responses: { 200: { description: 'Comments, oldest first', content: json(dataOf({ type: 'array', items: ref('PortalComment') })) }, ...portalErrors },
    },
    post: {
      tags: ['Helpdesk: requesters'],
      summary: 'Reply on one of the requester\'s tickets; a ticket pending on them goes back to open',
      parameters: [documentIdParam],
      requestBody: { required: true, content: json(ref('PortalCommentRequest')) },
      responses: { 201: { description: 'The comment', content: json(dataOf(ref('PortalComment'))) }, ...portalErrors },
    },
  },
};

interface DocumentationService {
  getFullDocumentationPath(): string;
  getDocumentationVersion(): string;
  generateFullDoc(version?: string): Promise<void>;
}

/** The plugin writes the description at boot outside production only (into src/extensions, which
 * is not committed): a production server that has none generates it once. */
export async function ensureApiDocs(strapi: Core.Strapi): Promise<void> {
  const documentation = strapi.plugin('documentation')?.service('documentation') as DocumentationService | undefined;
  if (!documentation) return;
  const file = path.join(documentation.getFullDocumentationPath(), documentation.getDocumentationVersion(), 'full_documentation.json');
  if (!fs.existsSync(file)) await documentation.generateFullDoc();
}

interface OverrideService {
  registerOverride(override: { paths?: Record<string, Schema>; components?: { schemas?: Record<string, Schema> }; tags?: Schema[] }): void;
}

/** Registers the helpdesk's route descriptions (call in register, before the documentation is generated). */
export function registerApiDocs(strapi: Core.Strapi): void {
  const documentation = strapi.plugin('documentation');
  if (!documentation) return;
  const overrides = documentation.service('override') as OverrideService;
  overrides.registerOverride({
    tags: [
      { name: 'Helpdesk: staff', description: 'Agents (users-permissions, Agent role)' },
      { name: 'Helpdesk: requesters', description: 'Customers with a confirmed account (Authenticated role)' },
      { name: 'Helpdesk: guests', description: 'No account (Public role)' },
    ],
    paths,
    components: { schemas },
  });
}
