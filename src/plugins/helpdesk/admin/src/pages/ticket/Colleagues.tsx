import { Box, Flex, Typography } from '@strapi/design-system';
import { Eye, Pencil } from '@strapi/icons';
import type { Colleague } from '../../lib/live';

/** Who else has this ticket open, and who is writing a reply: above the composer, so a second reply is not written blind. */
export const Colleagues = ({ colleagues }: { colleagues: Colleague[] }) => (
  <Box role="status" aria-live="polite" aria-label="Colleagues on this ticket">
    {colleagues.length > 0 && (
      <Flex direction="column" alignItems="flex-start" gap={1} padding={3} background="secondary100" hasRadius>
        {colleagues.map((colleague) => (
          <Flex key={colleague.id} gap={2} data-colleague={colleague.name} data-typing={colleague.typing}>
            {colleague.typing ? <Pencil fill="secondary700" /> : <Eye fill="secondary700" />}
            <Typography variant="omega" textColor="secondary700" fontWeight={colleague.typing ? 'bold' : 'regular'}>
              {colleague.typing ? `${colleague.name} is typing a reply…` : `${colleague.name} is viewing this ticket`}
            </Typography>
          </Flex>
        ))}
      </Flex>
    )}
  </Box>
);
