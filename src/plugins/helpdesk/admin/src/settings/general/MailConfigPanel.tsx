import { Badge, Box, Flex, Grid, Typography } from '@strapi/design-system';
import type { MailConfig } from './types';

type Value = string | number | boolean | null;

const show = (value: Value): string => {
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
};

const Rows = ({ title, rows }: { title: string; rows: Array<[string, string, Value]> }) => (
  <Box>
    <Typography variant="sigma" textColor="neutral600" tag="h3">
      {title}
    </Typography>
    <Box tag="dl" marginTop={2}>
      {rows.map(([label, variable, value]) => (
        <Flex key={variable} gap={2} paddingTop={1} paddingBottom={1} alignItems="baseline">
          <Box tag="dt" style={{ width: '45%' }}>
            <Typography variant="omega" textColor="neutral800">
              {label}
            </Typography>{' '}
            <Typography variant="pi" textColor="neutral500">
              {variable}
            </Typography>
          </Box>
          <Box tag="dd" data-variable={variable}>
            <Typography variant="omega" fontWeight="semiBold">
              {show(value)}
            </Typography>
          </Box>
        </Flex>
      ))}
    </Box>
  </Box>
);

/** The mail configuration from the environment, read-only (change it in the server's env and restart). */
export const MailConfigPanel = ({ config }: { config: MailConfig }) => {
  const { smtp, imap, emailToTicket } = config;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={2} wrap="wrap">
        <Badge variant={smtp.deliveryEnabled ? 'success' : 'warning'}>
          {smtp.deliveryEnabled ? 'Outgoing mail: delivered' : 'Outgoing mail: queued (SMTP_HOST not set)'}
        </Badge>
        <Badge variant={emailToTicket.active ? 'success' : 'neutral'}>
          {emailToTicket.active ? 'Email to ticket: on' : 'Email to ticket: off'}
        </Badge>
      </Flex>
      {emailToTicket.problems.length > 0 && (
        <Box background="warning100" padding={3} hasRadius>
          {emailToTicket.problems.map((problem) => (
            <Typography key={problem} tag="p" variant="omega" textColor="warning700">
              {problem}
            </Typography>
          ))}
        </Box>
      )}
      <Grid.Root gap={6}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Rows
            title="Outgoing (SMTP)"
            rows={[
              ['Host', 'SMTP_HOST', smtp.host],
              ['Port', 'SMTP_PORT', smtp.port],
              ['TLS from the start', 'SMTP_SECURE', smtp.secure],
              ['Require STARTTLS', 'SMTP_STARTTLS', smtp.startTLS],
              ['User', 'SMTP_USERNAME', smtp.user],
              ['Password', 'SMTP_PASSWORD', smtp.password],
              ['From', 'SMTP_FROM', smtp.from],
            ]}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Rows
            title="Incoming (IMAP, email to ticket)"
            rows={[
              ['Enabled', 'EMAIL_TO_TICKET_ENABLED', emailToTicket.enabled],
              ['Check every (seconds)', 'EMAIL_TO_TICKET_CHECK_INTERVAL', emailToTicket.checkIntervalSeconds],
              ['Support address', 'SUPPORT_EMAIL', config.supportEmail],
              ['Host', 'IMAP_HOST', imap.host],
              ['Port', 'IMAP_PORT', imap.port],
              ['SSL', 'IMAP_USE_SSL', imap.ssl],
              ['User', 'IMAP_USERNAME', imap.user],
              ['Password', 'IMAP_PASSWORD', imap.password],
              ['Folder', 'IMAP_FOLDER', imap.folder],
            ]}
          />
        </Grid.Item>
      </Grid.Root>
    </Flex>
  );
};
