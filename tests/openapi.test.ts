import fs from 'node:fs';
import path from 'node:path';
import { startHelpdesk, type Helpdesk } from './helpers/helpdesk';

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Frontends get a generated OpenAPI description that includes the helpdesk's own routes. */
describe('OpenAPI description', () => {
  let helpdesk: Helpdesk;
  let spec: OpenApi;

  beforeAll(async () => {
    helpdesk = await startHelpdesk();
    const documentation = helpdesk.strapi.plugin('documentation').service('documentation');
    const file = path.join(documentation.getFullDocumentationPath(), documentation.getDocumentationVersion(), 'full_documentation.json');
    spec = JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApi;
  });
  afterAll(() => helpdesk?.stop());

  it("describes Strapi's generated routes and ours side by side", () => {
    expect(spec.paths['/tickets']).toHaveProperty('get');
    for (const [route, method] of [
      ['/tickets/guest', 'post'],
      ['/tickets/{documentId}/status', 'post'],
      ['/tickets/{documentId}/assign', 'post'],
      ['/tickets/{documentId}/comments', 'post'],
      ['/tickets/{documentId}/attachments', 'post'],
      ['/tickets/statistics', 'get'],
      ['/tickets/export.csv', 'get'],
      ['/portal/tickets', 'get'],
      ['/portal/tickets/{documentId}', 'get'],
      ['/portal/tickets/{documentId}/comments', 'get'],
      ['/portal/tickets/{documentId}/comments', 'post'],
    ] as const) {
      expect([route, method, Object.keys(spec.paths[route]?.[method]?.responses ?? {}).length > 1]).toEqual([route, method, true]);
    }
  });

  it('lists the routes at the same paths in the Users & Permissions screen (GET /users-permissions/routes)', async () => {
    const { token } = await helpdesk.admin();
    const answer = await helpdesk.request<{ routes: Record<string, Array<{ method: string; path: string; handler: string }>> }>('GET', '/users-permissions/routes', { token });
    expect(answer.status).toBe(200);
    const listed = answer.body.routes['plugin::helpdesk'].map((route) => `${route.method} ${route.path} ${route.handler}`);
    for (const route of [
      'POST /api/tickets/guest plugin::helpdesk.ticket.guestCreate',
      'GET /api/tickets plugin::helpdesk.ticket.find',
      'POST /api/tickets/:documentId/status plugin::helpdesk.ticket-workflow.changeStatus',
      'GET /api/portal/tickets plugin::helpdesk.requester-portal.listTickets',
    ]) {
      expect(listed).toContain(route);
    }
    expect(listed.filter((route) => route.includes('/api/helpdesk/'))).toEqual([]);
  });

  it('documents request shapes down to the fields', () => {
    const body = spec.paths['/tickets/{documentId}/status'].post.requestBody!.content['application/json'].schema;
    expect(body.$ref).toBe('#/components/schemas/StatusChangeRequest');
    const data = spec.components.schemas.StatusChangeRequest.properties!.data as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(data.properties)).toEqual(['ticketStatus', 'note']);
    expect(spec.components.schemas.TicketStatus).toMatchObject({ enum: expect.arrayContaining(['open', 'reopened']) });
    expect(spec.paths['/tickets/{documentId}/attachments'].post.requestBody!.content).toHaveProperty('multipart/form-data');
  });

  it('serves the description at /documentation', async () => {
    const page = await fetch(`${helpdesk.baseUrl}/documentation/v1.0.0`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/html/);
  });
});
