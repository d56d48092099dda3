import { lifecycle } from './lifecycle';
import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import middlewares from './middlewares';

/** The helpdesk plugin's server: what Strapi loads from ./strapi-server. */
export default {
  register: lifecycle.register,
  bootstrap: lifecycle.bootstrap,
  destroy: lifecycle.destroy,
  config: { default: {}, validator: () => undefined },
  contentTypes,
  controllers,
  services,
  routes,
  middlewares,
  policies: {},
};
