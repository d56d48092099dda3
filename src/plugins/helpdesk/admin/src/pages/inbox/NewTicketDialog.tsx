import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { Box, Button, Field, Grid, Modal, Textarea, TextInput } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { CATEGORY_CHOICES, PRIORITY_CHOICES } from '../../lib/labels';
import { agentLabel } from '../../lib/agents';
import { ChoiceField } from '../../components/ChoiceField';
import type { TicketViewData } from '../ticket/types';
import { errorMessage, type Agent } from './types';

interface NewTicketDialogProps {
  /** Everybody assignable; the admin's own agent account (isMe) is the default assignee. */
  agents: Agent[];
}

const NOBODY = 'nobody';
const EMPTY = { email: '', firstName: '', lastName: '', subject: '', description: '', priority: 'medium', category: 'general' };

/**
 * "New ticket" in the inbox: a ticket staff open for a requester (a phone call, a walk-in), sent as
 * the REST API's create body to POST /helpdesk-admin/tickets; the new ticket's view opens next.
 */
export const NewTicketDialog = ({ agents }: NewTicketDialogProps) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [form, setForm] = useState(EMPTY);
  const me = agents.find((agent) => agent.isMe);
  const [assignee, setAssignee] = useState<string | null>(null);
  const chosenAssignee = assignee ?? (me ? String(me.id) : NOBODY);

  const set = (field: keyof typeof EMPTY) => (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setForm((current) => ({ ...current, [field]: event.target.value }));
    if (error?.field === field) setError(null);
  };
  // under its field the message goes without the "email: " the server starts it with
  const fieldError = (field: string) => (error?.field === field ? error.message.replace(`${field}: `, '') : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
    const data = {
      subject: form.subject,
      description: optional(form.description),
      email: optional(form.email),
      firstName: optional(form.firstName),
      lastName: optional(form.lastName),
      priority: form.priority,
      category: form.category,
      ...(chosenAssignee === NOBODY ? {} : { assignee: Number(chosenAssignee) }),
    };
    try {
      const { data: answer } = await post<{ data: TicketViewData }>('/helpdesk-admin/tickets', { data });
      const ticket = answer.data.ticket;
      toggleNotification({ type: 'success', message: `${ticket.number} opened for ${answer.data.requester.name}` });
      setOpen(false);
      setForm(EMPTY);
      setAssignee(null);
      navigate(`/helpdesk/tickets/${ticket.documentId}`);
    } catch (failure) {
      const response = (failure as { response?: { data?: { error?: { details?: { errors?: Array<{ path: string[] }> } } } } }).response;
      setError({ field: response?.data?.error?.details?.errors?.[0]?.path?.[0] ?? null, message: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  };

  const text = (field: 'email' | 'firstName' | 'lastName' | 'subject', label: string, required = false) => (
    <Field.Root name={field} required={required} error={fieldError(field)}>
      <Field.Label>{label}</Field.Label>
      <TextInput type={field === 'email' ? 'email' : 'text'} value={form[field]} onChange={set(field)} />
      <Field.Error />
    </Field.Root>
  );

  return (
    <Modal.Root open={open} onOpenChange={setOpen}>
      <Modal.Trigger>
        <Button startIcon={<Plus />}>New ticket</Button>
      </Modal.Trigger>
      <Modal.Content>
        <form onSubmit={submit} noValidate>
          <Modal.Header>
            <Modal.Title>New ticket</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Grid.Root gap={4}>
              <Grid.Item col={12} direction="column" alignItems="stretch">
                {text('email', "Requester's email", true)}
              </Grid.Item>
              <Grid.Item col={6} direction="column" alignItems="stretch">
                {text('firstName', 'First name')}
              </Grid.Item>
              <Grid.Item col={6} direction="column" alignItems="stretch">
                {text('lastName', 'Last name')}
              </Grid.Item>
              <Grid.Item col={12} direction="column" alignItems="stretch">
                {text('subject', 'Subject', true)}
              </Grid.Item>
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <Field.Root name="description" error={fieldError('description')}>
                  <Field.Label>Description</Field.Label>
                  <Textarea value={form.description} onChange={set('description')} placeholder="What the requester told you" />
                  <Field.Error />
                </Field.Root>
              </Grid.Item>
              <Grid.Item col={4} direction="column" alignItems="stretch">
                <ChoiceField name="priority" label="Priority" value={form.priority} options={PRIORITY_CHOICES} onChange={(priority) => setForm((current) => ({ ...current, priority }))} />
              </Grid.Item>
              <Grid.Item col={4} direction="column" alignItems="stretch">
                <ChoiceField name="category" label="Category" value={form.category} options={CATEGORY_CHOICES} onChange={(category) => setForm((current) => ({ ...current, category }))} />
              </Grid.Item>
              <Grid.Item col={4} direction="column" alignItems="stretch">
                <ChoiceField
                  name="assignee"
                  label="Assignee"
                  value={chosenAssignee}
                  options={[[NOBODY, 'Nobody'], ...agents.map((agent) => [String(agent.id), agentLabel(agent, agent.isMe)] as const)]}
                  onChange={setAssignee}
                  error={fieldError('assignee')}
                />
              </Grid.Item>
            </Grid.Root>
            {error && error.field === null && (
              <Box paddingTop={4} role="alert">
                {error.message}
              </Box>
            )}
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">Cancel</Button>
            </Modal.Close>
            <Button type="submit" loading={busy}>
              Open ticket
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
