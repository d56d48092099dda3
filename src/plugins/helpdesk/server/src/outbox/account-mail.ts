/**
 * Account mails (users-permissions' address confirmation and password reset) lead into an account:
 * their outbox rows are for the server only. The Document Service never returns them, so neither
 * the Content Manager (any role, super admin included) nor any REST route shows them; the outbox
 * and other server code read the outbox with the query engine.
 */
export const ACCOUNT_MAIL_PREFIX = 'users-permissions:';

/** The templateKey of an account mail of this kind (reset_password, email_confirmation). */
export const accountMailKey = (kind: string): string => `${ACCOUNT_MAIL_PREFIX}${kind}`;

/** A Document Service filter for every outbox row but account mails. */
export const EXCEPT_ACCOUNT_MAILS = {
  $or: [{ templateKey: { $null: true } }, { $not: { templateKey: { $startsWith: ACCOUNT_MAIL_PREFIX } } }],
};
