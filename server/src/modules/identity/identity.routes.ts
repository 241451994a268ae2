import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import type { AccountService } from './account.service.ts';
import type { ApiKeyService } from './api-key.service.ts';
import * as dto from './identity.dto.ts';
import { PERMISSIONS, ROLES, ROLE_NAMES } from './permissions.ts';
import type { SessionService } from './session.service.ts';
import type { SettingsService } from './settings.service.ts';
import type { SiteService } from './site.service.ts';
import type { UserService } from './user.service.ts';

export interface IdentityServices {
  sessions: SessionService;
  users: UserService;
  sites: SiteService;
  apiKeys: ApiKeyService;
  settings: SettingsService;
  accounts: AccountService;
}

const userId = z.object({ user_id: dto.idParam.shape.id });
const siteId = z.object({ site_id: dto.idParam.shape.id });

export function identityRoutes(services: IdentityServices) {
  const { sessions, users, sites, apiKeys, settings, accounts } = services;
  return async function routes(app: HomApp): Promise<void> {
    const auth = { tags: ['auth'] };
    app.post(
      '/auth/login',
      {
        config: { access: 'public' },
        schema: {
          ...auth,
          summary: 'Sign in with JSON {username, password} or the OAuth2 password form',
          consumes: ['application/json', 'application/x-www-form-urlencoded'],
          body: dto.loginInput,
          response: { 200: dto.tokenOutput },
        },
      },
      (request) => sessions.login(request.ctx, request.body.username, request.body.password),
    );
    app.post(
      '/auth/refresh',
      {
        config: { access: 'public' },
        schema: { ...auth, body: dto.refreshInput, response: { 200: dto.tokenOutput } },
      },
      (request) => sessions.refresh(request.body.refresh_token),
    );
    app.post(
      '/auth/logout',
      { config: { access: 'public' }, schema: { ...auth, body: dto.logoutInput.optional() } },
      async (request, reply) => {
        await sessions.logout(request.ctx, request.body?.refresh_token);
        return reply.status(204).send();
      },
    );
    app.post(
      '/auth/register',
      {
        config: { access: 'public' },
        schema: { ...auth, body: dto.registerInput, response: { 201: dto.userOutput } },
      },
      async (request, reply) => reply.status(201).send(await settings.register(request.ctx, request.body)),
    );
    app.get(
      '/auth/me',
      { config: { access: 'authenticated' }, schema: { ...auth, response: { 200: dto.meOutput } } },
      (request) => accounts.me(request.ctx),
    );
    app.get(
      '/auth/roles',
      {
        config: { access: 'authenticated' },
        schema: {
          ...auth,
          response: {
            200: z.object({
              roles: z.array(
                z.object({ name: z.string(), description: z.string(), permissions: z.array(z.string()) }),
              ),
              permissions: z.array(z.object({ name: z.string(), description: z.string() })),
            }),
          },
        },
      },
      async () => ({
        roles: ROLE_NAMES.map((name) => ({
          name,
          description: ROLES[name].description,
          permissions: [...ROLES[name].permissions],
        })),
        permissions: Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description })),
      }),
    );

    const usersTag = { tags: ['users'] };
    app.get(
      '/auth/users',
      {
        config: { access: { permission: 'user:read' } },
        schema: { ...usersTag, response: { 200: z.array(dto.userOutput) } },
      },
      (request) => users.list(request.ctx),
    );
    app.post(
      '/auth/users',
      {
        config: { access: { permission: 'user:manage' } },
        schema: { ...usersTag, body: dto.createUserInput, response: { 201: dto.userOutput } },
      },
      async (request, reply) => reply.status(201).send(await users.createByAdmin(request.ctx, request.body)),
    );
    app.get(
      '/auth/users/:user_id',
      {
        config: { access: { permission: 'user:read' } },
        schema: { ...usersTag, params: userId, response: { 200: dto.userOutput } },
      },
      (request) => users.get(request.ctx, request.params.user_id),
    );
    app.patch(
      '/auth/users/:user_id',
      {
        config: { access: { permission: 'user:manage' } },
        schema: { ...usersTag, params: userId, body: dto.updateUserInput, response: { 200: dto.userOutput } },
      },
      (request) => users.update(request.ctx, request.params.user_id, request.body),
    );
    app.patch(
      '/auth/users/:user_id/role',
      {
        config: { access: { permission: 'user:manage' } },
        schema: { ...usersTag, params: userId, body: dto.setRoleInput, response: { 200: dto.userOutput } },
      },
      (request) => users.setRole(request.ctx, request.params.user_id, request.body.role),
    );

    const sitesTag = { tags: ['sites'] };
    app.get(
      '/sites',
      {
        config: { access: { permission: 'site:read' } },
        schema: { ...sitesTag, response: { 200: z.array(dto.siteOutput) } },
      },
      (request) => sites.list(request.ctx),
    );
    app.post(
      '/sites',
      {
        config: { access: { permission: 'site:manage' } },
        schema: { ...sitesTag, body: dto.createSiteInput, response: { 201: dto.siteOutput } },
      },
      async (request, reply) => reply.status(201).send(await sites.create(request.ctx, request.body)),
    );
    app.get(
      '/sites/:site_id',
      {
        config: { access: { permission: 'site:read' } },
        schema: { ...sitesTag, params: siteId, response: { 200: dto.siteOutput } },
      },
      (request) => sites.get(request.ctx, request.params.site_id),
    );
    app.patch(
      '/sites/:site_id',
      {
        config: { access: { permission: 'site:manage' } },
        schema: { ...sitesTag, params: siteId, body: dto.updateSiteInput, response: { 200: dto.siteOutput } },
      },
      (request) => sites.update(request.ctx, request.params.site_id, request.body),
    );

    const keysTag = { tags: ['api-keys'] };
    app.get(
      '/api-keys',
      {
        config: { access: { permission: 'apikey:manage' } },
        schema: { ...keysTag, response: { 200: z.array(dto.apiKeyOutput) } },
      },
      (request) => apiKeys.list(request.ctx),
    );
    app.post(
      '/api-keys',
      {
        config: { access: { permission: 'apikey:manage' } },
        schema: {
          ...keysTag,
          body: dto.createApiKeyInput,
          response: { 201: dto.apiKeyOutput.extend({ key: z.string() }) },
        },
      },
      async (request, reply) => reply.status(201).send(await apiKeys.create(request.ctx, request.body)),
    );
    app.post(
      '/api-keys/:id/revoke',
      {
        config: { access: { permission: 'apikey:manage' } },
        schema: { ...keysTag, params: dto.idParam, response: { 200: dto.apiKeyOutput } },
      },
      (request) => apiKeys.revoke(request.ctx, request.params.id),
    );

    const settingsTag = { tags: ['settings'] };
    app.get(
      '/settings',
      {
        config: { access: { permission: 'settings:manage' } },
        schema: { ...settingsTag, response: { 200: dto.settingsInput } },
      },
      (request) => settings.get(request.ctx),
    );
    app.patch(
      '/settings',
      {
        config: { access: { permission: 'settings:manage' } },
        schema: { ...settingsTag, body: dto.settingsInput, response: { 200: dto.settingsInput } },
      },
      (request) => settings.update(request.ctx, request.body),
    );
  };
}
