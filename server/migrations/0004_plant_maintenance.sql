-- Plant structure (lines, machines) and maintenance records (downtime with reason codes, repairs).

create table lines (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  code text not null,
  name text not null,
  description text,
  status text not null default 'working',
  notes text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint lines_status check (status in ('working', 'maintenance', 'stopped')),
  constraint lines_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$'),
  constraint lines_name_length check (char_length(name) between 1 and 200)
);
create unique index lines_code_key on lines (site_id, lower(code));
create trigger lines_touch before update on lines for each row execute function hom_touch_updated_at();

create table machines (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  line_id bigint not null references lines (id),
  code text not null,
  name text not null,
  asset_number text,
  serial_number text,
  manufacturer text,
  model text,
  machine_type text,
  status text not null default 'operational',
  criticality text not null default 'B',
  commissioned_on date,
  notes text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint machines_status check (status in ('operational', 'broken', 'maintenance')),
  constraint machines_criticality check (criticality in ('A', 'B', 'C')),
  constraint machines_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$'),
  constraint machines_name_length check (char_length(name) between 1 and 200)
);
create unique index machines_code_key on machines (site_id, lower(code));
create index machines_line_idx on machines (line_id);
create trigger machines_touch before update on machines for each row execute function hom_touch_updated_at();

-- A machine's line must belong to the machine's site.
create or replace function hom_machine_line_same_site() returns trigger
language plpgsql as $$
begin
  if not exists (select 1 from lines where id = new.line_id and site_id = new.site_id) then
    raise exception 'line % is not on site %', new.line_id, new.site_id using errcode = 'check_violation';
  end if;
  return new;
end
$$;
create trigger machines_line_site before insert or update of line_id, site_id on machines
  for each row execute function hom_machine_line_same_site();

-- Catalogs shared by every site (configuration, managed by admins): reasons for stops, failure codes.
create table downtime_categories (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  name_ru text,
  -- Stops of this category are failures: they count in MTTR and MTBF.
  is_failure boolean not null default true,
  is_active boolean not null default true,
  sort_order int not null default 0
);

create table downtime_reasons (
  id bigint generated always as identity primary key,
  category_id bigint not null references downtime_categories (id),
  code text not null unique,
  name text not null,
  name_ru text,
  is_active boolean not null default true,
  sort_order int not null default 0
);

create table failure_codes (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  description text,
  default_severity text not null default 'medium',
  is_active boolean not null default true,
  constraint failure_codes_code_format check (code ~ '^[A-Z]{2,5}-[0-9]{3,5}$'),
  constraint failure_codes_severity check (default_severity in ('low', 'medium', 'high', 'critical'))
);

create table downtimes (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  start_at timestamptz not null,
  end_at timestamptz,
  planned boolean not null default false,
  reason_id bigint references downtime_reasons (id),
  comment text,
  source text not null default 'manual',
  reported_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint downtimes_order check (end_at is null or end_at > start_at),
  constraint downtimes_source check (source in ('manual', 'automatic', 'issue'))
);
-- At most one open stop per machine.
create unique index downtimes_one_open on downtimes (machine_id) where end_at is null;
create index downtimes_machine_time_idx on downtimes (machine_id, start_at desc);
create index downtimes_site_time_idx on downtimes (site_id, start_at desc);
create trigger downtimes_touch before update on downtimes for each row execute function hom_touch_updated_at();

create table repairs (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  machine_id bigint not null references machines (id),
  repair_type text not null default 'unscheduled',
  status text not null default 'open',
  start_at timestamptz not null,
  end_at timestamptz,
  description text not null,
  failure_code_id bigint references failure_codes (id),
  actions_taken text,
  cost numeric(14, 2),
  downtime_id bigint references downtimes (id),
  created_by bigint references users (id),
  updated_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint repairs_type check (repair_type in ('scheduled', 'unscheduled')),
  constraint repairs_status check (status in ('open', 'in_progress', 'closed')),
  constraint repairs_order check (end_at is null or end_at >= start_at),
  constraint repairs_closed check (status <> 'closed' or (end_at is not null and coalesce(actions_taken, '') <> '')),
  constraint repairs_cost check (cost is null or cost >= 0)
);
create index repairs_machine_time_idx on repairs (machine_id, start_at desc);
create index repairs_site_time_idx on repairs (site_id, start_at desc);
create trigger repairs_touch before update on repairs for each row execute function hom_touch_updated_at();

create table repair_technicians (
  repair_id bigint not null references repairs (id) on delete cascade,
  user_id bigint not null references users (id),
  site_id bigint not null references sites (id),
  primary key (repair_id, user_id)
);

