-- Machine readings (issue 7): numbers a machine reports (temperature, pressure, speed, …) stored in
-- month partitions, rolled up per minute and per hour for charts, checked against per-machine
-- thresholds (alerts) and watched for silence (stale periods, source 'readings'). docs/readings.md.

-- The readings of 0008 move into a table partitioned by month of recorded_at: the old table is
-- renamed, the new one created, the rows copied (a reading repeated at the same instant is kept once)
-- and the old table dropped.
alter table machine_readings rename to machine_readings_0008;
alter index machine_readings_pkey rename to machine_readings_0008_pkey;
alter index machine_readings_machine_time_idx rename to machine_readings_0008_machine_time_idx;
alter sequence machine_readings_id_seq rename to machine_readings_0008_id_seq;
drop policy machine_readings_by_site on machine_readings_0008;

create sequence machine_readings_id_seq;

-- No foreign keys, as test_results: at tens of thousands of readings a second each key check costs
-- two index lookups per row. site_id and machine_id come from the machine the adapter resolved.
create table machine_readings (
  id bigint not null default nextval('machine_readings_id_seq'),
  site_id bigint not null,
  machine_id bigint not null,
  reading_type text not null,
  value double precision not null,
  unit text,
  recorded_at timestamptz not null,
  received_at timestamptz not null default now(),
  constraint machine_readings_type_format check (reading_type ~ '^[a-z][a-z0-9_]{0,39}$'),
  constraint machine_readings_value_finite check (value <> 'NaN' and value <> 'Infinity' and value <> '-Infinity'),
  constraint machine_readings_unit_length check (unit is null or char_length(unit) <= 20)
) partition by range (recorded_at);
alter sequence machine_readings_id_seq owned by machine_readings.id;

-- The idempotency key: a reading delivered again (same machine, type and instant) is stored once. Its
-- column order also serves "the latest readings of a machine and type" (series, stale checks).
create unique index machine_readings_dedup_key on machine_readings (machine_id, reading_type, recorded_at);
-- A machine's readings of every type, newest first (GET /machines/{id}/readings without a type).
create index machine_readings_machine_time_idx on machine_readings (machine_id, recorded_at desc);

-- Creates the month partition holding `at` when it is missing. SECURITY DEFINER: the application role
-- may not create tables, but may ask for the partition its next batch needs.
create or replace function hom_ensure_machine_readings_partition(at timestamptz) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  month_start timestamptz := date_trunc('month', at, 'UTC');
  name text := format('machine_readings_%s', to_char(month_start at time zone 'UTC', 'YYYY_MM'));
begin
  if to_regclass(name) is null then
    begin
      execute format(
        'create table %I partition of machine_readings for values from (%L) to (%L)',
        name, month_start, month_start + interval '1 month');
      -- Reads and writes go through machine_readings and its policy; the partition admits nobody.
      execute format('alter table %I enable row level security', name);
      execute format('alter table %I force row level security', name);
    exception when duplicate_table then
      null; -- another process made it first
    end;
  end if;
  return name;
end
$$;
revoke all on function hom_ensure_machine_readings_partition(timestamptz) from public;
grant execute on function hom_ensure_machine_readings_partition(timestamptz) to hom_app;

-- The months around now exist from the start (the worker keeps creating them ahead), and every month
-- the old table holds readings of.
select hom_ensure_machine_readings_partition(now() - interval '1 month');
select hom_ensure_machine_readings_partition(now());
select hom_ensure_machine_readings_partition(now() + interval '1 month');
select hom_ensure_machine_readings_partition(now() + interval '2 months');
select hom_ensure_machine_readings_partition(m)
from (select distinct date_trunc('month', recorded_at, 'UTC') as m from machine_readings_0008) months;

insert into machine_readings (id, site_id, machine_id, reading_type, value, unit, recorded_at, received_at)
select id, site_id, machine_id, reading_type, value, left(unit, 20), recorded_at, received_at
from machine_readings_0008
order by id
on conflict (machine_id, reading_type, recorded_at) do nothing;
select setval('machine_readings_id_seq', greatest((select max(id) from machine_readings_0008), 0) + 1, false);

