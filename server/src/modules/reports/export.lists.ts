import type { Database } from '../../platform/db/database.ts';
import { actionFilterInput, actionOutput, type ActionItemService } from '../actions/index.ts';
import {
  failureReportFilterInput,
  failureReportOutput,
  type FailureReportService,
} from '../failures/index.ts';
import {
  downtimeFilterInput,
  downtimeOutput,
  repairFilterInput,
  repairOutput,
  type DowntimeService,
  type RepairService,
} from '../maintenance/index.ts';
import {
  logFilterInput,
  logOutput,
  toolFilterInput,
  toolOutput,
  type ToolMaintenance,
  type ToolServices,
} from '../tools/index.ts';
import { exportOf, type ExportList } from './export.stream.ts';
import { createShotReadingList, shotReadingFilterInput, shotReadingRowOutput } from './shot-readings.list.ts';

/** The list services whose rows can be exported (each list's own `list`, as its endpoint calls it). */
export interface ExportableLists {
  repairs: Pick<RepairService, 'list'>;
  downtimes: Pick<DowntimeService, 'list'>;
  tools: Pick<ToolServices['tools'], 'list'>;
  maintenanceLogs: Pick<ToolMaintenance['services']['logs'], 'list'>;
  failureReports: Pick<FailureReportService, 'list'>;
  actionItems: Pick<ActionItemService, 'list'>;
}

/** One export per list, each built from the list's own filters, page function and output fields. */
export function exportLists(db: Pick<Database, 'transaction'>, lists: ExportableLists): ExportList[] {
  const shotReadings = createShotReadingList({ db });
  return [
    exportOf({
      name: 'repairs',
      filter: repairFilterInput,
      output: repairOutput,
      list: lists.repairs.list,
      cells: {
        technicians: (row) => row.technicians.map((person) => person.username).join('; '),
        parts: (row) => row.parts.map((part) => `${part.part} × ${part.quantity}`).join('; '),
      },
    }),
    exportOf({
      name: 'downtimes',
      filter: downtimeFilterInput,
      output: downtimeOutput,
      list: lists.downtimes.list,
    }),
    exportOf({ name: 'tools', filter: toolFilterInput, output: toolOutput, list: lists.tools.list }),
    exportOf({
      name: 'shot-readings',
      filter: shotReadingFilterInput,
      output: shotReadingRowOutput,
      list: shotReadings.list,
    }),
    exportOf({
      name: 'maintenance-logs',
      filter: logFilterInput,
      output: logOutput,
      list: lists.maintenanceLogs.list,
      cells: {
        checks: (row) =>
          row.checks
            .map(
              (check) =>
                `${check.position}. ${check.item}: ${check.result}${check.note ? ` (${check.note})` : ''}`,
            )
            .join('; '),
      },
    }),
    exportOf({
      name: 'failure-reports',
      filter: failureReportFilterInput,
      output: failureReportOutput,
      list: lists.failureReports.list,
    }),
    exportOf({
      name: 'action-items',
      filter: actionFilterInput,
      output: actionOutput,
      list: lists.actionItems.list,
    }),
  ];
}
