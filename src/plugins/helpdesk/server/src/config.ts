import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';

type Env = Core.Config.Shared.ConfigParams['env'];

/**
 * The plugin's configuration: its defaults come from the environment (the variables the README
 * lists); a host overrides any key in config/plugins.ts (`helpdesk: { config: { ... } }`).
 * Staff-editable settings live in the helpdesk-setting type, not here.
 */
const defaults = ({ env }: { env: Env }) => ({
  /**
   * What the helpdesk changes outside its own types, each a switch. On by default: what the
   * helpdesk's own features need and touches helpdesk UIDs only. Off by default: what changes the
   * rest of the host app.
   */
  host: {
    /** The Public role may POST /api/tickets/guest (the guest form). */
    publicGuestAccess: env.bool('HELPDESK_PUBLIC_GUEST_ACCESS', true),
    /** The Authenticated role may use the requester portal (/api/portal/...). */
    requesterPortalAccess: env.bool('HELPDESK_REQUESTER_PORTAL_ACCESS', true),
    /** The users-permissions Agent role and the admin Support agent role, kept as the helpdesk needs them. */
    staffRoles: env.bool('HELPDESK_STAFF_ROLES', true),
    /** The Content Manager's views of the helpdesk's types (order, words, server fields read-only). */
    contentManagerLayouts: env.bool('HELPDESK_CONTENT_MANAGER_LAYOUTS', true),
    /**
     * The upload plugin, for every upload of the app: the REST uploader is recorded (an agent
     * attaches only files of their own), only that uploader may replace a file over REST, uploads
     * are not linked into records, images past IMAGE_MAX_PIXELS are refused before decoding.
     */
    uploadGuards: env.bool('HELPDESK_UPLOAD_GUARDS', true),
    /**
     * users-permissions, for every account of the app: address confirmation required,
     * self-registration only with PUBLIC_REGISTRATION=true, confirmation and reset mails through
     * the helpdesk's outbox (capped, retried, token sealed) with links on the public address.
     */
    accountPolicy: env.bool('HELPDESK_ACCOUNT_POLICY', false),
  },
  outbox: {
    // without an SMTP server, mail stays queued (readable in the admin panel's Outbound emails)
    // OUTBOX_DELIVERY=true for an app whose email provider is set up without SMTP_HOST
    deliveryEnabled: env.bool('OUTBOX_DELIVERY', Boolean(env('SMTP_HOST'))),
    batchSize: env.int('OUTBOX_BATCH_SIZE', 10),
    maxAttempts: env.int('OUTBOX_MAX_ATTEMPTS', 8),
    backoffBaseMs: env.int('OUTBOX_BACKOFF_BASE_MS', 30_000),
    backoffMaxMs: env.int('OUTBOX_BACKOFF_MAX_MS', 3_600_000),
    // a sending process renews its claims every third of this: a dead one's are retaken after it
    claimTimeoutMs: env.int('OUTBOX_CLAIM_TIMEOUT_MS', 30_000),
    // automatic mail (confirmations, auto-replies) per recipient: past the cap it is recorded as suppressed
    automaticCap: env.int('AUTO_REPLY_CAP', 3),
    automaticCapWindowMs: env.int('AUTO_REPLY_CAP_WINDOW_MINUTES', 10) * 60_000,
  },
  accounts: {
    // self-registration (POST /api/auth/local/register) is closed unless PUBLIC_REGISTRATION=true
    publicRegistration: env.bool('PUBLIC_REGISTRATION', false),
  },
  mail: {
    from: env('SMTP_FROM', 'support@helpdesk.invalid'),
    fromName: env('SMTP_FROM_NAME', 'Helpdesk'),
    // new-ticket mails to the team: the first of a burst at once, the rest in one digest per window (0: off)
    teamDigestMs: env.int('TEAM_NOTIFICATION_DIGEST_MS', env.int('TEAM_NOTIFICATION_DIGEST_MINUTES', 10) * 60_000),
  },
  guest: {
    rateLimit: {
      max: env.int('GUEST_RATE_LIMIT_MAX', 5),
      windowMs: env.int('GUEST_RATE_LIMIT_WINDOW_MS', 600_000),
    },
    bodyLimitBytes: env.int('GUEST_BODY_LIMIT_BYTES', 32 * 1024),
    // optional proof of work on the guest form (altcha, verified here): GUEST_CHALLENGE=altcha
    challenge: {
      enabled: env('GUEST_CHALLENGE', '') === 'altcha',
      // its own key, or one derived from APP_KEYS (never the APP_KEYS themselves)
      hmacKey:
        env('GUEST_CHALLENGE_HMAC_KEY', '') ||
        createHash('sha256').update(`guest-challenge:${(env.array('APP_KEYS') ?? []).join(',')}`).digest('hex'),
      maxNumber: env.int('GUEST_CHALLENGE_MAX_NUMBER', 100_000),
      expiresMs: env.int('GUEST_CHALLENGE_EXPIRES_MS', 10 * 60_000),
    },
  },
});

export type HelpdeskConfig = ReturnType<typeof defaults>;

/** The plugin's config, typed (Strapi keeps it under plugin::helpdesk). */
export const helpdeskConfig = (strapi: Core.Strapi): HelpdeskConfig => strapi.config.get('plugin::helpdesk') as HelpdeskConfig;

export default {
  default: defaults,
  validator(config: HelpdeskConfig): void {
    for (const [key, value] of Object.entries(config.host ?? {})) {
      if (typeof value !== 'boolean') throw new Error(`helpdesk config host.${key} must be true or false, not ${JSON.stringify(value)}`);
    }
  },
};
