-- Outgoing e-mail: an outbox written in the same transaction as the change that causes the mail, sent by
-- the worker role through SMTP (docs/mail.md). System-only: the application may add mail, but only the
-- system scope (jobs: no user, every site) reads and updates it, so nobody reads another person's mail.
create table mail_outbox (
  id bigint generated always as identity primary key,
  to_addresses text[] not null,
  subject text not null,
  text_body text not null,
  html_body text,
  -- [{filename, content_type, content_base64}]
  attachments jsonb not null default '[]',
  created_at timestamptz not null default now(),
  -- Due for (another) try at this time; a worker that claims the row moves it ahead by its lease, so a
  -- second worker never takes the same row while the first is sending.
  next_attempt_at timestamptz not null default now(),
  attempts int not null default 0,
  last_error text,
  last_attempt_at timestamptz,
  sent_at timestamptz,
  message_id text,
  -- Set when HOM stopped trying (too many failed attempts, or the server refused a recipient for good).
  gave_up_at timestamptz,
  constraint mail_outbox_recipients check (cardinality(to_addresses) between 1 and 100),
  constraint mail_outbox_subject_length check (char_length(subject) between 1 and 500),
  constraint mail_outbox_attempts check (attempts >= 0),
  constraint mail_outbox_attachments_array check (jsonb_typeof(attachments) = 'array')
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at, id) where sent_at is null and gave_up_at is null;
create index mail_outbox_created_idx on mail_outbox (created_at desc, id desc);

alter table mail_outbox enable row level security;
alter table mail_outbox force row level security;
create policy mail_outbox_queue on mail_outbox for insert with check (true);
create policy mail_outbox_system_read on mail_outbox for select
  using (hom_all_sites() and hom_user_id() is null);
create policy mail_outbox_system_send on mail_outbox for update
  using (hom_all_sites() and hom_user_id() is null) with check (hom_all_sites() and hom_user_id() is null);
grant insert on mail_outbox to hom_app;
grant select on mail_outbox to hom_app;
grant update (next_attempt_at, attempts, last_error, last_attempt_at, sent_at, message_id, gave_up_at)
  on mail_outbox to hom_app;

-- The daily digest of action items, once per person and day (the day in the site zone of the job's run).
create table action_digests (
  user_id bigint not null references users (id) on delete cascade,
  digest_date date not null,
  sent_at timestamptz not null default now(),
  open_count int not null,
  primary key (user_id, digest_date)
);

alter table action_digests enable row level security;
alter table action_digests force row level security;
create policy action_digests_system on action_digests
  using (hom_all_sites() and hom_user_id() is null) with check (hom_all_sites() and hom_user_id() is null);
grant select, insert on action_digests to hom_app;

-- When an overdue item was last escalated to the site's managers (escalation_level counts them).
alter table action_items add column escalated_at timestamptz;
