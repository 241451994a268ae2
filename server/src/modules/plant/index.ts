export { createPlantService, machineRecords, type PlantService } from './plant.service.ts';
export { plantRoutes } from './plant.routes.ts';
export { registerPlantGraphql } from './plant.graphql.ts';
export type { LineOutput, MachineOutput } from './plant.dto.ts';
export { machineNotFound } from './plant.errors.ts';
export { createCalendarService, plannedWindowsOf, type CalendarService } from './calendar.service.ts';
export { calendarRoutes } from './calendar.routes.ts';
export { plannedWindows, windowSeconds, type Window } from './calendar.windows.ts';
