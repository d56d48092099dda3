import { Layouts, Page } from '@strapi/strapi/admin';

const Agents = () => (
  <Page.Main>
    <Page.Title>Helpdesk</Page.Title>
    <Layouts.Header title="Agents" />
  </Page.Main>
);

export default Agents;
