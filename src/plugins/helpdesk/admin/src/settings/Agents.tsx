import * as React from 'react';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Field, Flex, Grid, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { StaffListEntry } from '../../../shared/contract';

interface StaffAnswer {
  /** GET /helpdesk-admin/staff: every agent, and whether they can sign in to the panel. */
  data: StaffListEntry[];
  meta: { me: { email: string; isAgent: boolean } };
}

interface CreatedAnswer {
  data: { email: string; notes: string[] };
}

interface ApiErrorShape {
  response?: { data?: { error?: { message?: string; details?: { errors?: Array<{ path: string[]; message: string }> } } } };
  message?: string;
}

/** The server's own words for a refusal: one line per bad field, or its message. */
function errorText(error: unknown): { message: string; fields: Record<string, string> } {
  const apiError = (error as ApiErrorShape).response?.data?.error;
  const fields: Record<string, string> = {};
  for (const entry of apiError?.details?.errors ?? []) fields[entry.path.join('.')] = entry.message;
  return { message: apiError?.message ?? (error as ApiErrorShape).message ?? 'Something went wrong', fields };
}

const EMPTY = { name: '', email: '', password: '' };

const Agents = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [staff, setStaff] = React.useState<StaffAnswer | null>(null);
  const [loadError, setLoadError] = React.useState<string | null>(null);
  const [form, setForm] = React.useState(EMPTY);
  const [fieldErrors, setFieldErrors] = React.useState<Record<string, string>>({});
  const [busy, setBusy] = React.useState(false);

  const load = React.useCallback(async () => {
    try {
      const { data } = await get<StaffAnswer>('/helpdesk-admin/staff');
      setStaff(data);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error).message);
    }
  }, [get]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const report = (answer: CreatedAnswer) =>
    toggleNotification({ type: 'success', message: `${answer.data.email}: ${answer.data.notes.join('; ')}` });

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFieldErrors({});
    try {
      const body = { data: { email: form.email, password: form.password, ...(form.name.trim() ? { name: form.name } : {}) } };
      const { data } = await post<CreatedAnswer>('/helpdesk-admin/staff', body);
      report(data);
      setForm(EMPTY);
      await load();
    } catch (error) {
      const { message, fields } = errorText(error);
      setFieldErrors(fields);
      toggleNotification({ type: 'danger', message });
    } finally {
      setBusy(false);
    }
  };

  const makeMeAgent = async () => {
    setBusy(true);
    try {
      const { data } = await post<CreatedAnswer>('/helpdesk-admin/staff/me', {});
      report(data);
      await load();
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorText(error).message });
    } finally {
      setBusy(false);
    }
  };

  const input = (name: keyof typeof EMPTY, label: string, type: string, hint?: string) => (
    <Field.Root name={name} error={fieldErrors[name]} hint={hint} required={name !== 'name'}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        type={type}
        value={form[name]}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: event.target.value })}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );

  const me = staff?.meta.me;
  return (
    <Page.Main>
      <Page.Title>Helpdesk agents</Page.Title>
      <Layouts.Header
        title="Agents"
        subtitle="One person, two doors: an agent account for the REST API and an admin user with the Support agent role, sharing email and password."
        primaryAction={
          me && !me.isAgent ? (
            <Button onClick={makeMeAgent} loading={busy} variant="secondary">
              Make me an agent
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
            <form onSubmit={create} aria-label="New agent">
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Typography variant="delta" tag="h2">
                  New agent
                </Typography>
                <Grid.Root gap={4}>
                  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                    {input('name', 'Name', 'text', 'First and last name, e.g. Ann Agent')}
                  </Grid.Item>
                  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                    {input('email', 'Email', 'email')}
                  </Grid.Item>
                  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                    {input('password', 'Password', 'password', '8+ characters, with a lower-case and an upper-case letter and a number')}
                  </Grid.Item>
                </Grid.Root>
                <Flex justifyContent="flex-end">
                  <Button type="submit" loading={busy}>
                    Create agent
                  </Button>
                </Flex>
              </Flex>
            </form>
          </Box>
          {loadError ? (
            <Typography textColor="danger600">{loadError}</Typography>
          ) : (
            <Table colCount={3} rowCount={(staff?.data.length ?? 0) + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">Name</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">Email</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">Can sign in to the panel</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {(staff?.data ?? []).map((agent) => (
                  <Tr key={agent.id}>
                    <Td>
                      <Typography>
                        {agent.name}
                        {agent.blocked ? ' (blocked)' : ''}
                        {me && agent.email === me.email ? ' (you)' : ''}
                      </Typography>
                    </Td>
                    <Td>
                      <Typography>{agent.email}</Typography>
                    </Td>
                    <Td>
                      <Badge active={agent.canSignInToPanel}>{agent.canSignInToPanel ? 'Yes' : 'No'}</Badge>
                    </Td>
                  </Tr>
                ))}
                {staff && staff.data.length === 0 ? (
                  <Tr>
                    <Td colSpan={3}>
                      <Typography textColor="neutral600">No agents yet.</Typography>
                    </Td>
                  </Tr>
                ) : null}
              </Tbody>
            </Table>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default Agents;
