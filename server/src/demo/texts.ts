/** What the demo's technicians write: symptoms, actions and parts per failure code, and stop comments. */

export interface Part {
  name: string;
  /** Price of one unit, in the plant's currency. */
  price: number;
}

export interface FailureText {
  descriptions: readonly string[];
  actions: readonly string[];
  parts: readonly Part[];
}

export const FAILURE_TEXTS: Record<string, FailureText> = {
  'FL-001': {
    descriptions: [
      'Loud grinding noise from the main drive bearing',
      'Spindle bearing running hot, vibration alarm',
      'Bearing seized on the ejector side, axis blocked',
    ],
    actions: [
      'Replaced the bearing, greased, checked alignment and run-out',
      'Pulled the shaft, fitted a new bearing set and seal, test run 30 min OK',
    ],
    parts: [
      { name: 'Deep groove ball bearing 6205-2RS', price: 18 },
      { name: 'Angular contact bearing 7208 BEP', price: 96 },
      { name: 'Shaft seal 40x62x8', price: 7 },
      { name: 'Bearing grease LGEP 2 (cartridge)', price: 14 },
    ],
  },
  'FL-002': {
    descriptions: [
      'Drive motor trips on overcurrent',
      'Motor does not start, contactor clicks',
      'Motor overheats',
    ],
    actions: [
      'Replaced the motor, checked windings of the spare and current draw',
      'Cleaned the fan cover, replaced the thermal contact, reset the drive',
    ],
    parts: [
      { name: 'Three-phase motor 2.2 kW', price: 420 },
      { name: 'Motor fan cover', price: 35 },
      { name: 'Contactor 3RT2026', price: 68 },
    ],
  },
  'FL-003': {
    descriptions: [
      'Part-present sensor gives no signal',
      'Proximity sensor flickering',
      'Light curtain fault',
    ],
    actions: [
      'Replaced the sensor and adjusted the switching distance',
      'Replaced the sensor cable, fixed the bracket',
    ],
    parts: [
      { name: 'Inductive sensor M12', price: 45 },
      { name: 'Sensor cable M12 5 m', price: 19 },
      { name: 'Photoelectric sensor', price: 88 },
    ],
  },
  'FL-004': {
    descriptions: ['Oil leak at the clamping cylinder', 'Hydraulic hose leaking under the machine'],
    actions: [
      'Replaced the hose and topped up the oil, cleaned the area',
      'Replaced the cylinder seals, bled the circuit, leak test OK',
    ],
    parts: [
      { name: 'Hydraulic hose DN12 1.5 m', price: 64 },
      { name: 'Cylinder seal kit', price: 120 },
      { name: 'Hydraulic oil HLP 46 (litre)', price: 4 },
    ],
  },
  'FL-005': {
    descriptions: ['Main breaker tripped', 'Short circuit in the control cabinet', 'Fuse blows on start-up'],
    actions: [
      'Found a chafed cable at the drag chain, replaced it and the fuse',
      'Replaced the breaker, measured insulation, restarted',
    ],
    parts: [
      { name: 'Circuit breaker C16', price: 24 },
      { name: 'Fuse 10 A gG', price: 3 },
      { name: 'Control cable 7G1 (metre)', price: 6 },
    ],
  },
  'FL-006': {
    descriptions: [
      'Mould cavity damaged, flash on parts',
      'Cutting insert broken',
      'Die cracked on the left side',
    ],
    actions: [
      'Changed the insert, checked first parts against the drawing',
      'Mould sent to the toolroom, spare mould mounted and released by quality',
    ],
    parts: [
      { name: 'Cutting insert CNMG 120408', price: 12 },
      { name: 'Ejector pin 6 mm', price: 9 },
      { name: 'Die spring', price: 16 },
    ],
  },
  'FL-007': {
    descriptions: ['Barrel heater zone 3 does not reach temperature', 'Nozzle heater band failed'],
    actions: ['Replaced the heater band and the thermocouple', 'Replaced the heater band, checked the SSR'],
    parts: [
      { name: 'Heater band 230 V 800 W', price: 75 },
      { name: 'Thermocouple type J', price: 22 },
    ],
  },
  'FL-008': {
    descriptions: [
      'PLC in stop, program error',
      'HMI frozen, no communication to the drive',
      'Profinet fault',
    ],
    actions: [
      'Restarted the PLC, restored the program from backup',
      'Replaced the Profinet connector, reset the bus, checked all nodes',
    ],
    parts: [{ name: 'Profinet connector RJ45', price: 15 }],
  },
  'FL-009': {
    descriptions: ['Air pressure drops below 5 bar', 'Pneumatic valve sticking', 'Gripper does not close'],
    actions: [
      'Replaced the valve, checked the maintenance unit',
      'Replaced the leaking fitting and the air hose',
    ],
    parts: [
      { name: '5/2 solenoid valve', price: 85 },
      { name: 'Push-in fitting 8 mm', price: 4 },
      { name: 'Air hose 8 mm (metre)', price: 2 },
    ],
  },
  'FL-010': {
    descriptions: ['Guide rails worn, axis judders', 'Belt worn and slipping', 'Chain elongated, jams'],
    actions: [
      'Replaced the worn part, adjusted tension, lubricated',
      'Replaced guides and wipers, test run OK',
    ],
    parts: [
      { name: 'Toothed belt', price: 48 },
      { name: 'Roller chain (metre)', price: 32 },
      { name: 'Guide wiper', price: 11 },
    ],
  },
};

