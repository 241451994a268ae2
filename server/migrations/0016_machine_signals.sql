-- Machine signals (issue 7): the state timeline and production counters each machine reports over
-- OPC-UA, MQTT or HTTP, the periods a source was silent (stale, excluded from OEE), and the settings
-- automatic downtime and OEE need.

-- Per machine: the ideal time of one cycle (OEE performance when no mounted tool says otherwise), and
-- the stop threshold: a stop longer than it opens a downtime without a reason, a shorter one is a
-- micro-stop (counted, not listed). No cycle for no_cycle_factor × the ideal cycle time is a stop too.
alter table machines
  add column ideal_cycle_seconds numeric(10, 3),
  add column stop_threshold_seconds integer not null default 120,
  add column no_cycle_factor numeric(6, 2) not null default 3,
  add constraint machines_ideal_cycle check (ideal_cycle_seconds is null or ideal_cycle_seconds > 0),
  add constraint machines_stop_threshold check (stop_threshold_seconds between 5 and 86400),
  add constraint machines_no_cycle_factor check (no_cycle_factor >= 1 and no_cycle_factor <= 1000);

-- A mounted tool's ideal cycle time wins over the machine's (one cycle = one shot).
alter table tools
  add column ideal_cycle_seconds numeric(10, 3),
  add constraint tools_ideal_cycle check (ideal_cycle_seconds is null or ideal_cycle_seconds > 0);

-- The state timeline: one row per period in a state; ended_at null = the state now.
create table machine_states (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  state text not null,
  -- What the source sent (e.g. the OPC-UA value 3), kept for the controls engineer.
  raw_value text,
  source text not null,
  started_at timestamptz not null,
  ended_at timestamptz,
  constraint machine_states_state check (state in ('running', 'idle', 'stopped', 'fault', 'setup', 'unknown')),
  constraint machine_states_source check (source in ('opcua', 'mqtt', 'http', 'cycles')),
  constraint machine_states_order check (ended_at is null or ended_at >= started_at)
);
create unique index machine_states_one_open on machine_states (machine_id) where ended_at is null;
create index machine_states_machine_time_idx on machine_states (machine_id, started_at desc);

-- Production counters as the machine reports them, with the increase since the previous value
-- (a value lower than the previous one is a reset: the increase is the value itself).
create table machine_counts (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  kind text not null,
  counter_value bigint not null,
  delta bigint not null,
  at timestamptz not null,
  source text not null,
  constraint machine_counts_kind check (kind in ('cycle', 'good', 'reject')),
  constraint machine_counts_source check (source in ('opcua', 'mqtt', 'http')),
  constraint machine_counts_values check (counter_value >= 0 and delta >= 0)
);
-- The same counter value at the same instant is stored once (re-delivery after a reconnect).
create unique index machine_counts_dedup_key on machine_counts (machine_id, kind, at);
create index machine_counts_machine_time_idx on machine_counts (machine_id, kind, at desc);

-- Periods a data source of a machine was silent or unreachable: the machine board shows them as
-- stale, OEE leaves them out of planned time. ended_at null = stale now.
create table machine_stale_periods (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  source text not null,
  reason text not null,
  started_at timestamptz not null,
  ended_at timestamptz,
  constraint machine_stale_periods_source check (source in ('opcua', 'mqtt', 'http', 'readings')),
  constraint machine_stale_periods_order check (ended_at is null or ended_at >= started_at),
  constraint machine_stale_periods_reason_length check (char_length(reason) between 1 and 500)
);
create unique index machine_stale_periods_one_open on machine_stale_periods (machine_id, source) where ended_at is null;
create index machine_stale_periods_machine_time_idx on machine_stale_periods (machine_id, started_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['machine_states', 'machine_counts', 'machine_stale_periods'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert, update on machine_states to hom_app;
grant select, insert on machine_counts to hom_app;
grant select, insert, update on machine_stale_periods to hom_app;
