import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';

/** The helpdesk's own settings that come from the environment (staff-editable ones live in helpdesk-setting). */
export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  outbox: {
    // without an SMTP server, mail stays queued (readable in the admin panel's Outbound emails)
    deliveryEnabled: Boolean(env('SMTP_HOST')),
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
