import type { Core } from '@strapi/strapi';
import { createStaffMember, listStaff, type StaffMemberInput, type StaffMemberResult, type StaffRequester } from '../../access/staff-account';
import { SUPER_ADMIN_ROLE_CODE } from '../../audit/actor';
import { agentForAdmin } from '../../access/staff-identity';
import type { AdminUser } from '../admin-route';

const requesterOf = (me: AdminUser): StaffRequester => ({
  adminId: me.id,
  isSuperAdmin: (me.roles ?? []).some((role) => role.code === SUPER_ADMIN_ROLE_CODE),
});

/** Settings → Helpdesk → Agents: the same creation as `npm run agent:create`. */
export const agentsService = (strapi: Core.Strapi) => ({
  async list(me: AdminUser) {
    const [staff, myAgent] = await Promise.all([listStaff(strapi), agentForAdmin(strapi, me)]);
    return { data: staff, meta: { me: { email: me.email, isAgent: myAgent !== null } } };
  },

  create(input: StaffMemberInput, me: AdminUser): Promise<StaffMemberResult> {
    return createStaffMember(strapi, input, requesterOf(me));
  },

  /** The signed-in admin becomes an agent too: an agent account for their email and name. */
  makeMeAgent(me: AdminUser, password?: string): Promise<StaffMemberResult> {
    const name = [me.firstname, me.lastname].filter(Boolean).join(' ') || undefined;
    return createStaffMember(strapi, { email: me.email, password, name }, requesterOf(me));
  },
});
