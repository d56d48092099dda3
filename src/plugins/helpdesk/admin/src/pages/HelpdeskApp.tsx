import { Route, Routes } from 'react-router-dom';
import { Inbox } from './Inbox';
import { TicketView } from './TicketView';

/** The Helpdesk menu entry: the inbox, and one ticket at tickets/:documentId. */
const HelpdeskApp = () => (
  <Routes>
    <Route index element={<Inbox />} />
    <Route path="tickets/:documentId" element={<TicketView />} />
  </Routes>
);

export default HelpdeskApp;
