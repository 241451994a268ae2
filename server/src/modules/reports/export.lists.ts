import type { RequestContext } from '../../platform/auth/actor.ts';
import {
  downtimeFilterInput,
  downtimeOutput,
  repairFilterInput,
  repairOutput,
  type DowntimeService,
  type RepairService,
} from '../maintenance/index.ts';
import { exportOf, type ExportList } from './export.stream.ts';

type ListFn<F, R> = (ctx: RequestContext, filter: F) => Promise<{ items: R[]; next_cursor: string | null }>;

/** The list services whose rows can be exported; each list joins when its module has landed. */
export interface ExportableLists {
  repairs: Pick<RepairService, 'list'>;
  downtimes: Pick<DowntimeService, 'list'>;
}

/** One export per list, each built from the list's own filters, page function and output fields. */
export function exportLists(lists: ExportableLists): ExportList[] {
  return [
    exportOf({
      name: 'repairs',
      filter: repairFilterInput,
      output: repairOutput,
      list: lists.repairs.list as ListFn<unknown, never>,
      cells: {
        technicians: (row) => row.technicians.map((person) => person.username).join('; '),
        parts: (row) => row.parts.map((part) => `${part.part} × ${part.quantity}`).join('; '),
      },
    }),
    exportOf({
      name: 'downtimes',
      filter: downtimeFilterInput,
      output: downtimeOutput,
      list: lists.downtimes.list as ListFn<unknown, never>,
    }),
  ];
}
