import type { Core } from '@strapi/strapi';
import type { AdminContext } from '../admin-route';
import { agentsService } from './service';
import { validateMakeMeAgent, validateStaffCreate } from './validators';

interface RequestBody {
  request: { body?: unknown };
}

export const agentsController = {
  async list(ctx: AdminContext, strapi: Core.Strapi) {
    ctx.body = await agentsService(strapi).list(ctx.state.user);
  },

  async create(ctx: AdminContext, strapi: Core.Strapi) {
    const input = validateStaffCreate((ctx as unknown as RequestBody).request.body);
    const result = await agentsService(strapi).create(input, ctx.state.user);
    ctx.status = 201;
    ctx.body = { data: result };
  },

  async makeMe(ctx: AdminContext, strapi: Core.Strapi) {
    const { password } = validateMakeMeAgent((ctx as unknown as RequestBody).request.body);
    const result = await agentsService(strapi).makeMeAgent(ctx.state.user, password);
    ctx.status = 201;
    ctx.body = { data: result };
  },
};
