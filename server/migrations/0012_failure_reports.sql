-- Failure reports: what broke on a tool or a machine, how bad, what was done at once (containment),
-- with photos (attachments with owner_type 'failure_report') and the action item raised to fix it.
-- Whether a report is still open follows its action item (open until the action is completed or
-- cancelled), so there is no second status to keep in step.

create table failure_reports (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  -- At least one of tool and machine; both when the tool failed while mounted on the machine.
  tool_id bigint references tools (id),
  machine_id bigint references machines (id),
  failure_code_id bigint not null references failure_codes (id),
  severity text not null,
  description text not null,
  occurred_at timestamptz not null,
  containment_action text,
  reported_by bigint references users (id),
  reported_at timestamptz not null default now(),
  action_item_id bigint references action_items (id),
  constraint failure_reports_subject check (tool_id is not null or machine_id is not null),
  constraint failure_reports_severity check (severity in ('low', 'medium', 'high', 'critical')),
  constraint failure_reports_description_length check (char_length(description) between 1 and 4000),
  constraint failure_reports_containment_length check (containment_action is null or char_length(containment_action) <= 4000),
  -- Not in the future (a few minutes of tablet clock skew allowed).
  constraint failure_reports_not_future check (occurred_at <= reported_at + interval '5 minutes')
);
create index failure_reports_site_idx on failure_reports (site_id, occurred_at desc, id desc);
create index failure_reports_tool_idx on failure_reports (tool_id, occurred_at desc) where tool_id is not null;
create index failure_reports_machine_idx on failure_reports (machine_id, occurred_at desc) where machine_id is not null;
create index failure_reports_code_idx on failure_reports (failure_code_id, occurred_at desc);

-- The machine (and tool) must be on the report's site.
create or replace function hom_failure_report_same_site() returns trigger
language plpgsql as $$
begin
  if new.machine_id is not null
     and not exists (select 1 from machines where id = new.machine_id and site_id = new.site_id) then
    raise exception 'machine % is not on site %', new.machine_id, new.site_id using errcode = 'check_violation';
  end if;
  if new.tool_id is not null
     and not exists (select 1 from tools where id = new.tool_id and site_id = new.site_id) then
    raise exception 'tool % is not on site %', new.tool_id, new.site_id using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger failure_reports_same_site before insert or update of tool_id, machine_id, site_id on failure_reports
  for each row execute function hom_failure_report_same_site();

alter table failure_reports enable row level security;
alter table failure_reports force row level security;
create policy failure_reports_by_site on failure_reports
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
-- Reports are records of what happened: only the link to the action raised is written afterwards.
grant select, insert on failure_reports to hom_app;
grant update (action_item_id) on failure_reports to hom_app;
