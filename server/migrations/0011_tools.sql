-- Tools and moulds: the registry, their mountings on machines over time, and shot-counter readings
-- from which each tool's shots are computed (deltas in time order, resets and rollovers recognised).

-- Exclusion constraints over time ranges (a tool on one machine at a time, one tool per machine
-- position at a time) need equality on bigint/text inside a GiST index. btree_gist is a trusted
-- extension: the database owner may create it.
create extension if not exists btree_gist;

create table tools (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  asset_number text not null,
  name text not null,
  kind text not null default 'mould',
  manufacturer text,
  cavity_count int not null default 1,
  status text not null default 'active',
  storage_location text,
  -- Shots the tool is made for; null = no limit known.
  life_limit_shots bigint,
  -- The tool's own counter wraps after this value (e.g. 999999 on a six-digit counter): a reading
  -- that drops from near it to a low value is a rollover, not a reset. Null = the counter never wraps.
  counter_max bigint,
  notes text,
  -- Running sum of the deltas of its readings, kept by the service in the same transaction.
  total_shots bigint not null default 0,
  last_reading_at timestamptz,
  retired_at timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tools_asset_format check (asset_number ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$'),
  constraint tools_name_length check (char_length(name) between 1 and 200),
  constraint tools_kind check (kind in ('mould', 'die', 'fixture', 'gauge', 'jig', 'cutting_tool', 'other')),
  constraint tools_status check (status in ('active', 'maintenance', 'retired')),
  constraint tools_cavity_count check (cavity_count between 1 and 1024),
  constraint tools_life_limit check (life_limit_shots is null or life_limit_shots > 0),
  constraint tools_counter_max check (counter_max is null or counter_max > 0),
  constraint tools_total_shots check (total_shots >= 0),
  constraint tools_retired check ((status = 'retired') = (retired_at is not null)),
  constraint tools_text_lengths check (
    coalesce(char_length(manufacturer), 0) <= 200 and coalesce(char_length(storage_location), 0) <= 200
    and coalesce(char_length(notes), 0) <= 4000
  )
);
create unique index tools_asset_key on tools (site_id, lower(asset_number));
create index tools_site_idx on tools (site_id, created_at desc, id desc);
create trigger tools_touch before update on tools for each row execute function hom_touch_updated_at();

alter table action_items add constraint action_items_tool_fk foreign key (tool_id) references tools (id);

-- Where a tool was mounted, from when until when (removed_at null = mounted now).
create table tool_mountings (
  id bigint generated always as identity primary key,
  tool_id bigint not null references tools (id),
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  position text not null default 'main',
  mounted_at timestamptz not null,
  removed_at timestamptz,
  mounted_by bigint references users (id),
  removed_by bigint references users (id),
  created_at timestamptz not null default now(),
  constraint tool_mountings_position check (position ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  constraint tool_mountings_window check (removed_at is null or removed_at > mounted_at),
  -- History cannot overlap: a tool is on one machine at a time, a machine position holds one tool.
  constraint tool_mountings_tool_once exclude using gist (
    tool_id with =, tstzrange(mounted_at, removed_at, '[)') with &&
  ),
  constraint tool_mountings_position_once exclude using gist (
    machine_id with =, position with =, tstzrange(mounted_at, removed_at, '[)') with &&
  )
);
create index tool_mountings_tool_idx on tool_mountings (tool_id, mounted_at desc);
create index tool_mountings_machine_idx on tool_mountings (machine_id, mounted_at desc);
create index tool_mountings_open_idx on tool_mountings (machine_id) where removed_at is null;

-- Shot readings. kind 'counter': a counter value; kind 'delta': a number of shots since the last one.
-- delta is computed by the service from the readings of the same stream in time order (manual and
-- CSV readings read the tool's own counter; machine readings form one stream per mounting).
create table tool_shot_readings (
  id bigint generated always as identity primary key,
  tool_id bigint not null references tools (id),
  site_id bigint not null references sites (id),
  taken_at timestamptz not null,
  source text not null,
  kind text not null,
  counter_value bigint,
  shots bigint,
  -- The mounting whose machine counter produced it (source 'machine' only).
  mounting_id bigint references tool_mountings (id),
  delta bigint not null default 0,
  is_reset boolean not null default false,
  is_rollover boolean not null default false,
  note text,
  entered_by bigint references users (id),
  created_at timestamptz not null default now(),
  constraint tool_shot_readings_source check (source in ('manual', 'csv', 'machine')),
  constraint tool_shot_readings_kind check (
    (kind = 'counter' and counter_value is not null and counter_value >= 0 and shots is null)
    or (kind = 'delta' and shots is not null and shots >= 0 and counter_value is null)
  ),
  constraint tool_shot_readings_machine check ((source = 'machine') = (mounting_id is not null)),
  constraint tool_shot_readings_delta check (delta >= 0),
  constraint tool_shot_readings_note_length check (note is null or char_length(note) <= 1000)
);
-- The same reading (tool, instant, source) is never stored twice.
create unique index tool_shot_readings_key on tool_shot_readings (tool_id, taken_at, source);
create index tool_shot_readings_tool_idx on tool_shot_readings (tool_id, taken_at desc, id desc);
create index tool_shot_readings_mounting_idx on tool_shot_readings (mounting_id, taken_at) where mounting_id is not null;
create index tool_shot_readings_site_idx on tool_shot_readings (site_id, taken_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['tools', 'tool_mountings', 'tool_shot_readings'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert, update on tools, tool_mountings, tool_shot_readings to hom_app;
