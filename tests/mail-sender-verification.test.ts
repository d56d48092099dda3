/**
 * The sender verification stage (src/mail-ingestion/sender-verification.ts): Authentication-Results
 * (RFC 8601) as Gmail, Microsoft 365 and Postfix with OpenDKIM/OpenDMARC write them, and whether
 * they vouch for a From address. Mails go through the parse stage first, as in the pipeline.
 */
import { parseMail } from '../src/plugins/helpdesk/server/src/mail-ingestion/parse';
import { aligned, parseAuthenticationResults, verifySender } from '../src/plugins/helpdesk/server/src/mail-ingestion/sender-verification';

/** Gmail (IMAP mailbox at Gmail or Google Workspace), as it arrives: one header, folded. */
const GMAIL = [
  'mx.google.com;',
  '       dkim=pass header.i=@example.com header.s=google header.b=Ab1cD2eF;',
  '       arc=pass (i=1 spf=pass spfdomain=example.com dkim=pass dkdomain=example.com dmarc=pass fromdomain=example.com);',
  '       spf=pass (google.com: domain of ada@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=ada@example.com;',
  '       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.com',
].join('\r\n');

/** Microsoft 365: no authserv-id (a known deviation from RFC 8601) and a bare `action=`. */
const M365 = [
  'spf=pass (sender IP is 40.107.22.50)',
  ' smtp.mailfrom=contoso.com; dkim=pass (signature was verified)',
  ' header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass',
  ' reason=100',
].join('\r\n');

/** Postfix with OpenDMARC (topmost), OpenDKIM and an SPF policy daemon: one header each. */
const POSTFIX = [
  'mail.example.org; dmarc=pass (p=none dis=none) header.from=example.org',
  'mail.example.org;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=example.org header.i=@example.org header.a=rsa-sha256 header.s=mail header.b="kR5mGq2x";\r\n\tdkim-atps=neutral',
  'mail.example.org; spf=pass smtp.mailfrom=example.org',
];

const raw = (headers: string[], from: string): Buffer =>
  Buffer.from(
    [...headers.map((value) => `Authentication-Results: ${value}`), `From: ${from}`, 'To: support@helpdesk.example', 'Subject: Re: [TKT-2026-00001] Printer', 'Message-ID: <x@example.com>', '', 'Done.', ''].join('\r\n')
  );

