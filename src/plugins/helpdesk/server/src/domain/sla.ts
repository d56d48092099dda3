/** Service-level targets per priority, in hours: when the first staff reply and the resolution are due. */
export interface SlaTarget {
  firstResponseHours: number;
  resolutionHours: number;
}

export type SlaPolicy = Record<'low' | 'medium' | 'high' | 'urgent' | 'critical', SlaTarget>;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  critical: { firstResponseHours: 0.5, resolutionHours: 2 },
  urgent: { firstResponseHours: 1, resolutionHours: 4 },
  high: { firstResponseHours: 4, resolutionHours: 24 },
  medium: { firstResponseHours: 8, resolutionHours: 72 },
  low: { firstResponseHours: 24, resolutionHours: 168 },
};

export interface SlaDueDates {
  firstResponseDueAt: Date;
  dueDate: Date;
}

const HOUR_MS = 3_600_000;

/** Due dates for a ticket of `priority` counted from `from` (its creation). */
export function slaDueDates(priority: string, from: Date, policy: SlaPolicy): SlaDueDates | null {
  const target = policy[priority as keyof SlaPolicy];
  if (!target) return null;
  return {
    firstResponseDueAt: new Date(from.getTime() + target.firstResponseHours * HOUR_MS),
    dueDate: new Date(from.getTime() + target.resolutionHours * HOUR_MS),
  };
}
