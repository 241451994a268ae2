-- Indexes for a plant's real history (bench/kpi.ts: 500 machines × 5 years, about a million stops).
-- Stops listed with their repairs look repairs up by downtime.
create index repairs_downtime_idx on repairs (downtime_id) where downtime_id is not null;

-- Newest-first pages with a (start, id) cursor read these in index order and stop after one page.
drop index downtimes_machine_time_idx;
create index downtimes_machine_time_idx on downtimes (machine_id, start_at desc, id desc);
drop index downtimes_site_time_idx;
create index downtimes_site_time_idx on downtimes (site_id, start_at desc, id desc);
drop index repairs_machine_time_idx;
create index repairs_machine_time_idx on repairs (machine_id, start_at desc, id desc);
drop index repairs_site_time_idx;
create index repairs_site_time_idx on repairs (site_id, start_at desc, id desc);