describe('Authentication-Results parser', () => {
  it('reads Gmail\'s header: authserv-id, every method, comments dropped, properties kept', async () => {
    const mail = await parseMail(raw([GMAIL], 'ada@example.com'));
    expect(mail.authenticationResults).toHaveLength(1);
    const parsed = parseAuthenticationResults(mail.authenticationResults[0]);
    expect(parsed?.authservId).toBe('mx.google.com');
    expect(parsed?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'arc=pass', 'spf=pass', 'dmarc=pass']);
    expect(parsed?.results[0].properties).toEqual({ 'header.i': '@example.com', 'header.s': 'google', 'header.b': 'Ab1cD2eF' });
    expect(parsed?.results[2].properties).toEqual({ 'smtp.mailfrom': 'ada@example.com' });
    expect(parsed?.results[3].properties).toEqual({ 'header.from': 'example.com' });
  });

  it("reads Microsoft 365's header, which has no authserv-id", () => {
    const parsed = parseAuthenticationResults(M365.replace(/\r\n/g, ''));
    expect(parsed?.authservId).toBe('');
    expect(parsed?.results).toEqual([
      { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'contoso.com' } },
      { method: 'dkim', result: 'pass', properties: { 'header.d': 'contoso.com' } },
      { method: 'dmarc', result: 'pass', properties: { action: 'none', 'header.from': 'contoso.com' } },
      { method: 'compauth', result: 'pass', properties: { reason: '100' } },
    ]);
  });

  it('reads OpenDMARC and OpenDKIM headers, in the order they stand', async () => {
    const mail = await parseMail(raw(POSTFIX, 'olga@example.org'));
    const parsed = mail.authenticationResults.map(parseAuthenticationResults);
    expect(parsed.map((header) => header?.authservId)).toEqual(['mail.example.org', 'mail.example.org', 'mail.example.org']);
    expect(parsed[0]?.results).toEqual([{ method: 'dmarc', result: 'pass', properties: { 'header.from': 'example.org' } }]);
    expect(parsed[1]?.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'dkim-atps=neutral']);
    expect(parsed[1]?.results[0].properties['header.b']).toBe('kR5mGq2x');
  });

  it('takes a version, a method version, CFWS around "=", nested comments, a value with "=", and "none"', () => {
    expect(parseAuthenticationResults('mx.example.net 1; dkim/1 = pass (good (very)) header.d = example.net header.b=abc+/de=; spf=fail')).toEqual({
      authservId: 'mx.example.net',
      results: [
        { method: 'dkim', result: 'pass', properties: { 'header.d': 'example.net', 'header.b': 'abc+/de=' } },
        { method: 'spf', result: 'fail', properties: {} },
      ],
    });
    expect(parseAuthenticationResults('"mx.example.net"; none')).toEqual({ authservId: 'mx.example.net', results: [] });
    expect(parseAuthenticationResults('')).toBeNull();
  });

  it('reads crafted headers in one pass (no backtracking)', () => {
    const started = process.hrtime.bigint();
    for (const crafted of ['('.repeat(8000), '"'.repeat(8000), `a; ${'x='.repeat(4000)}`, `a; ${'\\('.repeat(4000)}`, 'a;'.repeat(4000)]) {
      parseAuthenticationResults(crafted);
      verifySender([crafted, crafted], 'a', 'ada@example.com');
    }
    console.log(`5 crafted 8 KB headers parsed in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
  });
});

describe('sender verification', () => {
  const verify = async (headers: string[], trusted: string | null, from: string) => {
    const mail = await parseMail(raw(headers, from));
    return verifySender(mail.authenticationResults, trusted, mail.from?.address);
  };

  it('trusts dmarc=pass from the trusted authserv-id (Gmail, Postfix+OpenDMARC, Microsoft 365)', async () => {
    expect(await verify([GMAIL], 'mx.google.com', 'ada@example.com')).toEqual({ verified: true, reason: 'dmarc=pass (mx.google.com)' });
    expect((await verify(POSTFIX, 'mail.example.org', 'olga@example.org')).verified).toBe(true);
    expect((await verify([M365], 'microsoft365', 'bob@contoso.com')).verified).toBe(true);
  });

  it('trusts nothing without INGEST_TRUSTED_AUTHSERV_ID, or from another authserv-id', async () => {
    expect(await verify([GMAIL], null, 'ada@example.com')).toMatchObject({ verified: false, reason: 'INGEST_TRUSTED_AUTHSERV_ID is not set' });
    expect(await verify([GMAIL], 'mail.example.org', 'ada@example.com')).toMatchObject({ verified: false });
    // Microsoft's header has no authserv-id: it counts only when that is what is trusted
    expect((await verify([M365], 'mx.google.com', 'bob@contoso.com')).verified).toBe(false);
  });

  it('refuses dmarc=fail whatever SPF and DKIM say, and a pass for another From domain', async () => {
    const failed = 'mx.google.com; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com; dmarc=fail (p=REJECT) header.from=example.com';
    expect(await verify([failed], 'mx.google.com', 'ada@example.com')).toMatchObject({ verified: false, reason: 'dmarc=fail (mx.google.com)' });
    expect((await verify(['mx.google.com; dmarc=pass header.from=attacker.test'], 'mx.google.com', 'ada@example.com')).verified).toBe(false);
  });

  it('ignores forged headers: below another authserv-id, or below our MTA\'s own result of the same method', async () => {
    const forged = 'mx.google.com; dmarc=pass header.from=example.com';
    // the attacker's relay wrote its own results; the forged "trusted" one is under them
    expect((await verify(['mx.google.com; spf=softfail smtp.mailfrom=attacker.test', 'relay.attacker.test; spf=pass', forged], 'mx.google.com', 'ada@example.com')).verified).toBe(false);
    expect((await verify(['relay.attacker.test; dmarc=pass', forged], 'mx.google.com', 'ada@example.com')).verified).toBe(false);
    // our MTA said fail on top; the forged pass right under it does not count
    expect((await verify(['mx.google.com; dmarc=fail header.from=example.com', forged], 'mx.google.com', 'ada@example.com')).verified).toBe(false);
  });

  it('without a DMARC verdict, takes an aligned dkim=pass or spf=pass, and nothing unaligned', async () => {
    const id = 'mail.example.org';
    expect((await verify([`${id}; dkim=pass header.d=example.org`], id, 'olga@example.org')).verified).toBe(true);
    expect((await verify([`${id}; dkim=pass header.d=mail.example.org`], id, 'olga@example.org')).verified).toBe(true);
    expect((await verify([`${id}; dmarc=none header.from=example.org`, `${id}; spf=pass smtp.mailfrom=bounces@example.org`], id, 'olga@sub.example.org')).verified).toBe(true);
    expect((await verify([`${id}; dkim=pass header.d=attacker.test; spf=pass smtp.mailfrom=attacker.test`], id, 'olga@example.org')).verified).toBe(false);
    expect((await verify([`${id}; dkim=fail header.d=example.org; spf=softfail smtp.mailfrom=example.org`], id, 'olga@example.org')).verified).toBe(false);
  });

  it('aligns a domain with its parent or subdomain, never with a bare top-level domain', () => {
    expect(aligned('example.org', 'example.org')).toBe(true);
    expect(aligned('example.org', 'mail.example.org')).toBe(true);
    expect(aligned('mail.example.org', 'example.org')).toBe(true);
    expect(aligned('org', 'example.org')).toBe(false);
    expect(aligned('example.org', 'badexample.org')).toBe(false);
    expect(aligned(null, 'example.org')).toBe(false);
  });
});
