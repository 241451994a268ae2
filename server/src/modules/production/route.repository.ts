import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './production.schema.ts';
import type { RouteOutput, SaveRouteInput } from './production.dto.ts';

function selectRoutes(tx: Tx) {
  return tx.selectFrom('production_routes as r').select([
    'r.id',
    'r.site_id',
    'r.product_code',
    'r.name',
    sql<false>`false`.as('built_in'),
    sql<RouteOutput['steps']>`coalesce((
        select json_agg(json_build_object('stage_name', st.stage_name, 'weight', st.weight::float8) order by st.position)
        from route_steps st where st.route_id = r.id), '[]'::json)`.as('steps'),
    'r.updated_at',
  ]);
}

export function listRoutes(tx: Tx, siteId?: number): Promise<RouteOutput[]> {
  let query = selectRoutes(tx)
    .orderBy('r.site_id')
    .orderBy(sql`r.product_code is not null`)
    .orderBy('r.product_code');
  if (siteId) query = query.where('r.site_id', '=', siteId);
  return query.execute();
}

export function findRoute(tx: Tx, id: number): Promise<RouteOutput | undefined> {
  return selectRoutes(tx).where('r.id', '=', id).executeTakeFirst();
}

/** The product's own route, else the site's default route. */
export function routeFor(tx: Tx, siteId: number, productCode: string): Promise<RouteOutput | undefined> {
  return selectRoutes(tx)
    .where('r.site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        eb(sql`lower(r.product_code)`, '=', productCode.toLowerCase()),
        eb('r.product_code', 'is', null),
      ]),
    )
    .orderBy(sql`r.product_code is null`)
    .limit(1)
    .executeTakeFirst();
}

export async function routeIdOf(
  tx: Tx,
  siteId: number,
  productCode: string | null,
): Promise<number | undefined> {
  const row = await tx
    .selectFrom('production_routes')
    .select('id')
    .where('site_id', '=', siteId)
    .where(sql`lower(coalesce(product_code, ''))`, '=', (productCode ?? '').toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  return row?.id;
}

/** Creates or replaces the route of one site and product (its steps are rewritten). */
export async function saveRoute(tx: Tx, input: SaveRouteInput): Promise<number> {
  const productCode = input.product_code ?? null;
  let id = await routeIdOf(tx, input.site_id, productCode);
  if (id === undefined) {
    id = (
      await tx
        .insertInto('production_routes')
        .values({ site_id: input.site_id, product_code: productCode, name: input.name })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  } else {
    await tx
      .updateTable('production_routes')
      .set({ name: input.name, product_code: productCode, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await tx.deleteFrom('route_steps').where('route_id', '=', id).execute();
  }
  const routeId = id;
  await tx
    .insertInto('route_steps')
    .values(
      input.steps.map((step, index) => ({
        route_id: routeId,
        site_id: input.site_id,
        position: index + 1,
        stage_name: step.stage_name,
        weight: step.weight,
      })),
    )
    .execute();
  return routeId;
}

export async function deleteRouteRow(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('production_routes').where('id', '=', id).execute();
}
