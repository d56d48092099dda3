import { useEffect, useState, type ReactNode } from 'react';
import { Box, Button, Checkbox, Field, Flex, Grid, NumberInput, TextInput, Toggle, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { STATUS_LABELS, TICKET_STATUSES, type Priority } from '../lib/labels';
import { MailConfigPanel } from './general/MailConfigPanel';
import { MailHealthPanel } from './general/MailHealthPanel';
import { SlaTable } from './general/SlaTable';
import { TestMailPanel } from './general/TestMailPanel';
import { problemOf, type HelpdeskSettings as Settings, type MailConfig } from './general/types';

/** The settings that are on or off, in the order the page shows them. */
const SWITCHES: Array<{ name: 'autoReplyEnabled' | 'reopenOnRequesterReply' | 'openOnFirstReply'; label: string; hint: string }> = [
  { name: 'autoReplyEnabled', label: 'Auto-reply', hint: 'Confirm each new ticket to its requester' },
  { name: 'reopenOnRequesterReply', label: 'Reopen on requester reply', hint: "A requester's reply to a resolved or closed ticket reopens it" },
  { name: 'openOnFirstReply', label: 'Open on first reply', hint: 'The first public staff reply moves a New ticket to Open' },
];

/** A titled white card, as Strapi's own settings pages have. */
const Section = ({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="filterShadow" paddingTop={6} paddingBottom={6} paddingLeft={7} paddingRight={7}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Box>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
        {subtitle && (
          <Typography tag="p" variant="pi" textColor="neutral600">
            {subtitle}
          </Typography>
        )}
      </Box>
      {children}
    </Flex>
  </Box>
);

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; settings: Settings; mail: MailConfig };

/** Settings → Helpdesk → General & mail. */
const HelpdeskSettings = () => {
  const { get, put } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [form, setForm] = useState<Settings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([get<{ data: Settings }>('/helpdesk-admin/settings'), get<{ data: MailConfig }>('/helpdesk-admin/settings/mail')]).then(
      ([settings, mail]) => {
        if (!live) return;
        setLoad({ status: 'ready', settings: settings.data.data, mail: mail.data.data });
        setForm(settings.data.data);
      },
      (error) => live && setLoad({ status: 'error', message: problemOf(error).message })
    );
    return () => {
      live = false;
    };
  }, [get]);

  if (load.status === 'loading' || (load.status === 'ready' && !form)) return <Page.Loading />;
  if (load.status === 'error' || !form) return <Page.Error />;

  /** Forgets the server's complaint about the fields under `path` once staff change them. */
  const forget = (path: string) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== path && !key.startsWith(`${path}.`))));
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setForm({ ...form, [key]: value });
    forget(key);
  };
  const setTarget = (priority: Priority, key: 'firstResponseHours' | 'resolutionHours', value: number | null) => {
    setForm({ ...form, slaPolicy: { ...form.slaPolicy, [priority]: { ...form.slaPolicy[priority], [key]: value } } });
    // the rule compares both targets of a priority: a change to either settles it
    forget(`slaPolicy.${priority}`);
  };
  const toggleStatus = (status: (typeof TICKET_STATUSES)[number], on: boolean) =>
    set(
      'notifyRequesterOnStatus',
      TICKET_STATUSES.filter((s) => (s === status ? on : form.notifyRequesterOnStatus.includes(s)))
    );

  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      const response = await put<{ data: Settings }>('/helpdesk-admin/settings', {
        data: {
          companyName: form.companyName,
          supportAddress: form.supportAddress ?? '',
          publicBaseUrl: form.publicBaseUrl ?? '',
          autoReplyEnabled: form.autoReplyEnabled,
          slaPolicy: form.slaPolicy,
          notifyRequesterOnStatus: form.notifyRequesterOnStatus,
          reopenOnRequesterReply: form.reopenOnRequesterReply,
          openOnFirstReply: form.openOnFirstReply,
          slaWarningMinutes: form.slaWarningMinutes,
        },
      });
      setForm(response.data.data);
      setLoad({ ...load, settings: response.data.data });
      toggleNotification({ type: 'success', message: 'Helpdesk settings saved' });
    } catch (error) {
      const problem = problemOf(error);
      setErrors(problem.fields);
      toggleNotification({ type: 'danger', message: `Not saved: ${problem.message}` });
    } finally {
      setSaving(false);
    }
  };

  const text = (key: 'companyName' | 'supportAddress' | 'publicBaseUrl', label: string, hint: string, type = 'text') => (
    <Field.Root name={key} error={errors[key]} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        type={type}
        value={form[key] ?? ''}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => set(key, event.target.value)}
      />
      <Field.Error />
      <Field.Hint />
    </Field.Root>
  );

  return (
    <Page.Main>
      <Page.Title>Helpdesk: general & mail</Page.Title>
      <Layouts.Header
        title="General & mail"
        subtitle="Company, addresses, automatic mail and SLA targets; the mail server settings come from the environment."
        primaryAction={
          <Button startIcon={<Check />} loading={saving} onClick={save}>
            Save
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title="Company and addresses">
            <Grid.Root gap={5}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                {text('companyName', 'Company name', 'Shown in mail subjects and greetings')}
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                {text('supportAddress', 'Team notification address', 'New tickets are announced to this address', 'email')}
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                {text('publicBaseUrl', 'Public address of the helpdesk', 'Links in mail to requesters start with it (https://...)')}
              </Grid.Item>
            </Grid.Root>
          </Section>

          <Section title="Automatic mail and replies">
            <Grid.Root gap={5}>
              {SWITCHES.map(({ name, label, hint }) => (
                <Grid.Item key={name} col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root name={name} hint={hint} error={errors[name]}>
                    <Field.Label>{label}</Field.Label>
                    <Toggle
                      onLabel="On"
                      offLabel="Off"
                      checked={form[name]}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) => set(name, event.target.checked)}
                    />
                    <Field.Hint />
                  </Field.Root>
                </Grid.Item>
              ))}
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <Typography variant="pi" fontWeight="bold" textColor="neutral800">
                  Mail the requester when their ticket becomes
                </Typography>
                <Flex gap={5} wrap="wrap" paddingTop={2} role="group" aria-label="Mail the requester when their ticket becomes">
                  {TICKET_STATUSES.map((status) => (
                    <Checkbox
                      key={status}
                      name={`notify-${status}`}
                      checked={form.notifyRequesterOnStatus.includes(status)}
                      onCheckedChange={(checked) => toggleStatus(status, checked === true)}
                    >
                      {STATUS_LABELS[status]}
                    </Checkbox>
                  ))}
                </Flex>
                {errors.notifyRequesterOnStatus && (
                  <Typography variant="pi" textColor="danger600">
                    {errors.notifyRequesterOnStatus}
                  </Typography>
                )}
              </Grid.Item>
            </Grid.Root>
          </Section>

          <Section title="SLA targets" subtitle="Hours from a ticket's creation to its first staff reply and to its resolution, per priority.">
            <SlaTable policy={form.slaPolicy} errors={errors} onChange={setTarget} />
            <Box paddingTop={5} maxWidth="32rem">
              <Field.Root
                name="slaWarningMinutes"
                hint="The assignee (the team address when unassigned) is warned this long before a target passes; 0 turns warnings off"
                error={errors.slaWarningMinutes}
              >
                <Field.Label>Warn before a target passes (minutes)</Field.Label>
                <NumberInput value={form.slaWarningMinutes} step={5} onValueChange={(value) => set('slaWarningMinutes', value ?? 0)} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            </Box>
          </Section>

          <Section title="Test the outgoing mail" subtitle="Sends one mail now through the SMTP server below (not the outbox) and shows its answer.">
            <TestMailPanel defaultTo={load.mail.smtp.user?.includes('@') ? load.mail.smtp.user : ''} />
          </Section>

          <Section title="Mailbox health" subtitle="How the checks of the support mailbox (email to ticket) go, on every server of the helpdesk.">
            <MailHealthPanel />
          </Section>

          <Section title="Mail configuration" subtitle="Read from the server's environment; change it there and restart. Passwords are never shown.">
            <MailConfigPanel config={load.mail} />
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export default HelpdeskSettings;
