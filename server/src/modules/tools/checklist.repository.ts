import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { TemplateFilter, TemplateItemOutput, TemplateOutput } from './checklist.dto.ts';
import type {} from './checklist.schema.ts';
import type {} from './maintenance-log.schema.ts';
import type {} from './pm.schema.ts';

function selectTemplates(tx: Tx) {
  return tx.selectFrom('checklist_templates as t').select([
    't.id',
    't.site_id',
    't.name',
    't.description',
    't.applies_to',
    't.is_active',
    sql<TemplateItemOutput[]>`coalesce((
        select json_agg(json_build_object('id', i.id, 'position', i.position, 'text', i.text, 'required', i.required)
          order by i.position)
        from checklist_template_items i where i.template_id = t.id), '[]')`.as('items'),
    sql<number>`(select count(*) from maintenance_logs l where l.checklist_template_id = t.id)::int`.as(
      'used_by_logs',
    ),
    sql<number>`(select count(*) from pm_plans p where p.checklist_template_id = t.id)::int`.as(
      'used_by_plans',
    ),
    't.created_by',
    't.created_at',
    't.updated_at',
  ]);
}

export function findTemplate(tx: Tx, id: number): Promise<TemplateOutput | undefined> {
  return selectTemplates(tx).where('t.id', '=', id).executeTakeFirst();
}

export function listTemplates(tx: Tx, filter: TemplateFilter): Promise<TemplateOutput[]> {
  let query = selectTemplates(tx)
    .orderBy(sql`lower(t.name)`)
    .orderBy('t.id');
  if (filter.site_id !== undefined) {
    const siteId = filter.site_id;
    query = query.where((eb) => eb.or([eb('t.site_id', 'is', null), eb('t.site_id', '=', siteId)]));
  }
  if (filter.applies_to) query = query.where('t.applies_to', '=', filter.applies_to);
  if (!filter.include_inactive) query = query.where('t.is_active', '=', true);
  return query.execute();
}

export function lockTemplate(tx: Tx, id: number) {
  return tx
    .selectFrom('checklist_templates')
    .select(['id', 'site_id', 'is_active'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function nameTaken(
  tx: Tx,
  siteId: number | null,
  name: string,
  exceptId: number | null,
): Promise<boolean> {
  let query = tx
    .selectFrom('checklist_templates')
    .select('id')
    .where(sql<boolean>`coalesce(site_id, 0) = ${siteId ?? 0}`)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertTemplate(
  tx: Tx,
  row: {
    site_id: number | null;
    name: string;
    description: string | null;
    applies_to: string;
    created_by: number | null;
  },
): Promise<number> {
  return (await tx.insertInto('checklist_templates').values(row).returning('id').executeTakeFirstOrThrow())
    .id;
}

export async function updateTemplateRow(
  tx: Tx,
  id: number,
  changes: { name?: string; description?: string | null; applies_to?: string; is_active?: boolean },
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('checklist_templates').set(changes).where('id', '=', id).execute();
}

export async function replaceItems(
  tx: Tx,
  templateId: number,
  siteId: number | null,
  items: readonly { text: string; required: boolean }[],
): Promise<void> {
  await tx.deleteFrom('checklist_template_items').where('template_id', '=', templateId).execute();
  await tx
    .insertInto('checklist_template_items')
    .values(
      items.map((item, index) => ({
        template_id: templateId,
        site_id: siteId,
        position: index + 1,
        text: item.text,
        required: item.required,
      })),
    )
    .execute();
}

export async function deleteTemplate(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('checklist_templates').where('id', '=', id).execute();
}
