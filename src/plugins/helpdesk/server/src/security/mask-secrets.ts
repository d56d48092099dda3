/** Shown instead of a secret that is set; secrets themselves never leave the server. */
export const SECRET_MASK = '********';

/** `text` with every occurrence of each secret masked: a mail server may echo what it was sent. */
export const maskSecrets = (text: string, secrets: ReadonlyArray<string | null | undefined>): string =>
  secrets.reduce<string>((masked, secret) => (secret ? masked.split(secret).join(SECRET_MASK) : masked), text);
