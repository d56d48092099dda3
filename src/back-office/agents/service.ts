import type { Core } from '@strapi/strapi';
import { createStaffMember, listStaff, type StaffMemberInput, type StaffMemberResult } from '../../access/staff-account';
import { agentForAdmin } from '../../access/staff-identity';
import type { AdminUser } from '../admin-route';

/** Settings → Helpdesk → Agents: the same creation as `npm run agent:create`. */
export const agentsService = (strapi: Core.Strapi) => ({
  async list(me: AdminUser) {
    const [staff, myAgent] = await Promise.all([listStaff(strapi), agentForAdmin(strapi, me)]);
    return { data: staff, meta: { me: { email: me.email, isAgent: myAgent !== null } } };
  },

  create(input: StaffMemberInput): Promise<StaffMemberResult> {
    return createStaffMember(strapi, input);
  },

  /** The signed-in admin becomes an agent too: an agent account for their email and name. */
  makeMeAgent(me: AdminUser, password?: string): Promise<StaffMemberResult> {
    const name = [me.firstname, me.lastname].filter(Boolean).join(' ') || undefined;
    return createStaffMember(strapi, { email: me.email, password, name });
  },
});
