import { Layouts, Page } from '@strapi/strapi/admin';

export const Inbox = () => (
  <Page.Main>
    <Page.Title>Helpdesk</Page.Title>
    <Layouts.Header title="Helpdesk" />
  </Page.Main>
);
