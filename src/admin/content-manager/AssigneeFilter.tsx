import { useEffect, useState } from 'react';
import { SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useFetchClient, useField } from '@strapi/strapi/admin';
import type { Agent } from '../../back-office/contract';

interface FilterInputProps {
  name: string;
  'aria-label'?: string;
}

/**
 * The value of the ticket list's Assignee filter: a choice of the agents (the inbox's route, with
 * "me" marked) instead of a username typed to match exactly. The filter compares usernames, which
 * are the agents' names, so the applied filter reads "Assignee is Sam Support".
 */
export const AssigneeFilter = ({ name, 'aria-label': label }: FilterInputProps) => {
  const field = useField<string>(name);
  const { get } = useFetchClient();
  const [agents, setAgents] = useState<Agent[] | null>(null);

  useEffect(() => {
    let live = true;
    get<{ data: Agent[] }>('/helpdesk-admin/agents')
      .then((response) => live && setAgents(response.data.data))
      .catch(() => live && setAgents(null));
    return () => {
      live = false;
    };
  }, [get]);

  // a role without the Helpdesk pages cannot list the agents: it types the name
  if (!agents) {
    return <TextInput aria-label={label} name={name} value={field.value ?? ''} onChange={(event: { target: { value: string } }) => field.onChange(name, event.target.value)} />;
  }
  return (
    <SingleSelect aria-label={label} placeholder="Choose an agent" value={field.value ?? ''} onChange={(value) => field.onChange(name, String(value))}>
      {agents.map((agent) => (
        <SingleSelectOption key={agent.id} value={agent.name}>
          {agent.isMe ? `${agent.name} (me)` : agent.name}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
};
