import { SingleSelect, SingleSelectOption, TextInput } from '@strapi/design-system';
import { useField } from '@strapi/strapi/admin';
import { agentLabel, useAgents } from '../lib/agents';

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
  const agents = useAgents();

  // a role without the Helpdesk pages cannot list the agents: it types the name
  if (agents === null) {
    return <TextInput aria-label={label} name={name} value={field.value ?? ''} onChange={(event: { target: { value: string } }) => field.onChange(name, event.target.value)} />;
  }
  return (
    <SingleSelect aria-label={label} placeholder="Choose an agent" value={field.value ?? ''} onChange={(value) => field.onChange(name, String(value))}>
      {(agents ?? []).map((agent) => (
        <SingleSelectOption key={agent.id} value={agent.name}>
          {agentLabel(agent, agent.isMe)}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  );
};
