export { createPlantService, machineRecords, type PlantService } from './plant.service.ts';
export { plantRoutes } from './plant.routes.ts';
export { registerPlantGraphql } from './plant.graphql.ts';
export type { LineOutput, MachineOutput } from './plant.dto.ts';
export { machineNotFound } from './plant.errors.ts';
export { createPlantCsvService, type PlantCsvService } from './plant-csv.service.ts';
export { plantCsvRoutes } from './plant-csv.routes.ts';
export { guardFormula } from './plant-csv.format.ts';
export {
  createCalendarService,
  currentShiftOf,
  plannedWindowsOf,
  type CalendarService,
} from './calendar.service.ts';
export { calendarRoutes } from './calendar.routes.ts';
export {
  plannedWindows,
  shiftAt,
  windowSeconds,
  type ShiftInstance,
  type Window,
} from './calendar.windows.ts';
