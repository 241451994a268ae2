-- Quality: spec limits per product × test step (versioned by effective_from) and test results from
-- the stations, partitioned by month of measurement.

create table spec_limits (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  product_code text not null,
  test_step text not null,
  lower_limit double precision,
  upper_limit double precision,
  target double precision,
  unit text,
  effective_from timestamptz not null,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  constraint spec_limits_product_format check (product_code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$'),
  constraint spec_limits_step_format check (test_step ~ '^[A-Za-z0-9][A-Za-z0-9_./ -]{0,79}$'),
  constraint spec_limits_some_limit check (lower_limit is not null or upper_limit is not null),
  constraint spec_limits_order check (lower_limit is null or upper_limit is null or lower_limit <= upper_limit),
  constraint spec_limits_unit_length check (unit is null or char_length(unit) <= 20)
);
-- One version per product, step and instant; the version in force at t is the latest effective_from <= t.
create unique index spec_limits_version_key on spec_limits (site_id, product_code, test_step, effective_from);

create sequence test_results_id_seq;

create table test_results (
  id bigint not null default nextval('test_results_id_seq'),
  site_id bigint not null,
  machine_id bigint not null,
  barcode text not null,
  product_code text not null,
  test_step text not null,
  measured_value double precision not null,
  unit text,
  measured_at timestamptz not null,
  received_at timestamptz not null default now(),
  verdict text not null,
  limit_id bigint,
  lower_limit double precision,
  upper_limit double precision,
  constraint test_results_verdict check (verdict in ('PASS', 'FAIL', 'NO_LIMIT'))
) partition by range (measured_at);
alter sequence test_results_id_seq owned by test_results.id;

-- The idempotency key: the same result sent twice is stored once. Its column order also serves
-- "the latest results of a machine and step" (alert checks, control charts).
create unique index test_results_dedup_key on test_results (machine_id, test_step, measured_at, barcode);
create index test_results_site_time_idx on test_results (site_id, measured_at desc, id desc);
create index test_results_machine_time_idx on test_results (machine_id, measured_at desc);
create index test_results_barcode_idx on test_results (barcode, measured_at);
create index test_results_product_step_idx on test_results (product_code, test_step, measured_at desc);

-- Creates the month partition holding `at` when it is missing. SECURITY DEFINER: the application role
-- may not create tables, but may ask for the partition its next batch needs.
create or replace function hom_ensure_test_results_partition(at timestamptz) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  month_start timestamptz := date_trunc('month', at, 'UTC');
  name text := format('test_results_%s', to_char(month_start at time zone 'UTC', 'YYYY_MM'));
begin
  if to_regclass(name) is null then
    begin
      execute format(
        'create table %I partition of test_results for values from (%L) to (%L)',
        name, month_start, month_start + interval '1 month');
      -- Reads and writes go through test_results and its policy; the partition itself admits nobody.
      execute format('alter table %I enable row level security', name);
      execute format('alter table %I force row level security', name);
    exception when duplicate_table then
      null; -- another process made it first
    end;
  end if;
  return name;
end
$$;
revoke all on function hom_ensure_test_results_partition(timestamptz) from public;
grant execute on function hom_ensure_test_results_partition(timestamptz) to hom_app;

-- The months around now exist from the start; the worker keeps creating them ahead.
select hom_ensure_test_results_partition(now() - interval '1 month');
select hom_ensure_test_results_partition(now());
select hom_ensure_test_results_partition(now() + interval '1 month');
select hom_ensure_test_results_partition(now() + interval '2 months');

alter table spec_limits enable row level security;
alter table spec_limits force row level security;
create policy spec_limits_by_site on spec_limits using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
alter table test_results enable row level security;
alter table test_results force row level security;
create policy test_results_by_site on test_results using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));

grant select, insert on spec_limits to hom_app;
grant delete on spec_limits to hom_app;
grant select, insert on test_results to hom_app;
grant usage on sequence test_results_id_seq to hom_app;

-- Messages the pipeline could never process, kept with the reason; admins see and replay them.
create table ingest_dead_letters (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  source text not null,
  reason text not null,
  payload text not null,
  attempts int not null default 1,
  replayed_at timestamptz,
  replayed_by bigint references users (id),
  constraint ingest_dead_letters_source check (source in ('amqp', 'http', 'mqtt'))
);
create index ingest_dead_letters_open_idx on ingest_dead_letters (received_at desc) where replayed_at is null;
grant select, insert on ingest_dead_letters to hom_app;
grant update (replayed_at, replayed_by) on ingest_dead_letters to hom_app;

-- When to raise a quality alert, per site: N consecutive FAILs of a machine and step, or a pass rate
-- under the threshold over the last hour (once at least min_sample results were judged).
create table quality_alert_rules (
  site_id bigint primary key references sites (id),
  consecutive_fails int not null default 3,
  min_pass_rate numeric(5, 2) not null default 90,
  min_sample int not null default 20,
  updated_at timestamptz not null default now(),
  constraint quality_alert_rules_fails check (consecutive_fails between 1 and 1000),
  constraint quality_alert_rules_rate check (min_pass_rate between 0 and 100),
  constraint quality_alert_rules_sample check (min_sample between 1 and 100000)
);

create table quality_alerts (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  test_step text not null,
  kind text not null,
  message text not null,
  raised_at timestamptz not null default now(),
  cleared_at timestamptz,
  acknowledged_by bigint references users (id),
  acknowledged_at timestamptz,
  constraint quality_alerts_kind check (kind in ('consecutive_fails', 'low_pass_rate'))
);
-- At most one open alert of a kind per machine and step.
create unique index quality_alerts_open_key on quality_alerts (machine_id, test_step, kind) where cleared_at is null;
create index quality_alerts_site_idx on quality_alerts (site_id, raised_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['quality_alert_rules', 'quality_alerts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;
grant select, insert, update on quality_alert_rules, quality_alerts to hom_app;