-- Per-minute and per-hour rollups: count, sum, min, max, the first reading's time and the latest value
-- of each bucket. The writer
-- adds each batch's newly stored readings in the same statement, so a reading stored once is counted
-- once. Charts read these instead of the raw rows.
create table machine_readings_1m (
  site_id bigint not null,
  machine_id bigint not null,
  reading_type text not null,
  bucket timestamptz not null,
  n bigint not null,
  sum double precision not null,
  min double precision not null,
  max double precision not null,
  first_at timestamptz not null,
  last_value double precision not null,
  last_at timestamptz not null,
  unit text,
  primary key (machine_id, reading_type, bucket),
  constraint machine_readings_1m_n check (n > 0)
);
create table machine_readings_1h (like machine_readings_1m including all);
alter table machine_readings_1h rename constraint machine_readings_1m_n to machine_readings_1h_n;
-- The board's sparklines: a machine's last hour of minutes, whatever the type.
create index machine_readings_1m_machine_bucket_idx on machine_readings_1m (machine_id, bucket);
-- The stale check every 10 s: every pair's hours of the last day.
create index machine_readings_1h_bucket_idx on machine_readings_1h (bucket);

-- Copied rows count in the rollups too.
insert into machine_readings_1m (site_id, machine_id, reading_type, bucket, n, sum, min, max, first_at, last_value, last_at, unit)
select site_id, machine_id, reading_type, date_trunc('minute', recorded_at, 'UTC'), count(*), sum(value), min(value), max(value), min(recorded_at),
  (array_agg(value order by recorded_at desc))[1], max(recorded_at), (array_agg(unit order by recorded_at desc))[1]
from machine_readings group by site_id, machine_id, reading_type, date_trunc('minute', recorded_at, 'UTC');
insert into machine_readings_1h (site_id, machine_id, reading_type, bucket, n, sum, min, max, first_at, last_value, last_at, unit)
select site_id, machine_id, reading_type, date_trunc('hour', recorded_at, 'UTC'), count(*), sum(value), min(value), max(value), min(recorded_at),
  (array_agg(value order by recorded_at desc))[1], max(recorded_at), (array_agg(unit order by recorded_at desc))[1]
from machine_readings group by site_id, machine_id, reading_type, date_trunc('hour', recorded_at, 'UTC');

drop table machine_readings_0008;

-- Limits per machine and reading type: a value above high or below low opens an alert; no reading for
-- stale_after_seconds marks the machine's readings stale. Values are in the unit the machine sends.
create table reading_thresholds (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  reading_type text not null,
  low double precision,
  high double precision,
  stale_after_seconds integer,
  updated_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reading_thresholds_type_format check (reading_type ~ '^[a-z][a-z0-9_]{0,39}$'),
  constraint reading_thresholds_something check (low is not null or high is not null or stale_after_seconds is not null),
  constraint reading_thresholds_order check (low is null or high is null or low < high),
  -- 0 = never stale (a type sent only on change); null = the default rule (docs/readings.md).
  constraint reading_thresholds_stale check (stale_after_seconds = 0 or stale_after_seconds between 10 and 604800)
);
create unique index reading_thresholds_machine_type_key on reading_thresholds (machine_id, reading_type);
create index reading_thresholds_site_idx on reading_thresholds (site_id);
create trigger reading_thresholds_touch before update on reading_thresholds for each row execute function hom_touch_updated_at();

-- A value beyond a threshold: one open alert per machine, type and kind; it closes when the latest
-- value is back within the limit. peak_value is the farthest value seen while open.
create table reading_alerts (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  reading_type text not null,
  kind text not null,
  threshold double precision not null,
  first_value double precision not null,
  peak_value double precision not null,
  unit text,
  opened_at timestamptz not null,
  closed_at timestamptz,
  constraint reading_alerts_kind check (kind in ('high', 'low')),
  constraint reading_alerts_order check (closed_at is null or closed_at >= opened_at)
);
create unique index reading_alerts_one_open on reading_alerts (machine_id, reading_type, kind) where closed_at is null;
create index reading_alerts_site_idx on reading_alerts (site_id, opened_at desc);
create index reading_alerts_machine_idx on reading_alerts (machine_id, reading_type, kind, opened_at desc);

alter table machine_readings enable row level security;
alter table machine_readings force row level security;
create policy machine_readings_by_site on machine_readings using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
do $$
declare
  t text;
begin
  foreach t in array array['machine_readings_1m', 'machine_readings_1h', 'reading_thresholds', 'reading_alerts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert on machine_readings to hom_app;
grant usage on sequence machine_readings_id_seq to hom_app;
grant select, insert, update on machine_readings_1m, machine_readings_1h to hom_app;
grant select, insert, update, delete on reading_thresholds to hom_app;
grant select, insert, update on reading_alerts to hom_app;
