/**
 * Sender verification stage (Zammad's channel filters are the model): did the mailbox's own MTA
 * vouch for the From address? Reads the Authentication-Results headers (RFC 8601) that MTA wrote.
 * Pure: header values in, a verdict out; no Strapi, no DNS.
 *
 * Anyone can write Authentication-Results headers into a mail; only the ones the receiving MTA
 * prepended count. Those are on top: the leading run of Authentication-Results headers whose
 * authserv-id is INGEST_TRUSTED_AUTHSERV_ID. The first header with another authserv-id (or one that
 * cannot be read) ends the run; everything below it was written before the mail reached us. Within
 * the run the topmost result of each method counts, so a forged result below our MTA's own one of
 * the same method never does.
 */

export interface AuthResult {
  /** Lower-cased, version dropped: `dkim/1` is `dkim`. */
  method: string;
  /** Lower-cased: pass, fail, none, softfail, ... */
  result: string;
  /** `ptype.property` (and Microsoft's bare `action`, `reason`) lower-cased → value as written. */
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  /** Lower-cased; '' when the header has none (Microsoft 365 writes none). */
  authservId: string;
  results: AuthResult[];
}

/** INGEST_TRUSTED_AUTHSERV_ID value that stands for "the header without an authserv-id" (Microsoft 365). */
export const MISSING_AUTHSERV_ID = 'microsoft365';

/** Headers longer than this are not read (a real one is well under 2 KB). */
const MAX_HEADER_CHARS = 8_192;
/** Only this many headers from the top are looked at. */
const MAX_HEADERS = 20;

type Token = { kind: 'word' | 'quoted'; text: string } | { kind: 'semi' } | { kind: 'eq' };

/**
 * RFC 8601 tokens: comments (nested, with quoted pairs) dropped, quoted strings unquoted, `;` and `=`
 * on their own. The value after `=` runs to whitespace or `;` (a base64 header.b may hold `=`).
 * One pass over the text: linear whatever it holds.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let afterEq = false;
  while (i < text.length) {
    const char = text[i];
    if (char === '(') {
      let depth = 0;
      for (; i < text.length; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) break;
      }
      i++;
    } else if (/\s/.test(char)) {
      i++;
    } else if (char === ';') {
      tokens.push({ kind: 'semi' });
      afterEq = false;
      i++;
    } else if (char === '=' && !afterEq) {
      tokens.push({ kind: 'eq' });
      afterEq = true;
      i++;
    } else if (char === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) value += text[i] === '\\' ? (text[++i] ?? '') : text[i];
      i++;
      tokens.push({ kind: 'quoted', text: value });
      afterEq = false;
    } else {
      const start = i;
      // a word ends at whitespace, `;`, a comment, a quote, and (unless it is a value) at `=`
      while (i < text.length && !/[\s;("]/.test(text[i]) && (afterEq || text[i] !== '=')) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
      afterEq = false;
    }
  }
  return tokens;
}

/** One Authentication-Results value; null when it cannot be read as one. */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  if (value.length > MAX_HEADER_CHARS) return null;
  const tokens = tokenize(value);
  // statements separated by `;`; each a list of name=value pairs (the first may be the authserv-id)
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'semi') statements.push([]);
    else statements[statements.length - 1].push(token);
  }
  const first = statements[0];
  let authservId = '';
  if (first.length > 0 && first.every((token) => token.kind !== 'eq')) {
    // `authserv-id [version]`
    const id = first[0];
    if (id.kind !== 'word' && id.kind !== 'quoted') return null;
    authservId = id.text.toLowerCase();
    statements.shift();
  } else if (first.length === 0) {
    return null;
  }
  // else Microsoft 365's: no authserv-id, the first statement is already a result

  const results: AuthResult[] = [];
  for (const statement of statements) {
    const pairs: Array<[string, string]> = [];
    for (let k = 0; k + 2 < statement.length; k++) {
      const [name, eq, val] = [statement[k], statement[k + 1], statement[k + 2]];
      if (name?.kind === 'word' && eq?.kind === 'eq' && val && (val.kind === 'word' || val.kind === 'quoted')) {
        pairs.push([name.text.toLowerCase(), val.text]);
        k += 2;
      }
    }
    if (pairs.length === 0) continue; // `none`, or an empty statement after a trailing `;`
    const [methodSpec, result] = pairs[0];
    const properties: Record<string, string> = {};
    for (const [name, val] of pairs.slice(1)) if (!Object.hasOwn(properties, name)) properties[name] = val;
    results.push({ method: methodSpec.split('/')[0].trim(), result: result.toLowerCase(), properties });
  }
  return { authservId, results };
}

