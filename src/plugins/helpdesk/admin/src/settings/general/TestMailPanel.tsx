import { useState } from 'react';
import { Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { Mail } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import { problemOf, type TestMailResult } from './types';

type Outcome = { kind: 'result'; result: TestMailResult } | { kind: 'refused'; message: string; field?: string };

/** "Send test mail": one mail straight through the SMTP server; shows what the server answered. */
export const TestMailPanel = ({ defaultTo }: { defaultTo: string }) => {
  const { post } = useFetchClient();
  const [to, setTo] = useState(defaultTo);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const send = async () => {
    setSending(true);
    setOutcome(null);
    try {
      const response = await post<{ data: TestMailResult }>('/helpdesk-admin/settings/test-mail', { data: { to } });
      setOutcome({ kind: 'result', result: response.data.data });
    } catch (error) {
      const problem = problemOf(error);
      setOutcome({ kind: 'refused', message: problem.message, field: problem.fields.to });
    } finally {
      setSending(false);
    }
  };

  const result = outcome?.kind === 'result' ? outcome.result : null;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={2} alignItems="flex-end">
        <Box flex="1">
          <Field.Root name="testMailTo" error={outcome?.kind === 'refused' ? outcome.field ?? outcome.message : undefined}>
            <Field.Label>Send a test mail to</Field.Label>
            <TextInput type="email" value={to} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setTo(event.target.value)} />
            <Field.Error />
          </Field.Root>
        </Box>
        <Button startIcon={<Mail />} variant="secondary" size="L" loading={sending} disabled={!to.trim()} onClick={send}>
          Send test mail
        </Button>
      </Flex>
      {result && (
        <Box
          background={result.ok ? 'success100' : 'danger100'}
          borderColor={result.ok ? 'success200' : 'danger200'}
          padding={3}
          hasRadius
          role="status"
          data-testid="test-mail-result"
          data-ok={result.ok}
        >
          <Typography tag="p" fontWeight="bold" textColor={result.ok ? 'success700' : 'danger700'}>
            {result.ok ? `Sent to ${result.to}: the SMTP server accepted it.` : `Not sent to ${result.to}.`}
          </Typography>
          {result.response && (
            <Typography tag="p" variant="omega">
              Server answer: <code data-testid="test-mail-response">{result.response}</code>
            </Typography>
          )}
          {result.error && !result.response && (
            <Typography tag="p" variant="omega">
              Error{result.code ? ` (${result.code})` : ''}: <code data-testid="test-mail-error">{result.error}</code>
            </Typography>
          )}
        </Box>
      )}
    </Flex>
  );
};
