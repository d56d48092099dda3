/** What GET /helpdesk-admin/tickets/:documentId answers (src/back-office/ticket-view/service.ts). */
export interface TimelineAttachment {
  id: number;
  name: string;
  size: number | null;
  mime: string | null;
  url: string | null;
}

export type MessageKind = 'opening' | 'customer' | 'public_reply' | 'internal_note';

export type TimelineItem =
  | { type: 'message'; kind: MessageKind; id: string; at: string; author: string; body: string; attachments: TimelineAttachment[] }
  | { type: 'event'; id: string; at: string; action: string; text: string; note: string | null }
  | { type: 'attachment'; id: string; at: string; author: string; attachment: TimelineAttachment };

export interface TicketViewData {
  ticket: {
    documentId: string;
    number: string;
    subject: string;
    description: string | null;
    status: string;
    /** Where the status may go from here (the server's transition table). */
    nextStatuses: string[];
    priority: string;
    category: string;
    source: string;
    dueDate: string | null;
    overdue: boolean;
    tags: string[];
    createdAt: string;
    assignee: { id: number; documentId: string; name: string } | null;
  };
  requester: {
    name: string;
    email: string | null;
    phone: string | null;
    company: string | null;
    otherTickets: Array<{ documentId: string; number: string; subject: string; status: string }>;
  };
  timeline: TimelineItem[];
  viewer: { agentId: number; name: string } | null;
}

/** GET /helpdesk-admin/agents (the inbox's route). */
export interface Agent {
  id: number;
  documentId: string;
  name: string;
  email: string;
  isMe: boolean;
}

/** Fields the side panel edits with PUT /helpdesk-admin/tickets/:documentId. */
export interface FieldChanges {
  priority?: string;
  category?: string;
  dueDate?: string | null;
  tags?: string[];
}