/** Domain of an address or a bare domain, lower-cased, without a trailing dot. */
function domainOf(value: string | undefined): string | null {
  if (!value) return null;
  const domain = value.slice(value.lastIndexOf('@') + 1).trim().toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
}

/**
 * DMARC's relaxed alignment without a public suffix list: the same domain, or one a subdomain of the
 * other. The parent must have at least two labels, so `d=com` never aligns with everything .com.
 */
export function aligned(authenticated: string | null, from: string): boolean {
  if (!authenticated) return false;
  if (authenticated === from) return true;
  const [parent, child] = from.endsWith(`.${authenticated}`) ? [authenticated, from] : authenticated.endsWith(`.${from}`) ? [from, authenticated] : [null, null];
  return parent !== null && child !== null && parent.includes('.');
}

export interface SenderVerdict {
  verified: boolean;
  /** What decided it, for the note and the log: "dmarc=pass (mx.google.com)", "no Authentication-Results from …". */
  reason: string;
}

/**
 * Whether the trusted MTA vouched for `fromAddress`: dmarc=pass for its domain, or else (DMARC not
 * evaluated, or no policy) dkim=pass or spf=pass with an aligned domain. dmarc=fail (or any other
 * DMARC result but none and bestguesspass) decides against, whatever SPF and DKIM say.
 *
 * @param headerValues every Authentication-Results value of the mail, topmost first
 * @param trustedId INGEST_TRUSTED_AUTHSERV_ID (lower-cased); null: nothing is trusted
 */
export function verifySender(headerValues: string[], trustedId: string | null, fromAddress: string | undefined): SenderVerdict {
  if (!trustedId) return { verified: false, reason: 'INGEST_TRUSTED_AUTHSERV_ID is not set' };
  const fromDomain = domainOf(fromAddress);
  if (!fromDomain) return { verified: false, reason: 'the From address has no domain' };
  const wanted = trustedId === MISSING_AUTHSERV_ID ? '' : trustedId;
  const label = wanted || 'the header without authserv-id';

  const run: AuthenticationResults[] = [];
  for (const value of headerValues.slice(0, MAX_HEADERS)) {
    const parsed = parseAuthenticationResults(value);
    if (!parsed || parsed.authservId !== wanted) break;
    run.push(parsed);
  }
  if (run.length === 0) return { verified: false, reason: `no Authentication-Results from ${label} on top` };

  /** The results of `method` in the topmost header of the run that reports it. */
  const topmost = (method: string): AuthResult[] => run.find((header) => header.results.some((r) => r.method === method))?.results.filter((r) => r.method === method) ?? [];

  const dmarc = topmost('dmarc')[0];
  if (dmarc) {
    const policyDomain = domainOf(dmarc.properties['header.from']);
    if (dmarc.result === 'pass') {
      // a pass for another From domain (a second From header, say) says nothing about this one
      return policyDomain === null || policyDomain === fromDomain
        ? { verified: true, reason: `dmarc=pass (${label})` }
        : { verified: false, reason: `dmarc=pass for ${policyDomain}, not ${fromDomain} (${label})` };
    }
    // none: no DMARC policy to check; Microsoft's bestguesspass: none, but SPF or DKIM would align
    if (dmarc.result !== 'none' && dmarc.result !== 'bestguesspass') return { verified: false, reason: `dmarc=${dmarc.result} (${label})` };
  }
  for (const dkim of topmost('dkim')) {
    const signer = domainOf(dkim.properties['header.d']) ?? domainOf(dkim.properties['header.i']);
    if (dkim.result === 'pass' && aligned(signer, fromDomain)) return { verified: true, reason: `dkim=pass header.d=${signer} (${label})` };
  }
  const spf = topmost('spf')[0];
  const envelope = domainOf(spf?.properties['smtp.mailfrom']);
  if (spf?.result === 'pass' && aligned(envelope, fromDomain)) return { verified: true, reason: `spf=pass smtp.mailfrom=${envelope} (${label})` };

  const seen = ['dmarc', 'dkim', 'spf'].flatMap((method) => topmost(method).map((r) => `${method}=${r.result}`));
  return { verified: false, reason: `no aligned pass for ${fromDomain} (${seen.join(', ') || 'no results'}; ${label})` };
}
