import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { mailboxAddresses } from '../mail-ingestion/config';

/**
 * A signed reply address per agent, `support+a<agentId>.<hmac10>@domain`, set as Reply-To on the
 * mails the helpdesk sends that agent (assignment notifications). A reply that carries it on To/Cc
 * from that agent's address is the agent's (nobody else was given the address): the large helpdesks
 * do the same where the sender's domain has no SPF/DKIM/DMARC to go by.
 */

const TAG = /^a(\d{1,12})\.([0-9a-f]{10})$/;

/** Its own key derived from APP_KEYS (never the APP_KEYS themselves). */
export function agentReplyKey(appKeys: readonly string[]): Buffer {
  return createHash('sha256').update(`agent-reply-address:${appKeys.join(',')}`).digest();
}

/** Bound to the agent's address too: once it changes, the old reply address stops counting. */
const signature = (key: Buffer, agentId: number, agentEmail: string): string =>
  createHmac('sha256', key).update(`${agentId}:${agentEmail.trim().toLowerCase()}`).digest('hex').slice(0, 10);

export function signedAgentAddress(base: string, key: Buffer, agentId: number, agentEmail: string): string {
  const at = base.lastIndexOf('@');
  return `${base.slice(0, at)}+a${agentId}.${signature(key, agentId, agentEmail)}${base.slice(at)}`.toLowerCase();
}

/** Whether `address` is the signed reply address of this agent on `base`. */
export function isSignedAgentAddress(address: string, base: string, key: Buffer, agentId: number, agentEmail: string): boolean {
  const at = base.lastIndexOf('@');
  const [local, domain] = [base.slice(0, at).toLowerCase(), base.slice(at + 1).toLowerCase()];
  const candidate = address.toLowerCase();
  const prefix = `${local}+`;
  const suffix = `@${domain}`;
  if (!candidate.startsWith(prefix) || !candidate.endsWith(suffix)) return false;
  const tag = TAG.exec(candidate.slice(prefix.length, candidate.length - suffix.length));
  if (!tag || Number(tag[1]) !== agentId) return false;
  const expected = Buffer.from(signature(key, agentId, agentEmail));
  const given = Buffer.from(tag[2]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The key and the mailbox address replies go to; null when no mailbox address is configured. */
export function agentReplySettings(strapi: Core.Strapi): { base: string; key: Buffer } | null {
  const base = mailboxAddresses()[0];
  const keys = strapi.config.get('server.app.keys', []) as string[];
  if (!base || keys.length === 0) return null;
  return { base, key: agentReplyKey(keys) };
}
