-- Automatic downtime (issue 7, docs/auto-downtime.md): HOM opens a stop without a reason when a
-- machine's state says it stopped longer than its stop threshold, or no cycle came for
-- no_cycle_factor × its ideal cycle time; operators give each a reason or split it into parts.

-- What made HOM open an automatic stop: the machine's state then, or no cycle. Null for stops people
-- recorded. A part of a split stop names the stop it was split from (the first part keeps the id).
alter table downtimes
  add column cause text,
  add column split_from_id bigint references downtimes (id),
  add constraint downtimes_cause check (
    cause is null or cause in ('stopped', 'fault', 'idle', 'setup', 'no_cycle')
  );

-- The queue of unexplained automatic stops, newest first, per site and per machine.
create index downtimes_unexplained_idx on downtimes (site_id, start_at desc, id desc)
  where source = 'automatic' and reason_id is null;
create index downtimes_unexplained_machine_idx on downtimes (machine_id, start_at desc, id desc)
  where source = 'automatic' and reason_id is null;
