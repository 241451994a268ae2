import type { Database, Tx } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { createMountingService } from './mounting.service.ts';
import { createShotsService, type AfterShots } from './shots.service.ts';
import { createToolService } from './tool.service.ts';
import { registerToolsGraphql } from './tools.graphql.ts';
import { toolRoutes, type ToolFiles, type ToolServices } from './tools.routes.ts';
import { siteOfTool } from './tool.repository.ts';
import { mountedNowOn, type MountedToolNow } from './mounting.repository.ts';

export type { ToolServices, ToolFiles } from './tools.routes.ts';
export type { AfterShots } from './shots.service.ts';
export type { ToolOutput, MountingOutput, ShotReadingOutput } from './tools.dto.ts';
export { toolNotFound } from './tools.errors.ts';
export { computeDeltas, type DeltaInput, type DeltaResult } from './shots.deltas.ts';
export { evaluatePm } from './pm.due.ts';
// For the reports module's exports: the lists' own filters and output fields.
export { toolFilterInput, toolOutput } from './tools.dto.ts';
export { logFilterInput, logOutput } from './maintenance-log.dto.ts';
// Tool maintenance: PM plans, maintenance logs with checklists, checklist templates.
export { createToolMaintenance, type ToolMaintenance } from './pm.module.ts';
export { maintenanceLogSiteOf } from './maintenance-log.service.ts';

/** Which site a tool is on, as the caller's transaction sees it (null when invisible or unknown). */
export const toolSiteOf = (tx: Tx, toolId: number): Promise<number | null> => siteOfTool(tx, toolId);

export type { MountedToolNow } from './mounting.repository.ts';
/** The tools mounted now on these machines, as the caller's transaction sees them (the machine board). */
export const mountedToolsNow = (tx: Tx, machineIds: readonly number[]): Promise<MountedToolNow[]> =>
  mountedNowOn(tx, machineIds);

/**
 * Tools and moulds: the registry, mountings on machines, shot readings. `afterShots` runs in the same
 * transaction after readings are stored (PM plans check what came due there).
 */
export function createToolsModule(deps: {
  db: Pick<Database, 'transaction'>;
  files: ToolFiles;
  afterShots?: AfterShots;
  clock?: () => Date;
}) {
  const shots = createShotsService({
    db: deps.db,
    ...(deps.afterShots ? { afterShots: deps.afterShots } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const services: ToolServices = {
    tools: createToolService({ db: deps.db }),
    mountings: createMountingService({ db: deps.db, ...(deps.clock ? { clock: deps.clock } : {}) }),
    shots,
  };
  return {
    services,
    routes: toolRoutes(services, deps.files),
    registerGraphql: (builder: Builder) => registerToolsGraphql(builder, services),
    /**
     * For the machine-connectivity path: a machine's cycle counter at an instant becomes shots of the
     * tool(s) mounted on it then, in the caller's transaction (idempotent per tool and instant).
     */
    recordMachineCycles: shots.recordMachineCycles,
    /** The same for a batch of machines and instants (the signal recorder's one call per batch). */
    recordMachineCycleBatch: shots.recordMachineCycleBatch,
  };
}
export type ToolsModule = ReturnType<typeof createToolsModule>;
