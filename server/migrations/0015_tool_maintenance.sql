-- Tool maintenance: checklist templates, preventive-maintenance plans per tool (every N shots and/or
-- N days), and maintenance logs of tools and machines with the checklist as it was answered.

-- A checklist template. site_id null = shared by every site (only an all-sites admin writes those);
-- otherwise the template belongs to that site. applies_to says what it is for: a tool kind, any tool,
-- machines, or anything.
create table checklist_templates (
  id bigint generated always as identity primary key,
  site_id bigint references sites (id),
  name text not null,
  description text,
  applies_to text not null default 'any',
  is_active boolean not null default true,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint checklist_templates_name_length check (char_length(name) between 1 and 200),
  constraint checklist_templates_description_length check (description is null or char_length(description) <= 2000),
  constraint checklist_templates_applies_to check (
    applies_to in ('any', 'tool', 'machine', 'mould', 'die', 'fixture', 'gauge', 'jig', 'cutting_tool', 'other')
  )
);
-- Names are unique among the active templates a site sees (its own and the shared ones are told
-- apart by the service; here: per site, and among the shared ones).
create unique index checklist_templates_name_key on checklist_templates (coalesce(site_id, 0), lower(name));
create trigger checklist_templates_touch before update on checklist_templates
  for each row execute function hom_touch_updated_at();

create table checklist_template_items (
  id bigint generated always as identity primary key,
  template_id bigint not null references checklist_templates (id) on delete cascade,
  site_id bigint references sites (id),
  position int not null,
  text text not null,
  -- A required step must be answered ok or not ok; n/a is refused.
  required boolean not null default true,
  constraint checklist_template_items_position check (position between 1 and 200),
  constraint checklist_template_items_text_length check (char_length(text) between 1 and 500),
  constraint checklist_template_items_order unique (template_id, position) deferrable initially deferred
);

create table pm_plans (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  tool_id bigint not null references tools (id),
  name text not null,
  every_shots bigint,
  every_days int,
  warn_at_share numeric(4, 3) not null default 0.9,
  checklist_template_id bigint references checklist_templates (id),
  responsible_user_id bigint references users (id),
  is_active boolean not null default true,
  -- The current cycle: since when and from which shot total the plan counts.
  last_done_at timestamptz not null default now(),
  shots_at_last_done bigint not null default 0,
  last_log_id bigint,
  -- The state last evaluated (ok, warning, due, overdue) and what this cycle has told already; all
  -- cleared when the plan is done again, so each is told once per cycle (overdue: once a day).
  state text not null default 'ok',
  state_changed_at timestamptz not null default now(),
  warned_at timestamptz,
  due_raised_at timestamptz,
  overdue_notified_at timestamptz,
  action_item_id bigint references action_items (id),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pm_plans_name_length check (char_length(name) between 1 and 200),
  constraint pm_plans_interval check (every_shots is not null or every_days is not null),
  constraint pm_plans_every_shots check (every_shots is null or every_shots > 0),
  constraint pm_plans_every_days check (every_days is null or every_days between 1 and 3650),
  constraint pm_plans_warn_share check (warn_at_share between 0.5 and 1),
  constraint pm_plans_shots_at_last_done check (shots_at_last_done >= 0),
  constraint pm_plans_state check (state in ('ok', 'warning', 'due', 'overdue'))
);
create unique index pm_plans_name_key on pm_plans (tool_id, lower(name));
create index pm_plans_tool_idx on pm_plans (tool_id) where is_active;
create index pm_plans_site_idx on pm_plans (site_id, state) where is_active;
create trigger pm_plans_touch before update on pm_plans for each row execute function hom_touch_updated_at();

-- What was done to a tool or a machine, by whom, when and for how long, and what was found.
create table maintenance_logs (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  tool_id bigint references tools (id),
  machine_id bigint references machines (id),
  pm_plan_id bigint references pm_plans (id),
  checklist_template_id bigint references checklist_templates (id),
  kind text not null,
  performed_by bigint not null references users (id),
  started_at timestamptz not null,
  duration_minutes int not null,
  findings text,
  follow_up_required boolean not null default false,
  follow_up text,
  action_item_id bigint references action_items (id),
  -- The tool's shot total when the log was written (what a PM log restarts its plan from).
  shots_at bigint,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  constraint maintenance_logs_subject check ((tool_id is null) <> (machine_id is null)),
  constraint maintenance_logs_pm check (pm_plan_id is null or (kind = 'pm' and tool_id is not null)),
  constraint maintenance_logs_kind check (kind in ('pm', 'repair', 'inspection', 'cleaning', 'other')),
  constraint maintenance_logs_duration check (duration_minutes between 1 and 100000),
  constraint maintenance_logs_findings_length check (findings is null or char_length(findings) <= 8000),
  constraint maintenance_logs_follow_up check (
    not follow_up_required or (follow_up is not null and char_length(follow_up) between 1 and 4000)
  )
);
create index maintenance_logs_site_idx on maintenance_logs (site_id, started_at desc, id desc);
create index maintenance_logs_tool_idx on maintenance_logs (tool_id, started_at desc, id desc) where tool_id is not null;
create index maintenance_logs_machine_idx on maintenance_logs (machine_id, started_at desc, id desc) where machine_id is not null;
create index maintenance_logs_plan_idx on maintenance_logs (pm_plan_id) where pm_plan_id is not null;
alter table pm_plans add constraint pm_plans_last_log_fk foreign key (last_log_id) references maintenance_logs (id);

-- The checklist as answered: each step's text copied from the template, so a later edit of the
-- template never changes what was checked.
create table maintenance_log_checks (
  id bigint generated always as identity primary key,
  log_id bigint not null references maintenance_logs (id),
  site_id bigint not null references sites (id),
  position int not null,
  item text not null,
  required boolean not null default true,
  result text not null,
  note text,
  constraint maintenance_log_checks_result check (result in ('ok', 'not_ok', 'na')),
  constraint maintenance_log_checks_note check (result <> 'not_ok' or (note is not null and char_length(note) >= 1)),
  constraint maintenance_log_checks_note_length check (note is null or char_length(note) <= 2000),
  constraint maintenance_log_checks_order unique (log_id, position)
);

do $$
declare
  t text;
begin
  foreach t in array array['pm_plans', 'maintenance_logs', 'maintenance_log_checks'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
  -- Templates: everyone sees the shared ones (site_id null) and their own sites'; only an all-sites
  -- actor writes a shared one (hom_site_visible(null) is true only for all sites).
  foreach t in array array['checklist_templates', 'checklist_template_items'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (site_id is null or hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert, update, delete on pm_plans to hom_app;
grant select, insert, update on maintenance_logs to hom_app;
grant select, insert, update, delete on checklist_templates to hom_app;
grant select, insert, update, delete on checklist_template_items to hom_app;
grant select, insert on maintenance_log_checks to hom_app;
