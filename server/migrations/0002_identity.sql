-- Identity: sites, users, memberships, sessions and refresh tokens, machine API keys, sign-in throttling.

create table sites (
  id bigint generated always as identity primary key,
  code text not null,
  name text not null,
  time_zone text not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sites_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$'),
  constraint sites_name_length check (char_length(name) between 1 and 200)
);
create unique index sites_code_key on sites (lower(code));
create trigger sites_touch before update on sites for each row execute function hom_touch_updated_at();

create table users (
  id bigint generated always as identity primary key,
  username text not null,
  password_hash text not null,
  full_name text,
  email text,
  phone text,
  role text not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_username_format check (username ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$')
);
create unique index users_username_key on users (lower(username));
create index users_role_idx on users (role) where is_active;
create trigger users_touch before update on users for each row execute function hom_touch_updated_at();

create table user_sites (
  user_id bigint not null references users (id) on delete cascade,
  site_id bigint not null references sites (id),
  created_at timestamptz not null default now(),
  primary key (user_id, site_id)
);
create index user_sites_site_idx on user_sites (site_id);

-- One sign-in; revoking it ends every refresh token of it and every access token naming it.
create table sessions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  user_agent text,
  client_ip text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;

create table refresh_tokens (
  id bigint generated always as identity primary key,
  session_id bigint not null references sessions (id) on delete cascade,
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

create table api_keys (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  name text not null,
  prefix text not null unique,
  key_hash bytea not null,
  role text not null default 'machine',
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  constraint api_keys_name_length check (char_length(name) between 1 and 120)
);
create index api_keys_site_idx on api_keys (site_id);

create table login_attempts (
  id bigint generated always as identity primary key,
  username text not null,
  client_ip text not null,
  succeeded boolean not null,
  at timestamptz not null default now()
);
create index login_attempts_user_idx on login_attempts (lower(username), at desc);
create index login_attempts_ip_idx on login_attempts (client_ip, at desc);

create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by bigint references users (id)
);
insert into settings (key, value) values ('self_registration_enabled', 'false');

-- Memberships are identity data (read on every request to scope it), guarded by the service.
-- Row-level security: site-owned rows are visible only to transactions scoped to that site.
alter table sites enable row level security;
alter table sites force row level security;
create policy sites_by_site on sites using (hom_site_visible(id)) with check (hom_site_visible(id));

alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy api_keys_by_site on api_keys using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));

grant select, insert, update on sites, users, sessions, refresh_tokens, api_keys, settings to hom_app;
grant select, insert, delete on user_sites to hom_app;
grant select, insert, delete on login_attempts to hom_app;
