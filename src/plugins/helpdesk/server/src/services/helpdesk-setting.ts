import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { z } from '@strapi/utils';
import { HELPDESK_SETTING } from '../../../shared/uids';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../domain/sla';
import { TICKET_STATUSES, type TicketStatus } from '../domain/ticket-rules';
import { cachedLookup } from '../db/lookup-cache';
import schema from '../content-types/helpdesk-setting/schema.json';

export interface HelpdeskSettings {
  companyName: string;
  /** The team's address: new-ticket notifications go there. */
  supportAddress: string | null;
  autoReplyEnabled: boolean;
  publicBaseUrl: string | null;
  /** First-response and resolution targets per priority (hours). */
  slaPolicy: SlaPolicy;
  /** The statuses whose reaching is mailed to the requester (status_changed template). */
  notifyRequesterOnStatus: TicketStatus[];
  /** A requester's reply to a resolved or closed ticket reopens it. */
  reopenOnRequesterReply: boolean;
  /** The first public staff reply moves a New ticket to Open. */
  openOnFirstReply: boolean;
  /** How long before an SLA target passes its agent is warned (minutes; 0: no warnings). */
  slaWarningMinutes: number;
}

const DEFAULTS: HelpdeskSettings = {
  companyName: 'Helpdesk',
  supportAddress: null,
  autoReplyEnabled: true,
  publicBaseUrl: null,
  slaPolicy: DEFAULT_SLA_POLICY,
  notifyRequesterOnStatus: ['pending', 'resolved', 'closed', 'reopened'],
  reopenOnRequesterReply: true,
  openOnFirstReply: true,
  slaWarningMinutes: 60,
};

const hours = z.number().positive().max(100_000);
const target = z.object({ firstResponseHours: hours, resolutionHours: hours });
const slaPolicy = z.object({ low: target, medium: target, high: target, urgent: target, critical: target }).partial();
const notifyStatuses = z.array(z.enum(TICKET_STATUSES));

const attributes = schema.attributes;
/** Optional text staff may clear: '' and null both mean "not set". */
const clearable = <T extends z.ZodTypeAny>(field: T) => z.union([z.literal('').transform(() => null), z.null(), field]);
const checkedTarget = target.strict().refine((value) => value.firstResponseHours <= value.resolutionHours, {
  message: 'must not exceed resolutionHours (the first reply cannot be due after the resolution)',
  path: ['firstResponseHours'],
});

/**
 * What staff may change (Settings → Helpdesk), each key optional: a change to some leaves the
 * others as they are. Unknown keys, out-of-range hours and malformed addresses are refused.
 */
export const settingsInput = z
  .object({
    companyName: z.string().trim().min(1).max(attributes.companyName.maxLength),
    supportAddress: clearable(z.string().trim().toLowerCase().email().max(attributes.supportAddress.maxLength)),
    autoReplyEnabled: z.boolean(),
    publicBaseUrl: clearable(
      z
        .string()
        .trim()
        .max(attributes.publicBaseUrl.maxLength)
        .url()
        .refine((url) => /^https?:\/\//i.test(url), { message: 'must be an http(s) address' })
    ),
    slaPolicy: z
      .object({ low: checkedTarget, medium: checkedTarget, high: checkedTarget, urgent: checkedTarget, critical: checkedTarget })
      .strict()
      .partial(),
    notifyRequesterOnStatus: notifyStatuses.max(TICKET_STATUSES.length).refine((list) => new Set(list).size === list.length, {
      message: 'lists a status twice',
    }),
    reopenOnRequesterReply: z.boolean(),
    openOnFirstReply: z.boolean(),
    slaWarningMinutes: z.number().int().min(attributes.slaWarningMinutes.min).max(attributes.slaWarningMinutes.max),
  })
  .strict()
  .partial();

export type SettingsInput = z.infer<typeof settingsInput>;

type StoredSettings = Partial<Omit<HelpdeskSettings, 'slaPolicy' | 'notifyRequesterOnStatus'>> & {
  slaPolicy?: unknown;
  notifyRequesterOnStatus?: unknown;
};

export const settingsActions = (strapi: Core.Strapi) => ({
  /** The settings staff saved in the admin panel, with defaults for what they have not set (or set malformed). */
  current: () => currentSettings(strapi),

  /**
   * Saves a change staff made (already validated with settingsInput): SLA targets are merged per
   * priority onto the current policy, so the stored policy is always complete. Returns the result.
   */
  async save(change: SettingsInput): Promise<HelpdeskSettings> {
    const current = await currentSettings(strapi);
    const data: Record<string, unknown> = { ...change };
    if (change.slaPolicy) data.slaPolicy = { ...current.slaPolicy, ...change.slaPolicy };
    const documents = strapi.documents(HELPDESK_SETTING);
    const existing = await documents.findFirst({ fields: ['documentId'] });
    if (existing) await documents.update({ documentId: existing.documentId, data } as never);
    else await documents.create({ data } as never);
    return currentSettings(strapi);
  },
});

async function currentSettings(strapi: Core.Strapi): Promise<HelpdeskSettings> {
  // once per lookup scope (an ingestion batch); from the database every time elsewhere
  const saved = await cachedLookup('helpdesk-settings', () => strapi.db.query(HELPDESK_SETTING).findOne({}) as Promise<StoredSettings | null>);
  const policy = slaPolicy.safeParse(saved?.slaPolicy ?? {});
  const notify = notifyStatuses.safeParse(saved?.notifyRequesterOnStatus);
  return {
    companyName: saved?.companyName || DEFAULTS.companyName,
    supportAddress: saved?.supportAddress || DEFAULTS.supportAddress,
    autoReplyEnabled: saved?.autoReplyEnabled ?? DEFAULTS.autoReplyEnabled,
    publicBaseUrl: saved?.publicBaseUrl || DEFAULTS.publicBaseUrl,
    slaPolicy: { ...DEFAULTS.slaPolicy, ...(policy.success ? policy.data : {}) },
    notifyRequesterOnStatus: notify.success ? notify.data : DEFAULTS.notifyRequesterOnStatus,
    reopenOnRequesterReply: saved?.reopenOnRequesterReply ?? DEFAULTS.reopenOnRequesterReply,
    openOnFirstReply: saved?.openOnFirstReply ?? DEFAULTS.openOnFirstReply,
    slaWarningMinutes: saved?.slaWarningMinutes ?? DEFAULTS.slaWarningMinutes,
  };
}

export type SettingsService = ReturnType<typeof settingsActions>;

export default factories.createCoreService(HELPDESK_SETTING, ({ strapi }) => settingsActions(strapi));
