import { createStaffMember } from '../../src/plugins/helpdesk/server/src/access/staff-account';
import { openPanel, type Panel } from './browser';
import type { Helpdesk } from './helpdesk';

export interface TwoAgents {
  ann: Panel;
  bob: Panel;
  annAgentId: number;
  bobAgentId: number;
}

/** Ann Agent and Bob Builder: staff members (admin and agent account each), signed in to the panel in two browsers. */
export async function signInTwoAgents(helpdesk: Helpdesk, password: string): Promise<TwoAgents> {
  const annAgentId = (await createStaffMember(helpdesk.strapi, { email: 'ann@example.test', password, name: 'Ann Agent' })).agent.id;
  const bobAgentId = (await createStaffMember(helpdesk.strapi, { email: 'bob@example.test', password, name: 'Bob Builder' })).agent.id;
  const [ann, bob] = await Promise.all([openPanel(helpdesk.baseUrl), openPanel(helpdesk.baseUrl)]);
  await Promise.all([ann.signIn('ann@example.test', password), bob.signIn('bob@example.test', password)]);
  return { ann, bob, annAgentId, bobAgentId };
}
