-- OEE (issue 7, docs/kpis.md "OEE"): counter increases summed per machine, kind and UTC hour, so OEE
-- over days or months reads one row per hour instead of every counter value. Kept by a trigger on
-- machine_counts in the same transaction as the value (machine_counts only ever gets inserts).
-- OEE reads single values only where an hour is cut by a shift edge, a tool change or the period's
-- ends, and for values that cover stale time.

create table machine_count_hours (
  machine_id bigint not null references machines (id),
  kind text not null,
  hour timestamptz not null,
  site_id bigint not null references sites (id),
  delta bigint not null,
  primary key (machine_id, kind, hour),
  constraint machine_count_hours_kind check (kind in ('cycle', 'good', 'reject')),
  constraint machine_count_hours_whole check (hour = date_trunc('hour', hour, 'UTC'))
);

alter table machine_count_hours enable row level security;
alter table machine_count_hours force row level security;
create policy machine_count_hours_by_site on machine_count_hours
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
grant select, insert, update on machine_count_hours to hom_app;

create or replace function hom_machine_count_hours_add() returns trigger
language plpgsql as $$
begin
  insert into machine_count_hours (machine_id, kind, hour, site_id, delta)
  values (new.machine_id, new.kind, date_trunc('hour', new.at, 'UTC'), new.site_id, new.delta)
  on conflict (machine_id, kind, hour) do update set delta = machine_count_hours.delta + excluded.delta;
  return null;
end
$$;

create trigger machine_counts_hours after insert on machine_counts
  for each row execute function hom_machine_count_hours_add();

insert into machine_count_hours (machine_id, kind, hour, site_id, delta)
select machine_id, kind, date_trunc('hour', at, 'UTC'), min(site_id), sum(delta)
from machine_counts
group by machine_id, kind, date_trunc('hour', at, 'UTC');
