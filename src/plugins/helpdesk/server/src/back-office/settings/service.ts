import type { Core } from '@strapi/strapi';
import { readIngestionConfig, ingestionActive, IngestionConfigError, type IngestionConfig } from '../../mail-ingestion/config';
import { leaseHolder } from '../../db/lease';
import { LEASE_NAME } from '../../mail-ingestion/pipeline';
import { maskSecrets, SECRET_MASK } from '../../security/mask-secrets';
import type { IngestionHolderView, MailConfigView, TestMailResult } from '../../../../shared/contract';
import { getService } from '../../get-service';

interface EmailPluginConfig {
  provider?: string;
  providerOptions?: {
    host?: string;
    port?: number;
    secure?: boolean;
    requireTLS?: boolean;
    auth?: { user?: string; pass?: string };
  };
  settings?: { defaultFrom?: string; defaultReplyTo?: string };
}

const masked = (secret: string | undefined | null): string | null => (secret ? SECRET_MASK : null);

/** Who reads the mailbox right now, from the ingestion lease. */
export async function ingestionHolder(strapi: Core.Strapi): Promise<IngestionHolderView | null> {
  const holder = await leaseHolder(strapi, LEASE_NAME);
  if (!holder) return null;
  return { host: holder.host, pid: holder.pid, expiresAt: holder.expiresAt.toISOString(), heartbeatAt: holder.heartbeatAt?.toISOString() ?? null };
}

/** Email to ticket as the environment sets it: on or off, and why not when it is enabled. */
export type EmailToTicketState = Omit<MailConfigView['emailToTicket'], 'holder'>;

export function emailToTicketState(env: NodeJS.ProcessEnv = process.env): { config: IngestionConfig | null; state: EmailToTicketState } {
  try {
    const config = readIngestionConfig(env);
    const problems = config.enabled && !config.imap ? config.missing.map((name) => `${name} is not set`) : [];
    return { config, state: { enabled: config.enabled, active: ingestionActive(config), checkIntervalSeconds: config.checkIntervalSeconds, problems } };
  } catch (error) {
    if (!(error instanceof IngestionConfigError)) throw error;
    return { config: null, state: { enabled: false, active: false, checkIntervalSeconds: null, problems: error.problems } };
  }
}

export async function mailConfigView(strapi: Core.Strapi, env: NodeJS.ProcessEnv = process.env): Promise<MailConfigView> {
  const holder = await ingestionHolder(strapi);
  const email = (strapi.config.get('plugin::email') ?? {}) as EmailPluginConfig;
  const options = email.providerOptions ?? {};
  const smtp: MailConfigView['smtp'] = {
    deliveryEnabled: Boolean(strapi.config.get('plugin::helpdesk.outbox.deliveryEnabled')),
    host: options.host ?? null,
    port: options.port ?? null,
    secure: Boolean(options.secure),
    startTLS: Boolean(options.requireTLS),
    user: options.auth?.user ?? null,
    password: masked(options.auth?.pass),
    from: email.settings?.defaultFrom ?? null,
  };

  const imapPassword = masked(env.IMAP_PASSWORD);
  const { config, state } = emailToTicketState(env);
  return {
    smtp,
    imap: config?.imap
      ? {
          host: config.imap.host,
          port: config.imap.port,
          user: config.imap.user,
          password: imapPassword,
          folder: config.imap.folder,
          processedFolder: config.imap.processedFolder,
          ssl: config.imap.secure,
        }
      : { host: env.IMAP_HOST?.trim() || null, port: null, user: env.IMAP_USERNAME?.trim() || null, password: imapPassword, folder: null, processedFolder: null, ssl: null },
    emailToTicket: { ...state, holder },
    supportEmail: config?.supportEmail ?? null,
  };
}

interface SendInfo {
  response?: string;
  messageId?: string;
  rejected?: unknown[];
}

interface SmtpError {
  message?: string;
  code?: string;
  response?: string;
}

/**
 * Sends one mail straight through the email plugin's provider (the configured SMTP server; not
 * the outbox: a live check, sent now or not at all) and reports the server's answer.
 */
export async function sendTestMail(strapi: Core.Strapi, to: string): Promise<TestMailResult> {
  const { companyName } = await getService(strapi, 'settings').current();
  const secrets = [process.env.SMTP_PASSWORD, process.env.IMAP_PASSWORD].filter((value): value is string => Boolean(value));
  // an SMTP server may echo what it was sent: no secret goes back to the browser, whatever it says
  const scrub = (text: string | undefined | null): string | null => {
    if (!text) return null;
    return maskSecrets(text, secrets);
  };
  const provider = strapi.plugin('email').provider as { send(options: Record<string, unknown>): Promise<SendInfo> };
  try {
    const info = await provider.send({
      to,
      subject: `${companyName}: test mail`,
      text: `This is a test mail from the ${companyName} helpdesk (Settings → Helpdesk → General & mail).\nIf you can read it, outgoing mail works.`,
    });
    return { ok: true, to, response: scrub(info.response), error: null, code: null, messageId: info.messageId ?? null };
  } catch (caught) {
    const error = (caught ?? {}) as SmtpError;
    strapi.log.warn(`[settings] test mail to ${to} failed: ${scrub(error.message)}`);
    return {
      ok: false,
      to,
      response: scrub(error.response),
      error: scrub(error.message) ?? 'unknown error',
      code: typeof error.code === 'string' ? error.code : null,
      messageId: null,
    };
  }
}
