-- Platform: the application role and the helpers row-level security keys on.
-- The app connects as hom_app: not a superuser, not the owner of any table, no BYPASSRLS.
do $$
begin
  create role hom_app nologin nosuperuser nocreatedb nocreaterole nobypassrls;
exception when duplicate_object then
  null;
end
$$;

grant usage on schema public to hom_app;

-- The site ids the current transaction may see, set with set_config(..., true) per transaction.
create or replace function hom_site_ids() returns bigint[]
language sql stable parallel safe as $$
  select coalesce(nullif(current_setting('hom.site_ids', true), ''), '{}')::bigint[]
$$;

create or replace function hom_all_sites() returns boolean
language sql stable parallel safe as $$
  select coalesce(current_setting('hom.all_sites', true), 'off') = 'on'
$$;

create or replace function hom_user_id() returns bigint
language sql stable parallel safe as $$
  select nullif(current_setting('hom.user_id', true), '')::bigint
$$;

-- True when a row of the given site is visible to the current transaction.
create or replace function hom_site_visible(row_site_id bigint) returns boolean
language sql stable parallel safe as $$
  select hom_all_sites() or row_site_id = any (hom_site_ids())
$$;

create or replace function hom_touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;
