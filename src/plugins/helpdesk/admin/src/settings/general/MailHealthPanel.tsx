import { useCallback, useEffect, useState } from 'react';
import { Badge, Box, Button, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { labelOf, RECORD_ENUM_LABELS } from '../../lib/labels';
import { problemOf, type MailCheckResult, type MailHealth } from './types';

const moment = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
const at = (iso: string): string => moment.format(new Date(iso));
const mails = (count: number): string => `${count} ${count === 1 ? 'mail' : 'mails'}`;
/** "30 seconds", "5 minutes", "2 hours": how staff say an interval. */
const every = (seconds: number | null): string => {
  if (seconds === null) return '';
  const [amount, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return amount === 1 ? `every ${unit}` : `every ${amount} ${unit}s`;
};

const Row = ({ label, testId, iso, children }: { label: string; testId: string; iso?: string | null; children: React.ReactNode }) => (
  <Flex gap={2} paddingTop={1} paddingBottom={1} alignItems="baseline">
    <Box tag="dt" style={{ width: '30%', flexShrink: 0 }}>
      <Typography variant="omega" textColor="neutral800">
        {label}
      </Typography>
    </Box>
    <Box tag="dd" data-testid={testId} data-at={iso ?? undefined}>
      {children}
    </Box>
  </Flex>
);

/** Mailbox health: the last check that read the mailbox and the last that failed, who reads it now, the last day's mail, and "Check now". */
export const MailHealthPanel = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [health, setHealth] = useState<MailHealth | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setHealth((await get<{ data: MailHealth }>('/helpdesk-admin/settings/mail/health')).data.data);
      setFailed(null);
    } catch (error) {
      setFailed(problemOf(error).message);
    }
  }, [get]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const checkNow = async () => {
    setChecking(true);
    try {
      const { data } = (await post<{ data: MailCheckResult }>('/helpdesk-admin/settings/mail/check', {})).data;
      setHealth(data.health);
      toggleNotification(
        data.ok
          ? { type: 'success', message: `Mailbox checked: ${mails(data.mails)} read` }
          : { type: 'danger', message: `The check failed: ${data.error}` }
      );
    } catch (error) {
      // not checked (off, already running, another instance reads the mailbox): say why, show the state now
      toggleNotification({ type: 'warning', message: `Not checked: ${problemOf(error).message}` });
      await refresh();
    } finally {
      setChecking(false);
    }
  };

  if (failed && !health) {
    return (
      <Typography tag="p" textColor="danger600">
        The mailbox health could not be read: {failed}
      </Typography>
    );
  }
  if (!health) return <Loader small>Reading the mailbox health</Loader>;

  const { lastSuccess, lastError, holder } = health;
  const failing = lastError !== null && (lastSuccess === null || lastError.at > lastSuccess.at);
  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="mail-health">
      <Flex gap={2} wrap="wrap" justifyContent="space-between">
        <Flex gap={2} wrap="wrap">
          {health.active ? (
            <Badge variant={failing ? 'danger' : 'success'}>{failing ? 'Failing: the last check failed' : `Checked ${every(health.checkIntervalSeconds)}`}</Badge>
          ) : (
            <Badge variant="neutral">Email to ticket is off</Badge>
          )}
        </Flex>
        <Button startIcon={<ArrowClockwise />} variant="secondary" loading={checking} disabled={!health.active} onClick={checkNow}>
          Check now
        </Button>
      </Flex>
      {!health.active && (
        <Typography tag="p" variant="omega" textColor="neutral600">
          {health.problems.length > 0
            ? `Not checked: ${health.problems.join('; ')}.`
            : 'The mailbox is not checked: set EMAIL_TO_TICKET_ENABLED=true and the IMAP settings in the server environment.'}
        </Typography>
      )}
      <Box tag="dl">
        <Row label="Last successful check" testId="mail-health-success" iso={lastSuccess?.at}>
          <Typography variant="omega" fontWeight="semiBold">
            {lastSuccess ? `${at(lastSuccess.at)}: ${mails(lastSuccess.mails)} read` : 'Never'}
          </Typography>
        </Row>
        <Row label="Last error" testId="mail-health-error" iso={lastError?.at}>
          {lastError ? (
            <>
              <Typography variant="omega" fontWeight="semiBold" textColor={failing ? 'danger600' : 'neutral800'}>
                {at(lastError.at)}:
              </Typography>{' '}
              <Typography variant="omega" textColor={failing ? 'danger600' : 'neutral600'}>
                {lastError.message}
              </Typography>
            </>
          ) : (
            <Typography variant="omega" fontWeight="semiBold">
              None
            </Typography>
          )}
        </Row>
        <Row label="Reading the mailbox now" testId="mail-health-holder">
          <Typography variant="omega" fontWeight="semiBold">
            {holder ? `${holder.host ?? 'an unnamed host'}, process ${holder.pid ?? '?'}, lease until ${at(holder.expiresAt)}` : 'Nobody'}
          </Typography>
        </Row>
      </Box>
      <Box>
        <Typography variant="sigma" textColor="neutral600" tag="h3">
          Mails in the last 24 hours: {health.lastDay.total}
        </Typography>
        <Grid.Root gap={3} marginTop={2} tag="ul" aria-label="Mails in the last 24 hours by outcome">
          {health.lastDay.outcomes.map(({ outcome, count }) => (
            <Grid.Item key={outcome} col={2} s={4} xs={6} tag="li" direction="column" alignItems="stretch">
              <Box background={count > 0 ? 'primary100' : 'neutral100'} hasRadius padding={3} flex="1" data-outcome={outcome}>
                <Typography variant="beta" tag="p" textColor={count > 0 ? 'primary700' : 'neutral500'}>
                  {count}
                </Typography>
                <Typography variant="pi" tag="p" textColor="neutral700">
                  {labelOf(RECORD_ENUM_LABELS, outcome)}
                </Typography>
              </Box>
            </Grid.Item>
          ))}
        </Grid.Root>
      </Box>
    </Flex>
  );
};
