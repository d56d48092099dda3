import { lifecycle } from './lifecycle';
import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import middlewares from './middlewares';
import config from './config';

/** The helpdesk plugin's server: what Strapi loads from ./strapi-server. */
export default {
  register: lifecycle.register,
  bootstrap: lifecycle.bootstrap,
  destroy: lifecycle.destroy,
  config,
  contentTypes,
  controllers,
  services,
  routes,
  middlewares,
  policies: {},
};
