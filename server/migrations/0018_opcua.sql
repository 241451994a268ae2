-- OPC-UA connections (issue 7): per machine, the endpoint HOM subscribes to and the node ids of its
-- cycle counter, state and optional good/reject counters. Processes with the `ingest` role read the
-- enabled rows, subscribe, and write what they see of the connection into the status columns.

create table opcua_connections (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id) on delete cascade,
  endpoint_url text not null,
  security_mode text not null default 'None',
  security_policy text not null default 'None',
  -- Anonymous when username is null. The password is AES-256-GCM encrypted under a key derived from
  -- HOM's secret (never returned by the API): iv.tag.ciphertext, base64url.
  username text,
  password_encrypted text,
  cycle_node_id text,
  state_node_id text,
  good_node_id text,
  reject_node_id text,
  -- Raw value (as text: '1', 'true', 'RUNNING') → HOM state; unmapped values become 'unknown'.
  state_map jsonb not null default '{}'::jsonb,
  publishing_interval_ms integer not null default 1000,
  enabled boolean not null default true,
  -- Written by the ingest process: connecting, connected, reconnecting, stalled, error, disabled.
  status text not null default 'connecting',
  last_error text,
  status_changed_at timestamptz not null default now(),
  last_connected_at timestamptz,
  last_data_at timestamptz,
  created_by bigint references users (id),
  updated_by bigint references users (id),
  created_at timestamptz not null default now(),
  -- Changed only by configuration writes (not by status updates): ingest processes reload on it.
  updated_at timestamptz not null default now(),
  constraint opcua_connections_machine_key unique (machine_id),
  constraint opcua_connections_endpoint check (endpoint_url ~ '^opc\.tcp://' and char_length(endpoint_url) <= 500),
  constraint opcua_connections_security_mode check (security_mode in ('None', 'Sign', 'SignAndEncrypt')),
  constraint opcua_connections_security_policy check (
    security_policy in ('None', 'Basic128Rsa15', 'Basic256', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss')
  ),
  constraint opcua_connections_security_pair check ((security_mode = 'None') = (security_policy = 'None')),
  constraint opcua_connections_password check (password_encrypted is null or username is not null),
  constraint opcua_connections_some_node check (cycle_node_id is not null or state_node_id is not null),
  constraint opcua_connections_publishing check (publishing_interval_ms between 50 and 60000),
  constraint opcua_connections_state_map check (jsonb_typeof(state_map) = 'object'),
  constraint opcua_connections_status check (
    status in ('connecting', 'connected', 'reconnecting', 'stalled', 'error', 'disabled')
  ),
  constraint opcua_connections_last_error_length check (last_error is null or char_length(last_error) <= 1000)
);
create index opcua_connections_site_idx on opcua_connections (site_id);

alter table opcua_connections enable row level security;
alter table opcua_connections force row level security;
create policy opcua_connections_by_site on opcua_connections
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));

grant select, insert, update, delete on opcua_connections to hom_app;
