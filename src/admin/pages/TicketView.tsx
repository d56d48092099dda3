import { Layouts, Page } from '@strapi/strapi/admin';

export const TicketView = () => (
  <Page.Main>
    <Page.Title>Ticket</Page.Title>
    <Layouts.Header title="Ticket" />
  </Page.Main>
);
