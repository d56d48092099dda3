import crypto from "node:crypto";
import type { Core } from "@strapi/strapi";
import { errors } from "@strapi/utils";
import { UP_USER, ADMIN_USER } from "../../../shared/uids";
import { AGENT_ROLE_TYPE, ensureAgentRole } from "./roles";
import type { StaffListEntry } from "../../../shared/contract";
import {
  ensureSupportAgentRole,
  SUPPORT_AGENT_ROLE_NAME,
} from "./support-agent-role";
import { SUPER_ADMIN_ROLE_CODE } from "../audit/actor";

/**
 * One staff member = an admin-panel user holding the Support agent role AND a users-permissions
 * account with the Agent role, sharing email, password and name. `npm run agent:create` and
 * Settings → Helpdesk → Agents both call `createStaffMember`; when one half exists already, the
 * other is made and the answer says which.
 */
export interface StaffMemberInput {
  email: string;
  /** Required for any half that is created; "Make me an agent" may leave it out (a random one). */
  password?: string;
  /** "Ann Agent": the agent's username and the admin user's first and last name. */
  name?: string;
}

/**
 * The admin asking, when the request comes from the panel; absent for server code and the CLI (an
 * operator with the server's own access). Only that person or a super admin may join an existing
 * admin user or agent account to a new other half: whoever sets the new half's password acts under
 * that person's name on both doors.
 */
export interface StaffRequester {
  adminId: number;
  isSuperAdmin: boolean;
}

export interface StaffMemberResult {
  email: string;
  agent: { id: number; documentId: string; created: boolean };
  admin: { id: number; created: boolean };
  /** What was made and what was found, in words ("admin user already existed: left as it was"). */
  notes: string[];
}

interface UpUserRow {
  id: number;
  documentId: string;
  username: string;
  email: string;
  blocked: boolean | null;
  role: { type: string } | null;
}

interface AdminUserRow {
  id: number;
  email: string;
  firstname: string | null;
  lastname: string | null;
  isActive: boolean;
}

interface AdminUserService {
  create(attributes: Record<string, unknown>): Promise<AdminUserRow>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Strapi's own rule for admin passwords (it refuses others at sign-in changes). */
export function adminPasswordProblem(password: string): string | null {
  if (password.length < 8) return "the password needs at least 8 characters";
  if (new TextEncoder().encode(password).length > 72)
    return "the password must be less than 73 bytes";
  if (!/[a-z]/.test(password)) return "the password needs a lower-case letter";
  if (!/[A-Z]/.test(password)) return "the password needs an upper-case letter";
  if (!/\d/.test(password)) return "the password needs a number";
  return null;
}

const fieldError = (path: string, message: string) =>
  new errors.ValidationError(message, {
    errors: [{ path: [path], message, name: "ValidationError" }],
  });

/** "Ann Agent" → Ann / Agent; one word is a first name; none falls back to the email's local part. */
export function splitName(
  name: string | undefined,
  email: string,
): { firstname: string; lastname: string | null } {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0)
    return { firstname: email.split("@")[0], lastname: null };
  return { firstname: words[0], lastname: words.slice(1).join(" ") || null };
}

/** Why `requester` may not add the missing half to an existing account, or null. */
function linkRefusal(
  requester: StaffRequester | undefined,
  email: string,
  existingAgent: UpUserRow | null,
  existingAdmin: AdminUserRow | null,
): string | null {
  if (!requester || requester.isSuperAdmin) return null;
  if (existingAdmin && existingAdmin.id !== requester.adminId) {
    return `${email} is an admin user: only that person ("Make me an agent") or a super admin may make them an agent`;
  }
  if (existingAgent) {
    return `${email} is an agent account already: only a super admin may give it an admin user`;
  }
  return null;
}

/**
 * `npm run agent:create` on a database without a super admin would make the Support agent admin
 * user first, and Strapi closes its first-admin registration once any admin user exists: nobody
 * could become super admin from the panel. The CLI asks for the first admin to be made first.
 */
export async function createStaffMemberFromCli(
  strapi: Core.Strapi,
  input: StaffMemberInput,
): Promise<StaffMemberResult> {
  const superAdmins = await strapi.db.query(ADMIN_USER).count({
    where: { roles: { code: SUPER_ADMIN_ROLE_CODE } },
  });
  if (superAdmins === 0) {
    const url = String(strapi.config.get("admin.absoluteUrl", "") || "/admin");
    throw new errors.PolicyError(
      `No admin user exists yet: create the first admin at ${url} first (Strapi offers that registration only while no admin user exists), then run agent:create again`,
    );
  }
  return createStaffMember(strapi, input);
}

