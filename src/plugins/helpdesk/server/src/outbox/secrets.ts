import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { keysForPurpose } from '../security/app-keys';

/**
 * Secrets in outgoing mail (a reset code, a confirmation token, a sign-in link): the stored body
 * holds a placeholder where the secret goes, which is also what anyone reading the row sees, and
 * the secrets themselves are stored encrypted (AES-256-GCM) beside it. Only the outbox opens them,
 * at send time, and wipes them once the mail is sent or has failed for good.
 */
export type MailSecrets = Record<string, string>;

const NAME = /^[a-z][a-z0-9_-]{0,40}$/i;
const FORMAT = 'v1';

/** What a mail's body holds instead of the secret `name` (rendered into the template in its place). */
export function secretPlaceholder(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid mail secret name: ${name}`);
  return `[hidden:${name}]`;
}

/** The text with each secret's placeholder replaced by the secret. */
export const fillSecrets = (text: string, secrets: MailSecrets): string =>
  Object.entries(secrets).reduce((filled, [name, value]) => filled.split(secretPlaceholder(name)).join(value), text);

/** A message (an SMTP error, say) with any secret in it masked, fit for a log line or the row. */
export const redactSecrets = (message: string, secrets: MailSecrets): string =>
  Object.entries(secrets).reduce((redacted, [name, value]) => redacted.split(value).join(secretPlaceholder(name)), message);

/**
 * Refuses a mail that would store a secret readable: every secret must be non-empty and must not
 * appear anywhere in what is stored as it is (subject, bodies, headers).
 */
export function assertSecretsHidden(stored: string[], secrets: MailSecrets): void {
  for (const [name, value] of Object.entries(secrets)) {
    secretPlaceholder(name);
    if (value.length < 8) throw new Error(`mail secret ${name} is too short to be a secret`);
    if (stored.some((text) => text.includes(value))) throw new Error(`mail secret ${name} appears in the mail as it is: use secretPlaceholder('${name}')`);
  }
}

const keysFrom = (appKeys: readonly string[]): Buffer[] =>
  keysForPurpose(appKeys, 'helpdesk-outbox', 'mail secrets v1', 'mail secrets cannot be encrypted');

/**
 * Seals and opens a mail's secrets with keys derived from APP_KEYS: sealed with the first key,
 * opened with any (so a new key put first does not strand queued mail). The mail's Message-ID is
 * authenticated with them, so sealed secrets only open for the row they were written for.
 */
export function createSecretBox(appKeys: readonly string[]) {
  let keys: Buffer[] | null = null;
  const derived = () => (keys ??= keysFrom(appKeys));

  function seal(secrets: MailSecrets, messageId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', derived()[0], iv);
    cipher.setAAD(Buffer.from(messageId));
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join('.');
  }

  /** The secrets, or null when no key opens them (APP_KEYS changed, or the row was tampered with). */
  function open(sealed: string, messageId: string): MailSecrets | null {
    const [format, iv, tag, data] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || !data) return null;
    for (const key of derived()) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(Buffer.from(messageId));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
        return JSON.parse(plain) as MailSecrets;
      } catch {
        // not this key
      }
    }
    return null;
  }

  return { seal, open };
}

export type SecretBox = ReturnType<typeof createSecretBox>;
