import { hkdfSync } from 'node:crypto';

/**
 * One 256-bit key per APP_KEYS entry, derived (HKDF-SHA256) for one purpose only, so that a key
 * that seals mail secrets never signs a link: the first key makes, any key checks or opens (a new
 * key put first strands nothing). `purpose` names the job in the error when APP_KEYS is empty.
 */
export function keysForPurpose(appKeys: readonly string[], salt: string, info: string, purpose: string): Buffer[] {
  const keys = appKeys.filter((key) => key.length > 0);
  if (keys.length === 0) throw new Error(`APP_KEYS is empty: ${purpose}`);
  return keys.map((key) => Buffer.from(hkdfSync('sha256', key, salt, info, 32)));
}