export async function createStaffMember(
  strapi: Core.Strapi,
  input: StaffMemberInput,
  requester?: StaffRequester,
): Promise<StaffMemberResult> {
  const email = String(input.email ?? "")
    .trim()
    .toLowerCase();
  if (!EMAIL.test(email))
    throw fieldError("email", `not an email address: ${input.email}`);
  const name = input.name?.trim() || undefined;
  if (name && name.length > 100)
    throw fieldError("name", "the name may have at most 100 characters");
  const password = input.password;
  if (password !== undefined && password !== "") {
    const problem = adminPasswordProblem(password);
    if (problem) throw fieldError("password", problem);
  }

  // Not one transaction: creating an admin user emits events whose listeners query after the
  // commit. Everything is checked first; an admin user that cannot be made removes the agent
  // account made just before it, and a rerun completes whatever half is missing.
  {
    const notes: string[] = [];
    const existingAgent = (await strapi.db.query(UP_USER).findOne({
      where: { email },
      select: ["id", "documentId", "username", "email", "blocked"],
      populate: { role: { select: ["type"] } },
    })) as UpUserRow | null;
    if (existingAgent && existingAgent.role?.type !== AGENT_ROLE_TYPE) {
      throw fieldError(
        "email",
        `${email} belongs to an API account that is not an agent (a customer): use another address`,
      );
    }
    const existingAdmin = (await strapi.db.query(ADMIN_USER).findOne({
      where: { email },
      select: ["id", "email", "firstname", "lastname", "isActive"],
    })) as AdminUserRow | null;
    if (existingAgent && existingAdmin) {
      throw fieldError(
        "email",
        `${email} is already a staff member (agent account and admin user)`,
      );
    }
    const refusal = linkRefusal(requester, email, existingAgent, existingAdmin);
    if (refusal) throw new errors.PolicyError(refusal);
    const missingPassword = !password;
    if (missingPassword && !existingAdmin)
      throw fieldError("password", "a password is required");

    const displayName =
      name ??
      (existingAdmin
        ? [existingAdmin.firstname, existingAdmin.lastname]
            .filter(Boolean)
            .join(" ")
        : undefined);

    let agent: StaffMemberResult["agent"];
    if (existingAgent) {
      agent = {
        id: existingAgent.id,
        documentId: existingAgent.documentId,
        created: false,
      };
      notes.push(
        `agent account already existed (user id ${existingAgent.id}): left as it was`,
      );
    } else {
      const username = displayName || email;
      const taken = await strapi.db
        .query(UP_USER)
        .count({ where: { username } });
      if (taken > 0)
        throw fieldError(
          "name",
          `the name "${username}" is taken by another account`,
        );
      const role = await ensureAgentRole(strapi);
      const created = (await strapi
        .plugin("users-permissions")
        .service("user")
        .add({
          username,
          email,
          // "Make me an agent" without a password: a random one (the agent can reset it by mail)
          password: password || crypto.randomBytes(24).toString("base64url"),
          provider: "local",
          confirmed: true,
          blocked: false,
          role: role.id,
        })) as { id: number; documentId: string };
      agent = { id: created.id, documentId: created.documentId, created: true };
      notes.push(
        `agent account created (user id ${created.id}): sign in to the REST API with POST /api/auth/local`,
      );
    }

    let admin: StaffMemberResult["admin"];
    try {
      if (existingAdmin) {
        admin = { id: existingAdmin.id, created: false };
        notes.push(
          `admin user already existed (id ${existingAdmin.id}): its roles were left as they were`,
        );
      } else {
        const role = await ensureSupportAgentRole(strapi);
        const { firstname, lastname } = splitName(displayName, email);
        const created = await (
          strapi.admin.services.user as unknown as AdminUserService
        ).create({
          email,
          firstname,
          lastname,
          password,
          isActive: true,
          registrationToken: null,
          roles: [role.id],
        });
        admin = { id: created.id, created: true };
        notes.push(
          `admin user created (id ${created.id}) with the ${SUPPORT_AGENT_ROLE_NAME} role: sign in to the admin panel at /admin`,
        );
      }
    } catch (error) {
      if (agent.created)
        await strapi.db.query(UP_USER).delete({ where: { id: agent.id } });
      throw error;
    }
    return { email, agent, admin, notes };
  }
}

export async function listStaff(
  strapi: Core.Strapi,
): Promise<StaffListEntry[]> {
  const agents = (await strapi.db.query(UP_USER).findMany({
    where: { role: { type: AGENT_ROLE_TYPE } },
    select: ["id", "documentId", "username", "email", "blocked"],
    orderBy: [{ username: "asc" }, { id: "asc" }],
  })) as UpUserRow[];
  const emails = agents.map((agent) => agent.email);
  const admins = emails.length
    ? ((await strapi.db.query(ADMIN_USER).findMany({
        where: { email: { $in: emails }, isActive: true },
        select: ["email"],
      })) as Array<{ email: string }>)
    : [];
  const panel = new Set(admins.map((admin) => admin.email.toLowerCase()));
  return agents.map((agent) => ({
    id: agent.id,
    documentId: agent.documentId,
    name: agent.username,
    email: agent.email,
    canSignInToPanel: panel.has(agent.email.toLowerCase()),
    blocked: agent.blocked === true,
  }));
}
