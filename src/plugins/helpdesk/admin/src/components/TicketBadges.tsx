import { Badge } from '@strapi/design-system';
import { PRIORITY_LABELS, STATUS_LABELS, labelOf } from '../lib/labels';

type Variant = 'success' | 'primary' | 'danger' | 'warning' | 'neutral' | 'secondary' | 'alternative';

const STATUS_VARIANTS: Record<string, Variant> = {
  new: 'primary',
  open: 'secondary',
  reopened: 'secondary',
  in_progress: 'alternative',
  pending: 'warning',
  on_hold: 'warning',
  resolved: 'success',
  closed: 'neutral',
};

const PRIORITY_VARIANTS: Record<string, Variant> = {
  critical: 'danger',
  urgent: 'danger',
  high: 'warning',
  medium: 'secondary',
  low: 'neutral',
};

/** A ticket's status as a coloured badge (the colour groups: new, being worked, waiting, done). */
export const StatusBadge = ({ value }: { value: string | null | undefined }) => (
  <Badge variant={STATUS_VARIANTS[value ?? ''] ?? 'neutral'} data-status={value ?? ''}>
    {labelOf(STATUS_LABELS, value)}
  </Badge>
);

/** A ticket's priority as a coloured badge (red for critical and urgent, amber for high). */
export const PriorityBadge = ({ value }: { value: string | null | undefined }) => (
  <Badge variant={PRIORITY_VARIANTS[value ?? ''] ?? 'neutral'} data-priority={value ?? ''}>
    {labelOf(PRIORITY_LABELS, value)}
  </Badge>
);
