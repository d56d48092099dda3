import { useEffect, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Agent } from '../../../shared/contract';

/**
 * Everybody a ticket can be assigned to (GET /helpdesk-admin/agents): undefined while loading, null
 * when this admin may not list them (a role without the Helpdesk pages).
 */
export function useAgents(): Agent[] | null | undefined {
  const { get } = useFetchClient();
  const [agents, setAgents] = useState<Agent[] | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    get<{ data: Agent[] }>('/helpdesk-admin/agents')
      .then((response) => live && setAgents(response.data.data))
      .catch(() => live && setAgents(null));
    return () => {
      live = false;
    };
  }, [get]);
  return agents;
}

/** An agent as pickers show them: "Sam Support (me)" for the admin at the keyboard. */
export const agentLabel = (agent: Pick<Agent, 'name'>, isMe: boolean): string => (isMe ? `${agent.name} (me)` : agent.name);
