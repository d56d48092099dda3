import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import type { Shortcut } from '../lib/shortcuts';

/** The `?` list: every shortcut of the page, in a dialog. */
export const ShortcutsDialog = ({ open, onClose, shortcuts }: { open: boolean; onClose: () => void; shortcuts: Shortcut[] }) => (
  <Dialog.Root open={open} onOpenChange={(next) => !next && onClose()}>
    <Dialog.Content>
      <Dialog.Header>Keyboard shortcuts</Dialog.Header>
      <Dialog.Body>
        <Flex tag="dl" direction="column" alignItems="stretch" gap={2} width="100%" aria-label="Keyboard shortcuts">
          {shortcuts.map((shortcut) => (
            <Flex key={shortcut.keys} justifyContent="space-between" gap={6}>
              <Typography tag="dt" fontWeight="bold" textColor="neutral800">
                {shortcut.keys}
              </Typography>
              <Typography tag="dd" textColor="neutral700">
                {shortcut.does}
              </Typography>
            </Flex>
          ))}
        </Flex>
      </Dialog.Body>
      <Dialog.Footer>
        <Dialog.Cancel>
          <Button variant="tertiary" fullWidth>
            Close
          </Button>
        </Dialog.Cancel>
      </Dialog.Footer>
    </Dialog.Content>
  </Dialog.Root>
);
