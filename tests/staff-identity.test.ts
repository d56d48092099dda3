import type { Core } from "@strapi/strapi";
import { startHelpdesk, type Helpdesk } from "./helpers/helpdesk";
import { createStaffMember } from "../src/plugins/helpdesk/server/src/access/staff-account";
import {
  SUPPORT_AGENT_ROLE_CODE,
  supportAgentPermissions,
} from "../src/plugins/helpdesk/server/src/access/support-agent-role";
import { humanizeField } from "../src/plugins/helpdesk/server/src/setup/content-manager-layouts";
import { backfillContactDisplayNames } from "../src/plugins/helpdesk/server/src/setup/contact-display";
import { getService } from '../src/plugins/helpdesk/server/src/get-service';

const TICKET = "plugin::helpdesk.ticket";
const COMMENT = "plugin::helpdesk.comment";
const CONTACT = "plugin::helpdesk.contact";
const HISTORY = "plugin::helpdesk.ticket-history";
const CM = (uid: string) => `/content-manager/collection-types/${uid}`;
const PASSWORD = "Staff-Pass-42";

interface HistoryRow {
  action: string;
  actorType: string;
  actorId: string;
  actorName: string;
}

/** A route on the back office's prefix, as the inbox and ticket view slices add theirs: same auth, same services. */
function backOfficeProbe(strapi: Core.Strapi): void {
  strapi.server.routes({
    type: "admin",
    prefix: "/helpdesk-admin",
    routes: [
      {
        method: "POST",
        path: "/test-probe/:documentId/comment",
        handler: async (ctx: {
          params: { documentId: string };
          body: unknown;
          status: number;
        }) => {
          const comment = await getService(strapi, 'ticketWorkflow').addComment(
            ctx.params.documentId,
            { body: "from the back office", isInternal: true },
          );
          ctx.status = 201;
          ctx.body = { data: comment };
        },
        config: { policies: ["admin::isAuthenticatedAdmin"] },
      },
    ],
  } as unknown as Parameters<typeof strapi.server.routes>[0]);
}

