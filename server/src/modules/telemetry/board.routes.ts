import type { HomApp } from '../../platform/http/types.ts';
import {
  boardOutput,
  boardQueryInput,
  machineIdParams,
  timelineOutput,
  timelineQueryInput,
} from './board.dto.ts';
import type { BoardService } from './board.service.ts';

const tags = ['telemetry'];
const read = { config: { access: { permission: 'plant:read' } } } as const;

/** GET /machines/board and GET /machines/{machine_id}/states (docs/machine-board.md). */
export function boardRoutes(board: BoardService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/machines/board',
      {
        ...read,
        schema: {
          tags,
          summary: "Every active machine's state, stale sources, tools, shift counts, OEE and sparklines",
          querystring: boardQueryInput,
          response: { 200: boardOutput },
        },
      },
      (request) => board.board(request.ctx, request.query),
    );
    app.get(
      '/machines/:machine_id/states',
      {
        ...read,
        schema: {
          tags,
          summary: "A machine's state timeline and stale periods, clipped to [from, to) (default: last 24 h)",
          params: machineIdParams,
          querystring: timelineQueryInput,
          response: { 200: timelineOutput },
        },
      },
      (request) => board.timeline(request.ctx, request.params.machine_id, request.query),
    );
  };
}