export const PLANNED_MAINTENANCE: FailureText = {
  descriptions: [
    'Planned maintenance: monthly inspection',
    'Planned maintenance: lubrication and filter change',
    'Planned maintenance: safety check and calibration',
  ],
  actions: [
    'Inspected per checklist, lubricated guides, replaced filters',
    'Changed oil filter and air filter, checked safety devices, all OK',
    'Calibrated sensors, tightened connections, cleaned the cabinet',
  ],
  parts: [
    { name: 'Oil filter', price: 38 },
    { name: 'Air filter cartridge', price: 26 },
    { name: 'Lubricant (litre)', price: 9 },
  ],
};

export const STOP_COMMENTS: Record<string, readonly string[]> = {
  CHANGEOVER: ['Product change to the next order', 'Colour change', 'Changeover, first part approved'],
  MAT_SHORTAGE: ['No material at the line', 'Waiting for granulate from the warehouse', 'Boxes missing'],
  MAT_DEFECT: ['Batch too wet, re-drying', 'Coil out of tolerance'],
  QUAL_HOLD: ['Parts on hold until quality decides', 'Dimension out of tolerance, checking'],
  NO_OPERATOR: ['Operator sick, no replacement', 'Operator moved to another line'],
  WAITING: ['Waiting for the maintenance team', 'Technician busy on another machine'],
  MECH_BREAKDOWN: ['Strange noise, stopped the machine', 'Machine blocked'],
  ELEC_FAULT: ['Alarm on the panel', 'No power'],
  HYD_LEAK: ['Oil on the floor', 'Oil dripping from the machine'],
  TOOL_DAMAGE: ['Bad parts, tool damaged', 'Tool broke'],
};

/** What operators write when they raise a production issue, and how it was settled; `{machine}` is the stage's machine. */
export const ISSUE_TEXTS: Record<
  'machine_breakdown' | 'material_shortage' | 'quality_problem' | 'tooling_problem' | 'other',
  { descriptions: readonly string[]; resolutions: readonly string[] }
> = {
  machine_breakdown: {
    descriptions: [
      '{machine} stopped with an alarm, cannot restart',
      '{machine}: hydraulic pressure drops, cycle aborted',
      '{machine} makes a grinding noise, stopped it to be safe',
      '{machine}: axis does not reach its position, fault on the panel',
    ],
    resolutions: [
      'Maintenance reset the drive and replaced a sensor, running again',
      'Technician fixed the fault, first parts checked OK',
      'Worn part replaced by maintenance, order continued',
    ],
  },
  material_shortage: {
    descriptions: [
      'Material for the next shift not at the line',
      'Only half of the components delivered, the rest is missing',
      'Wrong coil delivered, waiting for the right one',
      'Cartons and labels missing for this lot',
    ],
    resolutions: [
      'Warehouse delivered the rest of the material',
      'Material taken from the buffer stock, order continued',
      'Right batch delivered, line restarted',
    ],
  },
  quality_problem: {
    descriptions: [
      'Sink marks on the parts, first-article check failed',
      'Dimension out of tolerance on 3 of 10 parts',
      'Leak test rejects more than 2 %',
      'Burrs on the edges, customer spec says none',
      'Scratches on the visible surface',
    ],
    resolutions: [
      'Parameters adjusted, quality released the lot',
      'Parts sorted, rejects scrapped, process corrected',
      'Quality approved a deviation for this lot',
    ],
  },
  tooling_problem: {
    descriptions: [
      'Insert worn on {machine}, parts at the upper limit',
      'Mould cavity 2 blocked, running on one cavity',
      'Cutting tool broke on {machine}',
      'Fixture clamp does not close properly',
    ],
    resolutions: [
      'Tool changed, first part approved',
      'Toolroom repaired the insert, back to full output',
      'Fixture adjusted and clamps replaced',
    ],
  },
  other: {
    descriptions: [
      'Drawing revision unclear, asked engineering',
      'Not enough operators for this stage on the late shift',
      'Forklift out of order, finished parts pile up at the line',
      'Work instructions missing for this product variant',
    ],
    resolutions: [
      'Engineering confirmed the revision, continued',
      'Operator moved over from another line',
      'Handled by the shift leader',
    ],
  },
};

/** Remarks a planner sometimes adds to a work order after the product's name. */
export const WORK_ORDER_REMARKS: readonly string[] = [
  'Customer order, ship complete',
  'Rush order: customer line down',
  'Sample lot for the customer approval (PPAP)',
  'Split lot: second half follows next week',
  'Use material from the older batch first',
  'Re-run of rejected quantity',
];