create table repair_parts (
  id bigint generated always as identity primary key,
  repair_id bigint not null references repairs (id) on delete cascade,
  site_id bigint not null references sites (id),
  part text not null,
  quantity numeric(12, 3) not null,
  constraint repair_parts_quantity check (quantity > 0)
);
create index repair_parts_repair_idx on repair_parts (repair_id);

do $$
declare
  t text;
begin
  foreach t in array array['lines', 'machines', 'downtimes', 'repairs', 'repair_technicians', 'repair_parts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy %I on %I using (hom_site_visible(site_id)) with check (hom_site_visible(site_id))', t || '_by_site', t);
  end loop;
end
$$;

grant select, insert, update on lines, machines, downtimes, repairs to hom_app;
grant select, insert, delete on repair_technicians, repair_parts to hom_app;
grant select, insert, update on downtime_categories, downtime_reasons, failure_codes to hom_app;

-- A sensible default catalog; admins edit it.
insert into downtime_categories (code, name, name_ru, is_failure, sort_order) values
  ('mechanical', 'Mechanical', 'Механика', true, 10),
  ('electrical', 'Electrical', 'Электрика', true, 20),
  ('hydraulic', 'Hydraulic / pneumatic', 'Гидравлика / пневматика', true, 30),
  ('tooling', 'Tooling', 'Оснастка', true, 40),
  ('material', 'Material', 'Материал', false, 50),
  ('quality', 'Quality', 'Качество', false, 60),
  ('changeover', 'Changeover', 'Переналадка', false, 70),
  ('organisation', 'Organisation', 'Организация', false, 80),
  ('planned', 'Planned', 'Плановые', false, 90);

insert into downtime_reasons (category_id, code, name, name_ru, sort_order)
select c.id, r.code, r.name, r.name_ru, r.sort_order
from (values
  ('mechanical', 'MECH_BREAKDOWN', 'Mechanical breakdown', 'Механическая поломка', 10),
  ('mechanical', 'MECH_JAM', 'Jam / blockage', 'Заклинивание', 20),
  ('electrical', 'ELEC_FAULT', 'Electrical fault', 'Электрическая неисправность', 10),
  ('electrical', 'ELEC_SENSOR', 'Sensor fault', 'Неисправность датчика', 20),
  ('electrical', 'ELEC_CONTROL', 'Control / PLC fault', 'Сбой управления / ПЛК', 30),
  ('hydraulic', 'HYD_LEAK', 'Hydraulic leak', 'Утечка гидравлики', 10),
  ('hydraulic', 'HYD_PRESSURE', 'Pressure loss', 'Потеря давления', 20),
  ('tooling', 'TOOL_DAMAGE', 'Tool or mould damage', 'Повреждение инструмента или пресс-формы', 10),
  ('tooling', 'TOOL_CHANGE', 'Unplanned tool change', 'Внеплановая замена инструмента', 20),
  ('material', 'MAT_SHORTAGE', 'Material shortage', 'Нехватка материала', 10),
  ('material', 'MAT_DEFECT', 'Defective material', 'Дефектный материал', 20),
  ('quality', 'QUAL_HOLD', 'Quality hold', 'Остановка по качеству', 10),
  ('changeover', 'CHANGEOVER', 'Product changeover', 'Переналадка на другой продукт', 10),
  ('organisation', 'NO_OPERATOR', 'No operator', 'Нет оператора', 10),
  ('organisation', 'WAITING', 'Waiting for maintenance', 'Ожидание ремонтной службы', 20),
  ('planned', 'PLANNED_MAINTENANCE', 'Planned maintenance', 'Плановое обслуживание', 10),
  ('planned', 'BREAK', 'Break / meeting', 'Перерыв / собрание', 20)
) as r (category, code, name, name_ru, sort_order)
join downtime_categories c on c.code = r.category;

insert into failure_codes (code, name, description, default_severity) values
  ('FL-001', 'Bearing failure', 'Worn or seized bearing', 'high'),
  ('FL-002', 'Motor failure', 'Motor does not run or overheats', 'high'),
  ('FL-003', 'Sensor failure', 'Sensor gives no or wrong signal', 'medium'),
  ('FL-004', 'Hydraulic leak', 'Oil leak in the hydraulic circuit', 'medium'),
  ('FL-005', 'Electrical short', 'Short circuit or tripped breaker', 'high'),
  ('FL-006', 'Mould damage', 'Cracked, worn or blocked mould', 'high'),
  ('FL-007', 'Heater failure', 'Barrel or nozzle heater fault', 'medium'),
  ('FL-008', 'Software / PLC fault', 'Control program or PLC error', 'medium'),
  ('FL-009', 'Pneumatic fault', 'Air pressure or valve fault', 'low'),
  ('FL-010', 'Wear', 'General wear of moving parts', 'low');
