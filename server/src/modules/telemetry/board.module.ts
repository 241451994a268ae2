import type { Database, Tx } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { Authenticate } from '../../platform/http/authed-socket.protocol.ts';
import { registerBoardGraphql } from './board.graphql.ts';
import { boardLiveRoutes } from './board.live.ts';
import { boardRoutes } from './board.routes.ts';
import { createBoardService, type MountedTool, type ShiftOee, type Sparklines } from './board.service.ts';
import { sparklines } from './reading.series.repository.ts';

export type { Authenticate } from '../../platform/http/authed-socket.protocol.ts';
export type { MountedTool, ShiftOee, Sparklines } from './board.service.ts';

export interface BoardPartDeps {
  db: Database;
  /** Identity's authenticator, for GET /ws/machines clients that authenticate in their first message. */
  authenticate: Authenticate;
  /** The tools module's `mountedToolsNow`. */
  mountedTools: (tx: Tx, machineIds: readonly number[]) => Promise<MountedTool[]>;
  /** The kpi module's OEE of the current shift. */
  shiftOee?: ShiftOee | undefined;
  /** Default: the readings' per-minute rollup, the three types each machine reported last. */
  sparklines?: Sparklines | undefined;
}

/**
 * The live machine board: GET /machines/board, GET /machines/{id}/states, GET /ws/machines; in GraphQL
 * `machineBoard` and `machineStates`.
 */
export function createBoardPart(deps: BoardPartDeps) {
  const service = createBoardService({
    db: deps.db,
    mountedTools: deps.mountedTools,
    shiftOee: deps.shiftOee,
    sparklines: deps.sparklines ?? ((tx, machineIds, since) => sparklines(tx, machineIds, since)),
  });
  const live = boardLiveRoutes({ db: deps.db, authenticate: deps.authenticate });
  const routes: ((app: HomApp) => Promise<void>)[] = [boardRoutes(service), live.register];
  const graphql = (builder: Builder) => registerBoardGraphql(builder, service);
  return { service, routes, graphql, liveClients: live.clients };
}
export type BoardPart = ReturnType<typeof createBoardPart>;
