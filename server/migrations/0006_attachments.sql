-- Attachments (photos and documents) of records; the bytes live in the file store under storage_key.

create table attachments (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id),
  owner_type text not null,
  owner_id bigint not null,
  original_name text not null,
  content_type text not null,
  size_bytes bigint not null,
  storage_key text not null,
  thumbnail_key text,
  width int,
  height int,
  uploaded_by bigint references users (id),
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  deleted_by bigint references users (id),
  constraint attachments_owner_type check (owner_type in ('repair')),
  constraint attachments_name_length check (char_length(original_name) between 1 and 255),
  constraint attachments_size check (size_bytes >= 0),
  constraint attachments_dimensions check ((width is null) = (height is null) and coalesce(width, 1) > 0 and coalesce(height, 1) > 0)
);
create unique index attachments_storage_key on attachments (storage_key);
create index attachments_owner_idx on attachments (owner_type, owner_id);
create index attachments_site_idx on attachments (site_id, created_at desc);

alter table attachments enable row level security;
alter table attachments force row level security;
create policy attachments_by_site on attachments
  using (hom_site_visible(site_id)) with check (hom_site_visible(site_id));

-- Rows are never deleted by the application: a removal sets deleted_at (and who did it).
grant select, insert on attachments to hom_app;
grant update (deleted_at, deleted_by) on attachments to hom_app;
