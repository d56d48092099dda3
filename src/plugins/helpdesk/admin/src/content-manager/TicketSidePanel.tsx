import { Link as RouterLink } from 'react-router-dom';
import { Flex, LinkButton, Typography } from '@strapi/design-system';
import { Discuss } from '@strapi/icons';
import { TICKET } from '../../../shared/uids';


/** What the Content Manager passes each edit-view side panel (its EditViewContext, the part used here). */
interface EditViewContext {
  model: string;
  documentId?: string;
}

/**
 * A side panel on a ticket's Content Manager page that leads to the ticket's Helpdesk view, where
 * staff read the conversation, reply and change status: the raw record is not where they work.
 */
export const TicketSidePanel = ({ model, documentId }: EditViewContext) => {
  if (model !== TICKET || !documentId) return null;
  return {
    title: 'Helpdesk',
    content: (
      <Flex direction="column" alignItems="stretch" gap={2} width="100%">
        <Typography variant="pi" textColor="neutral600">
          The conversation, replies and status changes are in the Helpdesk.
        </Typography>
        <LinkButton tag={RouterLink} to={`/helpdesk/tickets/${documentId}`} variant="secondary" startIcon={<Discuss />} fullWidth>
          Open in Helpdesk
        </LinkButton>
      </Flex>
    ),
  };
};
