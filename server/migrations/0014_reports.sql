-- The weekly maintenance report: one PDF per site and week (Monday to Sunday on the site's clock),
-- written by the worker's job on Monday morning or on demand, downloadable and e-mailed to the site's
-- managers once. The PDF bytes live in the row (a report is some tens of kilobytes).

create table weekly_reports (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  -- The Monday that starts the week, on the site's calendar.
  week_start date not null,
  -- The same week as instants: Monday 00:00 to the next Monday 00:00 in the site's time zone.
  period_from timestamptz not null,
  period_to timestamptz not null,
  status text not null default 'ready',
  pdf bytea,
  size_bytes int,
  error text,
  -- 'job' (the weekly schedule) or 'request' (someone pressed "generate now").
  trigger text not null default 'job',
  requested_by bigint references users (id),
  generated_at timestamptz not null default now(),
  -- When the e-mail to the site's managers was queued (once per report).
  emailed_at timestamptz,
  email_recipients int,
  constraint weekly_reports_week_start_monday check (extract(isodow from week_start) = 1),
  constraint weekly_reports_period check (period_to > period_from),
  constraint weekly_reports_status check (status in ('ready', 'failed')),
  constraint weekly_reports_trigger check (trigger in ('job', 'request')),
  constraint weekly_reports_ready check ((status = 'ready') = (pdf is not null)),
  constraint weekly_reports_error_length check (error is null or char_length(error) <= 2000)
);
-- One report per site and week: the job and "generate now" both write this row.
create unique index weekly_reports_site_week on weekly_reports (site_id, week_start);
create index weekly_reports_week_idx on weekly_reports (week_start desc, id desc);

alter table weekly_reports enable row level security;
alter table weekly_reports force row level security;
create policy weekly_reports_by_site on weekly_reports
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
grant select, insert on weekly_reports to hom_app;
grant update (period_from, period_to, status, pdf, size_bytes, error, trigger, requested_by, generated_at,
  emailed_at, email_recipients) on weekly_reports to hom_app;
