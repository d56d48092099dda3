import { isFetchError } from '@strapi/strapi/admin';
import type { Priority, TicketStatus } from '../../lib/labels';

/** GET/PUT /helpdesk-admin/settings (src/api/helpdesk-setting/services/helpdesk-setting.ts). */
export interface HelpdeskSettings {
  companyName: string;
  supportAddress: string | null;
  autoReplyEnabled: boolean;
  publicBaseUrl: string | null;
  slaPolicy: Record<Priority, { firstResponseHours: number | null; resolutionHours: number | null }>;
  notifyRequesterOnStatus: TicketStatus[];
  reopenOnRequesterReply: boolean;
  openOnFirstReply: boolean;
  slaWarningMinutes: number;
}

/** GET /helpdesk-admin/settings/mail (secrets arrive masked) and POST /helpdesk-admin/settings/test-mail. */
export type { MailConfigView as MailConfig, TestMailResult } from '../../../../shared/contract';

/** GET /helpdesk-admin/settings/mail/health and POST /helpdesk-admin/settings/mail/check ("Check now"). */
export type { MailHealthView as MailHealth, MailCheckResult } from '../../../../shared/contract';

/** Field errors of a 400 (keyed by path, "slaPolicy.high.resolutionHours"), and its message. */
export interface ApiProblem {
  message: string;
  fields: Record<string, string>;
}

export function problemOf(error: unknown): ApiProblem {
  if (isFetchError(error)) {
    const apiError = error.response?.data?.error;
    const details = (apiError?.details ?? {}) as { errors?: Array<{ path: Array<string | number>; message: string }> };
    const fields: Record<string, string> = {};
    for (const entry of details.errors ?? []) fields[entry.path.join('.')] = entry.message;
    return { message: apiError?.message ?? error.message, fields };
  }
  return { message: error instanceof Error ? error.message : String(error), fields: {} };
}
