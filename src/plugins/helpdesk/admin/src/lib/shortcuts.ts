import { useEffect, useRef } from 'react';

/** A key and what it does, as the `?` list shows it. */
export interface Shortcut {
  keys: string;
  does: string;
}

export const TICKET_SHORTCUTS: Shortcut[] = [
  { keys: 'r', does: 'Write a public reply' },
  { keys: 'n', does: 'Write an internal note' },
  { keys: 'Ctrl + Enter', does: 'Send what you wrote' },
  { keys: '/ (in an empty reply)', does: 'Insert a canned reply' },
  { keys: 'a', does: 'Assign the ticket to me' },
  { keys: 's', does: 'Set the status' },
  { keys: 'j / k', does: 'Next / previous ticket of the inbox' },
  { keys: 'i', does: 'Back to the inbox' },
  { keys: '?', does: 'Show these shortcuts' },
];

export const INBOX_SHORTCUTS: Shortcut[] = [
  { keys: 'j / k', does: 'Next / previous ticket in the list' },
  { keys: 'o or Enter', does: 'Open the marked ticket' },
  { keys: '/', does: 'Search' },
  { keys: '?', does: 'Show these shortcuts' },
];

/** Typing in a field, or a dialog open: single keys are text there, not commands. */
function typingSomewhere(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return document.querySelector('[role="dialog"], [role="alertdialog"], [role="listbox"], [role="menu"]') !== null;
}

/** Single-key shortcuts (`j`, `?`, ...) while the page is shown; ignored with a modifier key or while typing. */
export function useShortcuts(handlers: Record<string, () => void>): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingSomewhere(event)) return;
      const handler = latest.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The inbox's order of tickets, for "next / previous ticket" in the ticket view (this tab only). */
const ORDER_KEY = 'helpdesk.inboxOrder';

export function rememberInboxOrder(documentIds: string[]): void {
  sessionStorage.setItem(ORDER_KEY, JSON.stringify(documentIds));
}

export function neighbourInInbox(documentId: string, step: 1 | -1): string | null {
  try {
    const order = JSON.parse(sessionStorage.getItem(ORDER_KEY) ?? '[]') as string[];
    const at = order.indexOf(documentId);
    return at < 0 ? null : order[at + step] ?? null;
  } catch {
    return null;
  }
}
