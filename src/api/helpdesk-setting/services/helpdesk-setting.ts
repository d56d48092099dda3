import { factories } from '@strapi/strapi';
import type { Core } from '@strapi/strapi';
import { z } from '@strapi/utils';
import { HELPDESK_SETTING } from '../../../uids';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../ticket/domain/sla';
import { TICKET_STATUSES, type TicketStatus } from '../../ticket/domain/ticket-rules';
import { cachedLookup } from '../../../db/lookup-cache';

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
}

const DEFAULTS: HelpdeskSettings = {
  companyName: 'Helpdesk',
  supportAddress: null,
  autoReplyEnabled: true,
  publicBaseUrl: null,
  slaPolicy: DEFAULT_SLA_POLICY,
  notifyRequesterOnStatus: ['pending', 'resolved', 'closed', 'reopened'],
  reopenOnRequesterReply: true,
};

const hours = z.number().positive().max(100_000);
const target = z.object({ firstResponseHours: hours, resolutionHours: hours });
const slaPolicy = z.object({ low: target, medium: target, high: target, urgent: target, critical: target }).partial();
const notifyStatuses = z.array(z.enum(TICKET_STATUSES));

type StoredSettings = Partial<Omit<HelpdeskSettings, 'slaPolicy' | 'notifyRequesterOnStatus'>> & {
  slaPolicy?: unknown;
  notifyRequesterOnStatus?: unknown;
};

export const settingsActions = (strapi: Core.Strapi) => ({
  /** The settings staff saved in the admin panel, with defaults for what they have not set (or set malformed). */
  async current(): Promise<HelpdeskSettings> {
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
    };
  },
});

export type SettingsService = ReturnType<typeof settingsActions>;

export default factories.createCoreService(HELPDESK_SETTING, ({ strapi }) => settingsActions(strapi));
