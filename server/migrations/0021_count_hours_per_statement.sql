-- OPC-UA at 1,000 values/s (issue 7, docs/performance.md "OPC-UA"): the signal recorder stores a batch
-- of counter values in one statement, so the hourly sums of migration 0020 are kept by a statement-level
-- trigger: one upsert per insert statement, the statement's new rows summed per machine, kind and UTC
-- hour (a transition table), instead of one upsert per row. Same sums: rows that `on conflict do
-- nothing` skipped are not in the transition table.

create or replace function hom_machine_count_hours_add_rows() returns trigger
language plpgsql as $$
begin
  insert into machine_count_hours (machine_id, kind, hour, site_id, delta)
  select machine_id, kind, date_trunc('hour', at, 'UTC'), min(site_id), sum(delta)
    from new_counts
   group by machine_id, kind, date_trunc('hour', at, 'UTC')
  on conflict (machine_id, kind, hour) do update set delta = machine_count_hours.delta + excluded.delta;
  return null;
end
$$;

drop trigger machine_counts_hours on machine_counts;
drop function hom_machine_count_hours_add();

create trigger machine_counts_hours after insert on machine_counts
  referencing new table as new_counts
  for each statement execute function hom_machine_count_hours_add_rows();
