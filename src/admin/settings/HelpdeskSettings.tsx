import { Layouts, Page } from '@strapi/strapi/admin';

const HelpdeskSettings = () => (
  <Page.Main>
    <Page.Title>Helpdesk</Page.Title>
    <Layouts.Header title="HelpdeskSettings" />
  </Page.Main>
);

export default HelpdeskSettings;
