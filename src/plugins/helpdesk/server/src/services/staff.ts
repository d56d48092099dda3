import type { Core } from '@strapi/strapi';
import { createAgent, type NewAgent } from '../access/roles';
import { createStaffMemberFromCli, type StaffMemberInput, type StaffMemberResult } from '../access/staff-account';

/** Staff accounts made from server code: the `agent:create` CLI, seeds and benches. */
const staff = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** A users-permissions account with the Agent role (REST only, no admin panel). */
  createAgent: (input: NewAgent): Promise<{ id: number; email: string }> => createAgent(strapi, input),
  /** An agent and its Support agent admin user, as `npm run agent:create` makes them. */
  createStaffMember: (input: StaffMemberInput): Promise<StaffMemberResult> => createStaffMemberFromCli(strapi, input),
});

export type StaffService = ReturnType<typeof staff>;
export default staff;