describe("one staff identity", () => {
  let helpdesk: Helpdesk;
  let superAdmin: { id: number; token: string };

  const adminLogin = async (email: string, password = PASSWORD) => {
    const login = await helpdesk.request("POST", "/admin/login", {
      body: { email, password },
    });
    expect(login.status).toBe(200);
    return login.body.data.token as string;
  };
  const restLogin = async (email: string, password = PASSWORD) => {
    const login = await helpdesk.request("POST", "/api/auth/local", {
      body: { identifier: email, password },
    });
    expect(login.status).toBe(200);
    return login.body.jwt as string;
  };
  const ticket = (subject: string) =>
    helpdesk.strapi
      .documents(TICKET)
      .create({
        data: {
          subject,
          email: "gina@example.test",
          firstName: "Gina",
          lastName: "Green",
        },
      });

  beforeAll(async () => {
    helpdesk = await startHelpdesk({
      beforeLoad: (strapi) => {
        // after the plugins registered (their policies exist) and before the server listens
        const register = strapi.register.bind(strapi);
        strapi.register = async () => {
          const registered = await register();
          backOfficeProbe(strapi);
          return registered;
        };
      },
    });
    superAdmin = await helpdesk.admin("root@example.test");
  });
  afterAll(() => helpdesk?.stop());

  describe("creation (agent:create and Settings → Agents share createStaffMember)", () => {
    it("makes an agent account and a Support agent admin user sharing email, password and name", async () => {
      const result = await createStaffMember(helpdesk.strapi, {
        email: " Ann@Example.test ",
        password: PASSWORD,
        name: "Ann Marie Agent",
      });
      expect(result).toMatchObject({
        email: "ann@example.test",
        agent: { created: true },
        admin: { created: true },
      });
      const admin = await helpdesk.strapi.db
        .query("admin::user")
        .findOne({ where: { email: "ann@example.test" }, populate: ["roles"] });
      expect(admin).toMatchObject({
        firstname: "Ann",
        lastname: "Marie Agent",
        isActive: true,
      });
      expect(admin.roles.map((role: { code: string }) => role.code)).toEqual([
        SUPPORT_AGENT_ROLE_CODE,
      ]);
      const agent = await helpdesk.strapi.db
        .query("plugin::users-permissions.user")
        .findOne({ where: { email: "ann@example.test" }, populate: ["role"] });
      expect(agent).toMatchObject({
        username: "Ann Marie Agent",
        confirmed: true,
        role: { type: "agent" },
      });
      await adminLogin("ann@example.test");
      await restLogin("ann@example.test");
    });

    it("completes the missing half, says so, and refuses a full duplicate", async () => {
      await helpdesk.agent("rest-only@example.test");
      const completed = await createStaffMember(helpdesk.strapi, {
        email: "rest-only@example.test",
        password: PASSWORD,
      });
      expect(completed).toMatchObject({
        agent: { created: false },
        admin: { created: true },
      });
      expect(completed.notes.join("\n")).toMatch(
        /agent account already existed/,
      );
      await adminLogin("rest-only@example.test");

      await expect(
        createStaffMember(helpdesk.strapi, {
          email: "rest-only@example.test",
          password: PASSWORD,
        }),
      ).rejects.toThrow(/already a staff member/);
      const admins = await helpdesk.strapi.db
        .query("admin::user")
        .count({ where: { email: "rest-only@example.test" } });
      expect(admins).toBe(1);
    });

    it("refuses bad input with a 400 naming the field, and creates nothing", async () => {
      const before = await helpdesk.strapi.db.query("admin::user").count();
      for (const [body, field] of [
        [{ data: { email: "not-an-email", password: PASSWORD } }, "email"],
        [
          { data: { email: "weak@example.test", password: "alllowercase1" } },
          "password",
        ],
        [{ data: { email: "x@example.test" } }, "password"],
        [
          {
            data: {
              email: "x@example.test",
              password: PASSWORD,
              role: "super",
            },
          },
          "role",
        ],
      ] as const) {
        const answer = await helpdesk.request("POST", "/helpdesk-admin/staff", {
          token: superAdmin.token,
          body,
        });
        expect(answer.status).toBe(400);
        expect(answer.body.error.details.errors[0].path).toEqual([field]);
      }
      expect(await helpdesk.strapi.db.query("admin::user").count()).toBe(
        before,
      );
      expect(
        await helpdesk.strapi.db
          .query("plugin::users-permissions.user")
          .count({
            where: { email: { $in: ["weak@example.test", "x@example.test"] } },
          }),
      ).toBe(0);
    });

    it("Settings → Agents: creates over the admin API, lists who can sign in, and makes the signed-in admin an agent", async () => {
      const created = await helpdesk.request("POST", "/helpdesk-admin/staff", {
        token: superAdmin.token,
        body: {
          data: {
            email: "bob@example.test",
            password: PASSWORD,
            name: "Bob Builder",
          },
        },
      });
      expect(created.status).toBe(201);
      await adminLogin("bob@example.test");

      let list = await helpdesk.request("GET", "/helpdesk-admin/staff", {
        token: superAdmin.token,
      });
      expect(list.status).toBe(200);
      expect(list.body.meta.me).toEqual({
        email: "root@example.test",
        isAgent: false,
      });
      const byEmail = Object.fromEntries(
        list.body.data.map(
          (entry: { email: string; canSignInToPanel: boolean }) => [
            entry.email,
            entry.canSignInToPanel,
          ],
        ),
      );
      expect(byEmail).toMatchObject({
        "ann@example.test": true,
        "bob@example.test": true,
      });

      const me = await helpdesk.request("POST", "/helpdesk-admin/staff/me", {
        token: superAdmin.token,
        body: {},
      });
      expect(me.status).toBe(201);
      expect(me.body.data).toMatchObject({
        agent: { created: true },
        admin: { created: false, id: superAdmin.id },
      });
      list = await helpdesk.request("GET", "/helpdesk-admin/staff", {
        token: superAdmin.token,
      });
      expect(list.body.meta.me.isAgent).toBe(true);
      expect(
        list.body.data.find(
          (entry: { email: string }) => entry.email === "root@example.test",
        ),
      ).toMatchObject({ name: "Ada Admin", canSignInToPanel: true });
      // the super admin keeps their own role
      const root = await helpdesk.strapi.db
        .query("admin::user")
        .findOne({ where: { id: superAdmin.id }, populate: ["roles"] });
      expect(root.roles.map((role: { code: string }) => role.code)).toEqual([
        "strapi-super-admin",
      ]);
    });

    it("the agents routes need the agents action: a Support agent gets 403", async () => {
      const token = await adminLogin("ann@example.test");
      expect(
        (await helpdesk.request("GET", "/helpdesk-admin/staff", { token }))
          .status,
      ).toBe(403);
      expect(
        (
          await helpdesk.request("POST", "/helpdesk-admin/staff", {
            token,
            body: { data: { email: "z@example.test", password: PASSWORD } },
          })
        ).status,
      ).toBe(403);
    });
  });

  describe("the Support agent admin role", () => {
    it("holds exactly its list, with fields on every Content Manager permission, after every boot", async () => {
      const role = await helpdesk.strapi.db
        .query("admin::role")
        .findOne({ where: { code: SUPPORT_AGENT_ROLE_CODE } });
      const rows = await helpdesk.strapi.db
        .query("admin::permission")
        .findMany({ where: { role: { id: role.id } } });
      const key = (p: { action: string; subject: string | null }) =>
        `${p.action} ${p.subject ?? ""}`;
      expect(rows.map(key).sort()).toEqual(
        supportAgentPermissions(helpdesk.strapi).map(key).sort(),
      );
      for (const row of rows.filter((p: { action: string }) =>
        p.action.startsWith("plugin::content-manager."),
      )) {
        expect(row.properties.fields.length).toBeGreaterThan(0);
      }
      const actions = rows.map(key);
      expect(actions).not.toContain(
        `plugin::content-manager.explorer.delete ${TICKET}`,
      );
      expect(actions).not.toContain(
        `plugin::content-manager.explorer.update ${COMMENT}`,
      );
      expect(actions).toContain("plugin::helpdesk.tickets.work ");
    });

    it("works tickets in the Content Manager but cannot delete one nor edit a comment", async () => {
      const token = await adminLogin("ann@example.test");
      const created = await helpdesk.request("POST", CM(TICKET), {
        token,
        body: {
          subject: "From the panel",
          email: "panel@example.test",
          priority: "high",
        },
      });
      expect(created.status).toBe(201);
      const documentId = created.body.data.documentId;
      const updated = await helpdesk.request(
        "PUT",
        `${CM(TICKET)}/${documentId}`,
        { token, body: { ticketStatus: "open" } },
      );
      expect(updated.status).toBe(200);
      const comment = await helpdesk.request("POST", CM(COMMENT), {
        token,
        body: {
          body: "noted",
          isInternal: true,
          ticket: { connect: [{ documentId }] },
        },
      });
      expect(comment.status).toBe(201);

      const deleted = await helpdesk.request(
        "DELETE",
        `${CM(TICKET)}/${documentId}`,
        { token },
      );
      expect(deleted.status).toBe(403);
      const rewritten = await helpdesk.request(
        "PUT",
        `${CM(COMMENT)}/${comment.body.data.documentId}`,
        { token, body: { body: "rewritten" } },
      );
      expect(rewritten.status).toBe(403);
      expect(
        await helpdesk.strapi.db.query(TICKET).count({ where: { documentId } }),
      ).toBe(1);
      expect(
        (
          await helpdesk.strapi.db
            .query(COMMENT)
            .findOne({ where: { documentId: comment.body.data.documentId } })
        ).body,
      ).toBe("noted");
      const outbox = await helpdesk.request(
        "POST",
        CM("plugin::helpdesk.outbound-email"),
        { token, body: { to: "x@example.test", subject: "x" } },
      );
      expect(outbox.status).toBe(403);
    });
  });

  describe("who acted: one person whichever surface", () => {
    it("REST, Content Manager and /helpdesk-admin write identical actor fields for an admin who is an agent", async () => {
      const restJwt = await restLogin("bob@example.test");
      const adminToken = await adminLogin("bob@example.test");
      const agent = await helpdesk.strapi.db
        .query("plugin::users-permissions.user")
        .findOne({ where: { email: "bob@example.test" } });
      const target = await ticket("Identity");

      const viaRest = await helpdesk.request(
        "POST",
        `/api/tickets/${target.documentId}/comments`,
        { token: restJwt, body: { data: { body: "rest", isInternal: true } } },
      );
      expect(viaRest.status).toBe(201);
      const viaCm = await helpdesk.request("POST", CM(COMMENT), {
        token: adminToken,
        body: {
          body: "cm",
          isInternal: true,
          ticket: { connect: [{ documentId: target.documentId }] },
        },
      });
      expect(viaCm.status).toBe(201);
      const viaBackOffice = await helpdesk.request(
        "POST",
        `/helpdesk-admin/test-probe/${target.documentId}/comment`,
        { token: adminToken },
      );
      expect(viaBackOffice.status).toBe(201);
      const viaCmStatus = await helpdesk.request(
        "PUT",
        `${CM(TICKET)}/${target.documentId}`,
        { token: adminToken, body: { ticketStatus: "open" } },
      );
      expect(viaCmStatus.status).toBe(200);

      const rows = (await helpdesk.strapi.db.query(HISTORY).findMany({
        where: {
          ticket: { documentId: target.documentId },
          action: { $in: ["commented", "status_changed"] },
        },
        orderBy: { id: "asc" },
      })) as HistoryRow[];
      expect(rows.map((row) => row.action)).toEqual([
        "commented",
        "commented",
        "commented",
        "status_changed",
      ]);
      const who = rows.map(({ actorType, actorId, actorName }) => ({
        actorType,
        actorId,
        actorName,
      }));
      expect(new Set(who.map((w) => JSON.stringify(w))).size).toBe(1);
      expect(who[0]).toEqual({
        actorType: "agent",
        actorId: String(agent.id),
        actorName: "Bob Builder",
      });

      const comments = await helpdesk.strapi.db.query(COMMENT).findMany({
        where: { ticket: { documentId: target.documentId } },
        populate: { authorUser: { select: ["id"] } },
        orderBy: { id: "asc" },
      });
      expect(
        comments.map(
          (c: {
            authorName: string;
            authorType: string;
            authorUser: { id: number } | null;
            source: string;
          }) => [c.authorName, c.authorType, c.authorUser?.id, c.source],
        ),
      ).toEqual([
        ["Bob Builder", "staff", agent.id, "api"],
        ["Bob Builder", "staff", agent.id, "admin"],
        ["Bob Builder", "staff", agent.id, "admin"],
      ]);
    });

    it("an admin who is not an agent is still named as an admin", async () => {
      const other = await helpdesk.admin("plain-admin@example.test");
      const target = await ticket("Plain admin");
      const saved = await helpdesk.request(
        "PUT",
        `${CM(TICKET)}/${target.documentId}`,
        { token: other.token, body: { priority: "low" } },
      );
      expect(saved.status).toBe(200);
      const row = await helpdesk.strapi.db
        .query(HISTORY)
        .findOne({
          where: {
            ticket: { documentId: target.documentId },
            action: "priority_changed",
          },
        });
      expect(row).toMatchObject({
        actorType: "admin",
        actorId: String(other.id),
        actorName: "Ada Admin",
      });
    });
  });

  describe("the assignee picker", () => {
    it("offers exactly the active agents, also when searching, to super admins and Support agents", async () => {
      await helpdesk.customer("customer@example.test");
      const blocked = await helpdesk.agent("blocked@example.test");
      await helpdesk.strapi.db
        .query("plugin::users-permissions.user")
        .update({ where: { id: blocked.id }, data: { blocked: true } });
      const agents = await helpdesk.strapi.db
        .query("plugin::users-permissions.user")
        .findMany({
          where: { role: { type: "agent" }, blocked: false },
          select: ["username"],
        });
      const expected = agents
        .map((a: { username: string }) => a.username)
        .sort();
      expect(expected).toContain("Ann Marie Agent");

      const target = await ticket("Picker");
      for (const token of [
        superAdmin.token,
        await adminLogin("ann@example.test"),
      ]) {
        const page = await helpdesk.request(
          "GET",
          `/content-manager/relations/${TICKET}/assignee?pageSize=100&id=${target.documentId}`,
          { token },
        );
        expect(page.status).toBe(200);
        expect(
          page.body.results.map((u: { username: string }) => u.username).sort(),
        ).toEqual(expected);
        const search = await helpdesk.request(
          "GET",
          `/content-manager/relations/${TICKET}/assignee?pageSize=100&_q=ann`,
          { token },
        );
        expect(
          search.body.results.map((u: { username: string }) => u.username),
        ).toEqual(["Ann Marie Agent"]);
        const probing = await helpdesk.request(
          "GET",
          `/content-manager/relations/${TICKET}/assignee?pageSize=100&filters[id][$in][0]=${blocked.id}`,
          { token },
        );
        expect(probing.body.results).toEqual([]);
      }
    });
  });

  describe("labels and contacts in the Content Manager", () => {
    it("humanizes field names", () => {
      expect(humanizeField("ticketNumber")).toBe("Ticket number");
      expect(humanizeField("isGuest")).toBe("Guest");
      expect(humanizeField("lastError")).toBe("Last error");
      expect(humanizeField("ticketStatus")).toBe("Status");
    });

    it("labels every field of the helpdesk types and shows contacts by name and email", async () => {
      const configuration = async (uid: string) =>
        (
          await helpdesk.request(
            "GET",
            `/content-manager/content-types/${uid}/configuration`,
            { token: superAdmin.token },
          )
        ).body.data.contentType;
      const ticketConfig = await configuration(TICKET);
      expect(ticketConfig.metadatas.ticketNumber.list.label).toBe(
        "Ticket number",
      );
      expect(ticketConfig.metadatas.isGuest.list.label).toBe("Guest");
      expect(ticketConfig.metadatas.contact.edit.mainField).toBe("displayName");
      expect(ticketConfig.metadatas.assignee.edit.mainField).toBe("username");
      for (const uid of [
        TICKET,
        COMMENT,
        CONTACT,
        HISTORY,
        "plugin::helpdesk.outbound-email",
        "plugin::helpdesk.inbound-email",
      ]) {
        const config = await configuration(uid);
        for (const [field, metadata] of Object.entries(
          config.metadatas as Record<
            string,
            { edit: { label?: string }; list: { label?: string } }
          >,
        )) {
          if (field === 'id' || field === 'documentId') continue; // Strapi keeps these labels itself
          expect([uid, field, metadata.list.label]).toEqual([
            uid,
            field,
            humanizeField(field),
          ]);
          if (metadata.edit.label !== undefined)
            expect([uid, field, metadata.edit.label]).toEqual([
              uid,
              field,
              humanizeField(field),
            ]);
        }
      }
      const history = await configuration(HISTORY);
      expect(history.layouts.list).toEqual(
        expect.arrayContaining(["ticketNumber", "contact"]),
      );
      expect(
        history.layouts.edit.flat().map((f: { name: string }) => f.name),
      ).toEqual(expect.arrayContaining(["ticketNumber", "contact"]));

      const target = await ticket("Contact label");
      const picker = await helpdesk.request(
        "GET",
        `/content-manager/relations/${TICKET}/${target.documentId}/contact`,
        { token: superAdmin.token },
      );
      expect(
        picker.body.results.map((c: { displayName: string }) => c.displayName),
      ).toEqual(["Gina Green <gina@example.test>"]);
    });

    it("keeps the display name on every write and backfills old rows", async () => {
      const created = await helpdesk.strapi
        .documents(CONTACT)
        .create({ data: { email: "Hal@Example.test", firstName: "Hal" } });
      expect(
        (
          await helpdesk.strapi.db
            .query(CONTACT)
            .findOne({ where: { id: created.id } })
        ).displayName,
      ).toBe("Hal <hal@example.test>");
      await helpdesk.strapi
        .documents(CONTACT)
        .update({ documentId: created.documentId, data: { lastName: "Hope" } });
      expect(
        (
          await helpdesk.strapi.db
            .query(CONTACT)
            .findOne({ where: { id: created.id } })
        ).displayName,
      ).toBe("Hal Hope <hal@example.test>");

      await helpdesk.strapi.db
        .connection("helpdesk_contacts")
        .update({ display_name: null });
      expect(
        await backfillContactDisplayNames(helpdesk.strapi),
      ).toBeGreaterThanOrEqual(2);
      const names = (
        await helpdesk.strapi.db
          .query(CONTACT)
          .findMany({ select: ["displayName"], orderBy: { id: "asc" } })
      ).map((c: { displayName: string }) => c.displayName);
      expect(names).toEqual(
        expect.arrayContaining([
          "Gina Green <gina@example.test>",
          "Hal Hope <hal@example.test>",
        ]),
      );
      expect(
        names.every(
          (name: string | null) => typeof name === "string" && name.length > 0,
        ),
      ).toBe(true);
    });
  });
});
