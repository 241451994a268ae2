-- Shift calendars: when each site plans to produce. No calendar means around the clock (24/7).
create table shift_calendars (
  site_id bigint primary key references sites (id),
  -- [{ "weekday": 1..7 (ISO, Monday = 1), "start": "06:00", "end": "14:00", "name": "Early" }];
  -- an end at or before the start runs past midnight into the next day.
  shifts jsonb not null default '[]',
  -- ["2026-12-25", …]: days without production (a shift that starts on such a day does not happen).
  non_working_dates jsonb not null default '[]',
  updated_at timestamptz not null default now(),
  updated_by bigint references users (id)
);

alter table shift_calendars enable row level security;
alter table shift_calendars force row level security;
create policy shift_calendars_by_site on shift_calendars
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));
grant select, insert, update, delete on shift_calendars to hom_app;
