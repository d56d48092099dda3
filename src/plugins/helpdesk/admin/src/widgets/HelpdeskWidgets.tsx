import type { ReactNode } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { Widget } from '@strapi/strapi/admin';
import { Link } from 'react-router-dom';
import { StatusBadge } from '../components/TicketBadges';
import { TICKET_STATUSES } from '../lib/labels';
import type { OpenTicketStatus } from '../../../shared/contract';
import { useDashboard, type Dashboard } from './useDashboard';
import { INBOX_VIEW } from './views';

/** Loading and error states shared by every widget; `render` gets the figures. */
const WithDashboard = ({ render }: { render: (data: Dashboard) => ReactNode }) => {
  const state = useDashboard();
  if (state.status === 'loading') return <Widget.Loading />;
  if (state.status === 'error') return <Widget.Error>Could not load the helpdesk figures.</Widget.Error>;
  return <>{render(state.data)}</>;
};

/** One big figure that opens an inbox view, with a line saying what it counts. */
const BigCount = ({ count, caption, to, testId, alarm = false }: { count: number; caption: string; to: string; testId: string; alarm?: boolean }) => (
  <Flex direction="column" justifyContent="center" alignItems="center" height="100%" gap={2}>
    <Link to={to} style={{ textDecoration: 'none' }} aria-label={`${count} ${caption}`}>
      <Typography
        tag="span"
        fontWeight="bold"
        textColor={alarm && count > 0 ? 'danger600' : 'neutral800'}
        style={{ fontSize: '4.8rem', lineHeight: 1.1 }}
        data-testid={testId}
        data-count={count}
      >
        {count}
      </Typography>
    </Link>
    <Typography variant="omega" textColor="neutral600" textAlign="center">
      {caption}
    </Typography>
  </Flex>
);

export const OpenByStatusWidget = () => (
  <WithDashboard
    render={(data) => {
      const statuses = TICKET_STATUSES.filter((status): status is OpenTicketStatus => status in data.byStatus);
      const top = Math.max(1, ...statuses.map((status) => data.byStatus[status]));
      return (
        <Flex direction="column" alignItems="stretch" gap={2} data-testid="helpdesk-widget-by-status">
          <Typography variant="omega" textColor="neutral600">
            <Link to={INBOX_VIEW.open} style={{ textDecoration: 'none' }}>
              <Typography fontWeight="bold" textColor="neutral800" data-testid="helpdesk-widget-open-count" data-count={data.open}>
                {data.open}
              </Typography>
            </Link>{' '}
            open tickets
          </Typography>
          {statuses.map((status) => (
            <Flex key={status} gap={2} data-status-row={status} data-count={data.byStatus[status]}>
              <Box style={{ width: '11rem', flexShrink: 0 }}>
                <StatusBadge value={status} />
              </Box>
              <Box flex="1" background="neutral150" hasRadius style={{ height: '0.8rem' }}>
                <Box
                  background="primary500"
                  hasRadius
                  style={{ height: '0.8rem', width: `${(data.byStatus[status] / top) * 100}%` }}
                />
              </Box>
              <Typography variant="omega" fontWeight="semiBold" style={{ width: '4rem', textAlign: 'right' }}>
                {data.byStatus[status]}
              </Typography>
            </Flex>
          ))}
        </Flex>
      );
    }}
  />
);

export const OverdueWidget = () => (
  <WithDashboard
    render={(data) => (
      <BigCount count={data.overdue} caption="open tickets past their due date" to={INBOX_VIEW.overdue} testId="helpdesk-widget-overdue-count" alarm />
    )}
  />
);

export const UnassignedWidget = () => (
  <WithDashboard
    render={(data) => (
      <BigCount count={data.unassigned} caption="open tickets nobody has taken" to={INBOX_VIEW.unassigned} testId="helpdesk-widget-unassigned-count" />
    )}
  />
);

export const MyTicketsWidget = () => (
  <WithDashboard
    render={(data) =>
      data.mine === null ? (
        <Flex height="100%" alignItems="center" justifyContent="center" padding={4}>
          <Typography variant="omega" textColor="neutral600" textAlign="center" data-testid="helpdesk-widget-mine-hint">
            {data.mineHint}
          </Typography>
        </Flex>
      ) : (
        <BigCount count={data.mine} caption="open tickets assigned to you" to={INBOX_VIEW.my} testId="helpdesk-widget-mine-count" />
      )
    }
  />
);

const CHART = { width: 560, height: 150, top: 12, bottom: 22, left: 24 };
const CREATED_COLOUR = '#4945ff';
const RESOLVED_COLOUR = '#328048';

/** Created and resolved per day as paired bars (plain SVG), today on the right. */
export const CreatedVsResolvedWidget = () => (
  <WithDashboard
    render={({ createdVsResolved: days }) => {
      const top = Math.max(1, ...days.flatMap((day) => [day.created, day.resolved]));
      const plotHeight = CHART.height - CHART.top - CHART.bottom;
      const slot = (CHART.width - CHART.left) / days.length;
      const bar = Math.max(2, slot / 2 - 3);
      const y = (count: number) => CHART.top + plotHeight - (count / top) * plotHeight;
      const created = days.reduce((sum, day) => sum + day.created, 0);
      const resolved = days.reduce((sum, day) => sum + day.resolved, 0);
      return (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Flex gap={4}>
            <Legend colour={CREATED_COLOUR} label={`Created: ${created}`} />
            <Legend colour={RESOLVED_COLOUR} label={`Resolved: ${resolved}`} />
          </Flex>
          <svg
            viewBox={`0 0 ${CHART.width} ${CHART.height}`}
            width="100%"
            role="img"
            aria-label={`Tickets created and resolved per day over the last ${days.length} days`}
            data-testid="helpdesk-widget-trend"
          >
            <line x1={CHART.left} x2={CHART.width} y1={y(0)} y2={y(0)} stroke="#dcdce4" />
            <text x={CHART.left - 4} y={y(top) + 4} fontSize="10" textAnchor="end" fill="#666687">
              {top}
            </text>
            <text x={CHART.left - 4} y={y(0)} fontSize="10" textAnchor="end" fill="#666687">
              0
            </text>
            {days.map((day, i) => {
              const x = CHART.left + i * slot + 2;
              return (
                <g key={day.date} data-date={day.date} data-created={day.created} data-resolved={day.resolved}>
                  <title>{`${day.date}: ${day.created} created, ${day.resolved} resolved`}</title>
                  <rect x={x} y={y(day.created)} width={bar} height={y(0) - y(day.created)} fill={CREATED_COLOUR} rx="1" />
                  <rect x={x + bar + 1} y={y(day.resolved)} width={bar} height={y(0) - y(day.resolved)} fill={RESOLVED_COLOUR} rx="1" />
                  {(i % 2 === 1 || i === days.length - 1) && (
                    <text x={x + bar} y={CHART.height - 6} fontSize="9" textAnchor="middle" fill="#666687">
                      {day.date.slice(5)}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
        </Flex>
      );
    }}
  />
);

const Legend = ({ colour, label }: { colour: string; label: string }) => (
  <Flex gap={1}>
    <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: colour }} />
    <Typography variant="pi" textColor="neutral700">
      {label}
    </Typography>
  </Flex>
);
