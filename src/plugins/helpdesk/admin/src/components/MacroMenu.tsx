import { Flex, MenuItem, SimpleMenu, Typography } from '@strapi/design-system';
import type { MacroView } from '../../../shared/contract';

interface MacroMenuProps {
  macros: MacroView[];
  disabled?: boolean;
  onApply: (macro: MacroView) => void;
}

/** "Apply macro": each macro with what it does, in the ticket view's header and the inbox's bulk bar. */
export const MacroMenu = ({ macros, disabled, onApply }: MacroMenuProps) => (
  <SimpleMenu label="Apply macro" variant="secondary" disabled={disabled || macros.length === 0}>
    {macros.map((macro) => (
      <MenuItem key={macro.id} onSelect={() => onApply(macro)}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography fontWeight="bold">{macro.title}</Typography>
          <Typography variant="pi" textColor="neutral600">
            {macro.actions.join(' · ') || 'Does nothing yet'}
          </Typography>
        </Flex>
      </MenuItem>
    ))}
  </SimpleMenu>
);
