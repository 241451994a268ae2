-- Attachments also hang on tools (photos by angle), failure reports and maintenance logs; a short tag
-- says which photo it is (a tool's front, rear, core, cavity, other).
alter table attachments drop constraint attachments_owner_type;
alter table attachments add constraint attachments_owner_type
  check (owner_type in ('repair', 'tool', 'failure_report', 'maintenance_log'));
alter table attachments add column tag text;
alter table attachments add constraint attachments_tag check (tag is null or tag ~ '^[a-z][a-z0-9_]{0,31}$');

-- Action items: the work that closes the loop from a finding (failure report, maintenance log, PM plan,
-- quality alert) or a manual entry to the thing that fixes it, with its whole history.

create table action_items (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  title text not null,
  description text,
  source text not null default 'manual',
  -- The record in the source's own table (failure report, maintenance log, PM plan, quality alert).
  source_id bigint,
  machine_id bigint references machines (id),
  -- The tool concerned; the foreign key is added with the tools table.
  tool_id bigint,
  priority text not null default 'medium',
  assignee_id bigint references users (id),
  due_at timestamptz,
  status text not null default 'open',
  resolution text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  completed_by bigint references users (id),
  -- The last time its being overdue was told (in the app and by e-mail); escalation repeats daily.
  overdue_notified_at timestamptz,
  escalation_level int not null default 0,
  constraint action_items_title_length check (char_length(title) between 1 and 200),
  constraint action_items_description_length check (description is null or char_length(description) <= 4000),
  constraint action_items_source check (source in ('failure_report', 'maintenance_log', 'pm_plan', 'quality_alert', 'manual')),
  constraint action_items_source_id check ((source = 'manual') = (source_id is null)),
  constraint action_items_priority check (priority in ('low', 'medium', 'high', 'critical')),
  constraint action_items_status check (status in ('open', 'in_progress', 'completed', 'cancelled')),
  constraint action_items_completed check ((status = 'completed') = (completed_at is not null)),
  constraint action_items_escalation check (escalation_level >= 0)
);
-- One open action per source record at a time: raising it again (a redelivered event, a second
-- click) finds the open one instead of writing a second.
create unique index action_items_open_source on action_items (source, source_id)
  where source_id is not null and status in ('open', 'in_progress');
create index action_items_assignee_idx on action_items (assignee_id, status, due_at);
create index action_items_site_idx on action_items (site_id, status, due_at);
create index action_items_due_idx on action_items (due_at) where status in ('open', 'in_progress');
create index action_items_machine_idx on action_items (machine_id, created_at desc) where machine_id is not null;
create index action_items_tool_idx on action_items (tool_id, created_at desc) where tool_id is not null;

alter table action_items enable row level security;
alter table action_items force row level security;
create policy action_items_by_site on action_items
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
grant select, insert, update on action_items to hom_app;

-- What happened to an action item, in order (append-only).
create table action_item_events (
  id bigint generated always as identity primary key,
  action_item_id bigint not null references action_items (id),
  site_id bigint not null references sites (id),
  at timestamptz not null default now(),
  actor_user_id bigint references users (id),
  kind text not null,
  from_value text,
  to_value text,
  note text,
  constraint action_item_events_kind check (kind in ('created', 'edited', 'assigned', 'rescheduled', 'status', 'escalated', 'comment')),
  constraint action_item_events_note_length check (note is null or char_length(note) <= 4000)
);
create index action_item_events_item_idx on action_item_events (action_item_id, at, id);

alter table action_item_events enable row level security;
alter table action_item_events force row level security;
create policy action_item_events_by_site on action_item_events
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
grant select, insert on action_item_events to hom_app;
