import { parseInput } from '../../platform/validation.ts';
import { withAccess } from '../../platform/graphql/access.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import * as dto from './identity.dto.ts';
import type { IdentityServices } from './identity.routes.ts';
import { PERMISSIONS, ROLES, ROLE_NAMES } from './permissions.ts';

/** GraphQL speaks camelCase over the same services and zod rules as REST. */
export function registerIdentityGraphql(builder: Builder, services: IdentityServices): void {
  const { sessions, users, sites, apiKeys, settings, accounts } = services;

  const Site = builder.objectRef<dto.SiteOutput>('Site').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      timeZone: t.string({ resolve: (site) => site.time_zone }),
      isActive: t.boolean({ resolve: (site) => site.is_active }),
      createdAt: t.field({ type: 'DateTime', resolve: (site) => site.created_at }),
    }),
  });

  const User = builder.objectRef<dto.UserOutput>('User').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      username: t.exposeString('username'),
      fullName: t.string({ nullable: true, resolve: (user) => user.full_name }),
      email: t.string({ nullable: true, resolve: (user) => user.email }),
      phone: t.string({ nullable: true, resolve: (user) => user.phone }),
      role: t.exposeString('role'),
      isActive: t.boolean({ resolve: (user) => user.is_active }),
      siteIds: t.idList({ resolve: (user) => user.site_ids }),
      sites: t.field({
        type: [Site],
        description: 'Batched: a list of users costs one query for all their sites',
        resolve: async (user, _args, context) => {
          const loader = context.loader<number, dto.SiteOutput | null>('sitesById', async (ids) => {
            const found = await sites.getMany(context.caller, ids);
            return ids.map((id) => found.find((site) => site.id === id) ?? null);
          });
          const loaded = await loader.loadMany(user.site_ids);
          return loaded.filter((site): site is dto.SiteOutput => site !== null && !(site instanceof Error));
        },
      }),
      createdAt: t.field({ type: 'DateTime', resolve: (user) => user.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (user) => user.updated_at }),
    }),
  });

  type Me = Awaited<ReturnType<typeof accounts.me>>;
  const Me = builder.objectRef<Me>('Me').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      username: t.exposeString('username'),
      fullName: t.string({ nullable: true, resolve: (me) => me.full_name }),
      email: t.string({ nullable: true, resolve: (me) => me.email }),
      role: t.exposeString('role'),
      permissions: t.exposeStringList('permissions'),
      sites: t.field({ type: [Site], resolve: (me) => me.sites as dto.SiteOutput[] }),
    }),
  });

  const TokenPair = builder.objectRef<dto.TokenOutput>('TokenPair').implement({
    fields: (t) => ({
      accessToken: t.string({ resolve: (pair) => pair.access_token }),
      tokenType: t.string({ resolve: (pair) => pair.token_type }),
      expiresIn: t.int({ resolve: (pair) => pair.expires_in }),
      refreshToken: t.string({ resolve: (pair) => pair.refresh_token }),
    }),
  });

  const Role = builder
    .objectRef<{ name: string; description: string; permissions: readonly string[] }>('Role')
    .implement({
      fields: (t) => ({
        name: t.exposeString('name'),
        description: t.exposeString('description'),
        permissions: t.stringList({ resolve: (role) => [...role.permissions] }),
      }),
    });

  const ApiKey = builder.objectRef<dto.ApiKeyOutput & { key?: string }>('ApiKey').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (key) => key.site_id }),
      name: t.exposeString('name'),
      prefix: t.exposeString('prefix'),
      key: t.string({
        nullable: true,
        description: 'Only in the answer to createApiKey',
        resolve: (key) => key.key ?? null,
      }),
      createdAt: t.field({ type: 'DateTime', resolve: (key) => key.created_at }),
      lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (key) => key.last_used_at }),
      revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (key) => key.revoked_at }),
    }),
  });

  const Settings = builder.objectRef<{ self_registration_enabled: boolean }>('Settings').implement({
    fields: (t) => ({ selfRegistrationEnabled: t.boolean({ resolve: (s) => s.self_registration_enabled }) }),
  });

  const CreateUserInput = builder.inputType('CreateUserInput', {
    fields: (t) => ({
      username: t.string({ required: true }),
      password: t.string({ required: true }),
      role: t.string({ required: true }),
      fullName: t.string(),
      email: t.string(),
      phone: t.string(),
      siteIds: t.idList(),
    }),
  });
  const UpdateUserInput = builder.inputType('UpdateUserInput', {
    fields: (t) => ({
      fullName: t.string(),
      email: t.string(),
      phone: t.string(),
      role: t.string(),
      isActive: t.boolean(),
      siteIds: t.idList(),
      password: t.string(),
    }),
  });
  const CreateSiteInput = builder.inputType('CreateSiteInput', {
    fields: (t) => ({
      code: t.string({ required: true }),
      name: t.string({ required: true }),
      timeZone: t.string({ required: true }),
    }),
  });
  const UpdateSiteInput = builder.inputType('UpdateSiteInput', {
    fields: (t) => ({ name: t.string(), timeZone: t.string(), isActive: t.boolean() }),
  });

  builder.queryFields((t) => ({
    me: t.field({ type: Me, ...withAccess('authenticated', (_p, _a, c) => accounts.me(c.caller)) }),
    users: t.field({
      type: [User],
      ...withAccess({ permission: 'user:read' }, (_p, _a, c) => users.list(c.caller)),
    }),
    user: t.field({
      type: User,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'user:read' }, (_p, args: { id: string | number }, c) =>
        users.get(c.caller, parseInput(dto.idParam, args).id),
      ),
    }),
    sites: t.field({
      type: [Site],
      ...withAccess({ permission: 'site:read' }, (_p, _a, c) => sites.list(c.caller)),
    }),
    roles: t.field({
      type: [Role],
      ...withAccess('authenticated', () => ROLE_NAMES.map((name) => ({ name, ...ROLES[name] }))),
    }),
    permissions: t.stringList({ ...withAccess('authenticated', () => Object.keys(PERMISSIONS)) }),
    apiKeys: t.field({
      type: [ApiKey],
      ...withAccess({ permission: 'apikey:manage' }, (_p, _a, c) => apiKeys.list(c.caller)),
    }),
    settings: t.field({
      type: Settings,
      ...withAccess({ permission: 'settings:manage' }, (_p, _a, c) => settings.get(c.caller)),
    }),
  }));

  builder.mutationFields((t) => ({
    login: t.field({
      type: TokenPair,
      args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
      ...withAccess('public', (_p, args: { username: string; password: string }, c) => {
        const input = parseInput(dto.loginInput, args);
        return sessions.login(c.caller, input.username, input.password);
      }),
    }),
    refreshToken: t.field({
      type: TokenPair,
      args: { refreshToken: t.arg.string({ required: true }) },
      ...withAccess('public', (_p, args: { refreshToken: string }) =>
        sessions.refresh(parseInput(dto.refreshInput, { refresh_token: args.refreshToken }).refresh_token),
      ),
    }),
    logout: t.boolean({
      args: { refreshToken: t.arg.string() },
      ...withAccess('public', async (_p, args: { refreshToken?: string | null }, c) => {
        await sessions.logout(c.caller, args.refreshToken ?? undefined);
        return true;
      }),
    }),
    createUser: t.field({
      type: User,
      args: { input: t.arg({ type: CreateUserInput, required: true }) },
      ...withAccess({ permission: 'user:manage' }, (_p, { input }: { input: Record<string, unknown> }, c) =>
        users.createByAdmin(c.caller, parseInput(dto.createUserInput, snakeCase(input))),
      ),
    }),
    updateUser: t.field({
      type: User,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
      ...withAccess(
        { permission: 'user:manage' },
        (_p, args: { id: string | number; input: Record<string, unknown> }, c) =>
          users.update(
            c.caller,
            parseInput(dto.idParam, args).id,
            parseInput(dto.updateUserInput, snakeCase(args.input)),
          ),
      ),
    }),
    setUserRole: t.field({
      type: User,
      args: { id: t.arg.id({ required: true }), role: t.arg.string({ required: true }) },
      ...withAccess({ permission: 'user:manage' }, (_p, args: { id: string | number; role: string }, c) =>
        users.setRole(c.caller, parseInput(dto.idParam, args).id, parseInput(dto.setRoleInput, args).role),
      ),
    }),
    createSite: t.field({
      type: Site,
      args: { input: t.arg({ type: CreateSiteInput, required: true }) },
      ...withAccess({ permission: 'site:manage' }, (_p, { input }: { input: Record<string, unknown> }, c) =>
        sites.create(c.caller, parseInput(dto.createSiteInput, snakeCase(input))),
      ),
    }),
    updateSite: t.field({
      type: Site,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSiteInput, required: true }) },
      ...withAccess(
        { permission: 'site:manage' },
        (_p, args: { id: string | number; input: Record<string, unknown> }, c) =>
          sites.update(
            c.caller,
            parseInput(dto.idParam, args).id,
            parseInput(dto.updateSiteInput, snakeCase(args.input)),
          ),
      ),
    }),
    createApiKey: t.field({
      type: ApiKey,
      args: { siteId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
      ...withAccess(
        { permission: 'apikey:manage' },
        (_p, args: { siteId: string | number; name: string }, c) =>
          apiKeys.create(
            c.caller,
            parseInput(dto.createApiKeyInput, { site_id: args.siteId, name: args.name }),
          ),
      ),
    }),
    revokeApiKey: t.field({
      type: ApiKey,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'apikey:manage' }, (_p, args: { id: string | number }, c) =>
        apiKeys.revoke(c.caller, parseInput(dto.idParam, args).id),
      ),
    }),
    updateSettings: t.field({
      type: Settings,
      args: { selfRegistrationEnabled: t.arg.boolean({ required: true }) },
      ...withAccess({ permission: 'settings:manage' }, (_p, args: { selfRegistrationEnabled: boolean }, c) =>
        settings.update(c.caller, { self_registration_enabled: args.selfRegistrationEnabled }),
      ),
    }),
  }));
}
