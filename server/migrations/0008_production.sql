-- Production tracking: routes (stage templates), work orders, their stages, assignments, issues
-- raised on a stage, and raw machine readings posted by the production-tracking mobile client.

-- A route is the ordered list of stages a product goes through. product_code null = the site's
-- default route, used for products without their own.
create table production_routes (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  product_code text,
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint production_routes_product_format check (product_code is null or product_code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$'),
  constraint production_routes_name_length check (char_length(name) between 1 and 200)
);
create unique index production_routes_product_key on production_routes (site_id, lower(coalesce(product_code, '')));
create trigger production_routes_touch before update on production_routes for each row execute function hom_touch_updated_at();

create table route_steps (
  route_id bigint not null references production_routes (id) on delete cascade,
  site_id bigint not null references sites (id),
  position int not null,
  stage_name text not null,
  -- Share of the work order's planned window this stage gets, relative to the other steps.
  weight numeric(8, 3) not null default 1,
  primary key (route_id, position),
  constraint route_steps_weight check (weight > 0),
  constraint route_steps_name_length check (char_length(stage_name) between 1 and 100)
);

create table work_orders (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  line_id bigint references lines (id),
  product_code text not null,
  lot_no text not null,
  qty int not null,
  planned_start timestamptz not null,
  planned_end timestamptz not null,
  -- Kept in step with the stages by the service on every stage move: planned until one starts,
  -- done when all are, actual window = first actual start to last actual end.
  status text not null default 'planned',
  actual_start timestamptz,
  actual_end timestamptz,
  notes text,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint work_orders_qty check (qty > 0),
  constraint work_orders_status check (status in ('planned', 'in_progress', 'done')),
  constraint work_orders_window check (planned_end > planned_start),
  constraint work_orders_product_format check (product_code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$'),
  constraint work_orders_lot_length check (char_length(lot_no) between 1 and 60)
);
create unique index work_orders_lot_key on work_orders (site_id, lower(product_code), lower(lot_no));
create index work_orders_site_start_idx on work_orders (site_id, planned_start desc, id desc);
create index work_orders_line_idx on work_orders (line_id, planned_start desc);
create index work_orders_finished_idx on work_orders (site_id, actual_end) where status = 'done';
create trigger work_orders_touch before update on work_orders for each row execute function hom_touch_updated_at();

create table work_order_stages (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  work_order_id bigint not null references work_orders (id) on delete cascade,
  position int not null,
  stage_name text not null,
  machine_id bigint references machines (id),
  planned_start timestamptz,
  planned_end timestamptz,
  actual_start timestamptz,
  actual_end timestamptz,
  status text not null default 'planned',
  started_by bigint references users (id),
  finished_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint work_order_stages_status check (status in ('planned', 'in_progress', 'done')),
  -- The state machine, as data: each status has exactly the stamps it implies.
  constraint work_order_stages_stamps check (
    (status = 'planned' and actual_start is null and actual_end is null)
    or (status = 'in_progress' and actual_start is not null and actual_end is null)
    or (status = 'done' and actual_start is not null and actual_end is not null and actual_end >= actual_start)
  ),
  constraint work_order_stages_window check (planned_end is null or planned_start is null or planned_end >= planned_start),
  constraint work_order_stages_name_length check (char_length(stage_name) between 1 and 100)
);
create unique index work_order_stages_position_key on work_order_stages (work_order_id, position);
create index work_order_stages_status_idx on work_order_stages (site_id, status, planned_start);
create trigger work_order_stages_touch before update on work_order_stages for each row execute function hom_touch_updated_at();

create table stage_assignments (
  work_order_stage_id bigint not null references work_order_stages (id) on delete cascade,
  user_id bigint not null references users (id),
  site_id bigint not null references sites (id),
  assigned_by bigint references users (id),
  assigned_at timestamptz not null default now(),
  primary key (work_order_stage_id, user_id)
);
create index stage_assignments_user_idx on stage_assignments (user_id);

-- Issue types are one catalog for every site; admins add to it.
create table issue_types (
  code text primary key,
  name text not null,
  name_ru text,
  is_active boolean not null default true,
  sort_order int not null default 0,
  constraint issue_types_code_format check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  constraint issue_types_name_length check (char_length(name) between 1 and 200)
);
insert into issue_types (code, name, name_ru, sort_order) values
  ('machine_breakdown', 'Machine breakdown', 'Поломка оборудования', 10),
  ('material_shortage', 'Material shortage', 'Нехватка материала', 20),
  ('quality_problem', 'Quality problem', 'Проблема качества', 30),
  ('tooling_problem', 'Tooling problem', 'Проблема с оснасткой', 40),
  ('other', 'Other', 'Другое', 90);

create table production_issues (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  work_order_stage_id bigint not null references work_order_stages (id) on delete cascade,
  type text not null references issue_types (code),
  description text not null,
  status text not null default 'open',
  machine_id bigint references machines (id),
  downtime_id bigint references downtimes (id),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  acknowledged_by bigint references users (id),
  acknowledged_at timestamptz,
  resolved_by bigint references users (id),
  resolved_at timestamptz,
  resolution_note text,
  updated_at timestamptz not null default now(),
  constraint production_issues_status check (status in ('open', 'acknowledged', 'resolved')),
  constraint production_issues_stamps check (
    (status = 'open' and acknowledged_at is null and resolved_at is null)
    or (status = 'acknowledged' and acknowledged_at is not null and resolved_at is null)
    or (status = 'resolved' and acknowledged_at is not null and resolved_at is not null)
  ),
  constraint production_issues_description_length check (char_length(description) between 1 and 4000)
);
create index production_issues_stage_idx on production_issues (work_order_stage_id);
create index production_issues_site_idx on production_issues (site_id, created_at desc, id desc);
create index production_issues_open_idx on production_issues (site_id, status) where status <> 'resolved';
create trigger production_issues_touch before update on production_issues for each row execute function hom_touch_updated_at();

-- Raw readings posted over HTTP. The machine-connectivity work partitions and rolls these up.
create table machine_readings (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  reading_type text not null,
  value double precision not null,
  unit text,
  recorded_at timestamptz not null,
  received_at timestamptz not null default now(),
  constraint machine_readings_type_format check (reading_type ~ '^[a-z][a-z0-9_]{0,39}$'),
  constraint machine_readings_value_finite check (value <> 'NaN' and value <> 'Infinity' and value <> '-Infinity')
);
create index machine_readings_machine_time_idx on machine_readings (machine_id, reading_type, recorded_at desc);

do $$
declare
  t text;
begin
  foreach t in array array['production_routes', 'route_steps', 'work_orders', 'work_order_stages',
                           'stage_assignments', 'production_issues', 'machine_readings'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert, update, delete on production_routes, route_steps, stage_assignments to hom_app;
grant select, insert, update, delete on work_orders, work_order_stages to hom_app;
grant select, insert, update on production_issues to hom_app;
grant select, insert on machine_readings to hom_app;
grant select, insert, update on issue_types to hom_app;
