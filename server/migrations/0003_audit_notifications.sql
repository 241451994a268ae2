-- Audit log (append-only) and in-app notifications.

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_user_id bigint references users (id),
  actor_label text not null,
  action text not null,
  entity text not null,
  entity_id text not null,
  site_id bigint references sites (id),
  before jsonb,
  after jsonb,
  request_id text
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_entity_idx on audit_log (entity, entity_id, at desc);
create index audit_log_actor_idx on audit_log (actor_user_id, at desc);
create index audit_log_site_idx on audit_log (site_id, at desc);

create or replace function hom_audit_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function hom_audit_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function hom_audit_is_append_only();

alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_read on audit_log for select
  using (hom_all_sites() or (site_id is not null and site_id = any (hom_site_ids())));
create policy audit_log_write on audit_log for insert
  with check (site_id is null or hom_site_visible(site_id));
grant select, insert on audit_log to hom_app;

create table notifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  site_id bigint references sites (id),
  kind text not null,
  title text not null,
  body text,
  link text,
  data jsonb,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

alter table notifications enable row level security;
alter table notifications force row level security;
create policy notifications_own on notifications for select
  using (user_id = hom_user_id() and (site_id is null or hom_site_visible(site_id)));
create policy notifications_mark on notifications for update
  using (user_id = hom_user_id()) with check (user_id = hom_user_id());
create policy notifications_raise on notifications for insert
  with check (site_id is null or hom_site_visible(site_id));
grant select, insert, update (read_at) on notifications to hom_app;

-- Live delivery: every process LISTENs on hom_notification; NOTIFY is sent only when the insert commits.
create or replace function hom_notification_created() returns trigger
language plpgsql as $$
begin
  perform pg_notify('hom_notification', json_build_object('id', new.id, 'user_id', new.user_id)::text);
  return new;
end
$$;
create trigger notifications_created after insert on notifications
  for each row execute function hom_notification_created();
