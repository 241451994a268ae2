/** The demo plant's vocabulary: sites, line kinds, machine models, people, failures and their fixes. */

export type FailureCategory = 'mechanical' | 'electrical' | 'hydraulic' | 'tooling';
export type Criticality = 'A' | 'B' | 'C';

export interface SiteTemplate {
  code: string;
  name: string;
  timeZone: string;
  /** [username stem, full name] of the people who work there. */
  people: readonly (readonly [string, string])[];
  /** [username stem, full name] of the production planners, added after `people`. */
  planners: readonly (readonly [string, string])[];
}

export const SITE_TEMPLATES: readonly SiteTemplate[] = [
  {
    code: 'BER',
    name: 'Berlin-Spandau plant',
    timeZone: 'Europe/Berlin',
    people: [
      ['kweber', 'Klaus Weber'],
      ['aschulz', 'Anna Schulz'],
      ['mbecker', 'Markus Becker'],
      ['jhoffmann', 'Julia Hoffmann'],
      ['tkoch', 'Thomas Koch'],
      ['srichter', 'Sabine Richter'],
      ['dwolf', 'Dennis Wolf'],
      ['lneumann', 'Lena Neumann'],
      ['fschwarz', 'Felix Schwarz'],
      ['ckrueger', 'Claudia Krüger'],
      ['ybraun', 'Yusuf Braun'],
      ['pzimmermann', 'Petra Zimmermann'],
    ],
    planners: [
      ['mfischer', 'Martina Fischer'],
      ['jmeyer', 'Jan Meyer'],
    ],
  },
  {
    code: 'KLG',
    name: 'Kaluga plant',
    timeZone: 'Europe/Moscow',
    people: [
      ['aivanov', 'Алексей Иванов'],
      ['esmirnova', 'Елена Смирнова'],
      ['dkuznetsov', 'Дмитрий Кузнецов'],
      ['opopova', 'Ольга Попова'],
      ['svasiliev', 'Сергей Васильев'],
      ['nsokolova', 'Наталья Соколова'],
      ['ipetrov', 'Игорь Петров'],
      ['mmorozova', 'Мария Морозова'],
      ['avolkov', 'Андрей Волков'],
      ['tlebedeva', 'Татьяна Лебедева'],
      ['rnovikov', 'Роман Новиков'],
      ['ifedorova', 'Ирина Федорова'],
    ],
    planners: [
      ['ekozlova', 'Екатерина Козлова'],
      ['pnikolaev', 'Павел Николаев'],
    ],
  },
  {
    code: 'WRO',
    name: 'Wrocław plant',
    timeZone: 'Europe/Warsaw',
    people: [
      ['pnowak', 'Piotr Nowak'],
      ['akowalska', 'Anna Kowalska'],
      ['kwisniewski', 'Krzysztof Wiśniewski'],
      ['mwojcik', 'Magdalena Wójcik'],
      ['tkaminski', 'Tomasz Kamiński'],
      ['jlewandowska', 'Joanna Lewandowska'],
      ['mzielinski', 'Michał Zieliński'],
      ['kszymanska', 'Katarzyna Szymańska'],
    ],
    planners: [['bmazur', 'Barbara Mazur']],
  },
];

export type LineKind = 'IM' | 'ASM' | 'CNC' | 'PKG' | 'PRS' | 'WLD';
export const LINE_KIND_ORDER: readonly LineKind[] = ['IM', 'ASM', 'CNC', 'PKG', 'PRS', 'WLD'];

export const LINE_KINDS: Record<LineKind, { name: string; description: string }> = {
  IM: {
    name: 'Injection moulding',
    description: 'Housings and covers, PP and PA6-GF30, three shifts, seven days',
  },
  ASM: { name: 'Final assembly', description: 'Screwing, press-fit, leak test and end-of-line labelling' },
  CNC: { name: 'Machining', description: 'Turned and milled aluminium and steel parts' },
  PKG: { name: 'Packaging', description: 'Cartons, palletising and stretch wrapping for shipping' },
  PRS: { name: 'Press shop', description: 'Stamped steel brackets from coil' },
  WLD: { name: 'Welding', description: 'Robot MIG welding of frames and brackets' },
};

export interface MachineTemplate {
  prefix: string;
  type: string;
  manufacturer: string;
  models: readonly string[];
  /** Mean operating hours between failures for a B machine. */
  mtbfHours: number;
  failureMix: Readonly<Record<FailureCategory, number>>;
  criticality: Readonly<Record<Criticality, number>>;
  /** The controller reports stops itself (source "automatic"). */
  automatic: boolean;
}

/** prefix | type | manufacturer | models (;) | MTBF h | failure mix m e h t | criticality A B C | auto */
const MACHINE_TABLE: Record<LineKind, readonly string[]> = {
  IM: [
    'IMM|Injection moulding machine|Engel|victory 200;e-mac 280|90|2 2 4 4|6 3 1|auto',
    'ROB|Take-out robot|Wittmann|W918;W933|220|3 4 1 1|2 6 2|auto',
    'IMM|Injection moulding machine|Arburg|Allrounder 470 H;Allrounder 570 A|110|2 2 4 4|6 3 1|auto',
    'DRY|Material dryer|Motan|Luxor 120;Luxor 240|250|2 4 1 0|1 4 5|manual',
    'TCU|Temperature control unit|Regloplas|90smart;150smart|200|2 4 3 0|1 4 5|manual',
  ],
  ASM: [
    'SCR|Screwdriving station|Atlas Copco|QST 34;PowerFocus 6000|160|3 4 0 3|3 5 2|auto',
    'PFS|Press-fit station|Schmidt|ServoPress 450;HydroPneumaticPress 343|130|4 3 3 1|4 4 2|auto',
    'LKT|Leak tester|ATEQ|F620;F28|180|1 4 4 0|3 5 2|auto',
    'CNV|Conveyor|Bosch Rexroth|TS 2plus;VarioFlow plus|240|5 3 0 0|1 4 5|manual',
    'LBL|Labeller|Zebra|ZE511;ZT620|200|3 4 0 1|1 5 4|manual',
  ],
  CNC: [
    'LTH|CNC lathe|DMG Mori|NLX 2500;CLX 350|100|4 2 2 5|6 3 1|auto',
    'VMC|Vertical machining centre|Haas|VF-4;VF-2SS|110|4 2 1 5|5 4 1|auto',
    'GRD|Cylindrical grinder|Studer|S33;S41|150|4 2 2 3|3 5 2|auto',
    'CMM|Coordinate measuring machine|Zeiss|Contura;Spectrum II|250|2 5 1 0|2 5 3|manual',
  ],
  PKG: [
    'CSP|Case packer|Schubert|TLM F44|120|5 3 2 1|3 5 2|auto',
    'PAL|Palletising robot|KUKA|KR 180 R3200 PA|200|3 4 1 0|3 5 2|auto',
    'WRP|Stretch wrapper|Robopac|Rotoplat 708;Technoplat 3000|180|4 3 1 0|1 4 5|manual',
  ],
  PRS: [
    'PRS|Hydraulic press|Schuler|MSD 400;TBS 250|70|3 2 5 4|7 2 1|auto',
    'CLF|Coil feeder|Dimeco|Servo 600|160|4 3 1 1|3 5 2|manual',
    'PRS|Servo press|Aida|DSF-N2-2000|90|3 3 3 4|6 3 1|auto',
  ],
  WLD: [
    'WRB|Welding robot|Fanuc|ARC Mate 100iD;ARC Mate 120iD|120|2 4 0 4|5 4 1|auto',
    'WPS|Welding power source|Fronius|TPS 500i|230|1 6 0 1|2 5 3|manual',
    'FXT|Clamping fixture|Tünkers|V40 pneumatic|170|3 1 4 2|1 5 4|manual',
  ],
};

function parseTemplate(row: string): MachineTemplate {
  const [prefix, type, manufacturer, models, mtbf, failures, criticality, source] = row.split('|') as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [m, e, h, t] = failures.split(' ').map(Number) as [number, number, number, number];
  const [a, b, c] = criticality.split(' ').map(Number) as [number, number, number];
  return {
    prefix,
    type,
    manufacturer,
    models: models.split(';'),
    mtbfHours: Number(mtbf),
    failureMix: { mechanical: m, electrical: e, hydraulic: h, tooling: t },
    criticality: { A: a, B: b, C: c },
    automatic: source === 'auto',
  };
}

/** Per line kind, the machines a line holds, in the order they are placed. */
export const MACHINE_TEMPLATES: Record<LineKind, readonly MachineTemplate[]> = {
  IM: MACHINE_TABLE.IM.map(parseTemplate),
  ASM: MACHINE_TABLE.ASM.map(parseTemplate),
  CNC: MACHINE_TABLE.CNC.map(parseTemplate),
  PKG: MACHINE_TABLE.PKG.map(parseTemplate),
  PRS: MACHINE_TABLE.PRS.map(parseTemplate),
  WLD: MACHINE_TABLE.WLD.map(parseTemplate),
};

/** Failure reasons per category, with the failure codes a repair of them records. */
export const FAILURE_REASONS: Record<
  FailureCategory,
  readonly { reason: string; codes: readonly string[] }[]
> = {
  mechanical: [
    { reason: 'MECH_BREAKDOWN', codes: ['FL-001', 'FL-001', 'FL-010', 'FL-002'] },
    { reason: 'MECH_JAM', codes: ['FL-010', 'FL-001'] },
  ],
  electrical: [
    { reason: 'ELEC_FAULT', codes: ['FL-005', 'FL-002'] },
    { reason: 'ELEC_SENSOR', codes: ['FL-003'] },
    { reason: 'ELEC_CONTROL', codes: ['FL-008'] },
  ],
  hydraulic: [
    { reason: 'HYD_LEAK', codes: ['FL-004'] },
    { reason: 'HYD_PRESSURE', codes: ['FL-009', 'FL-004'] },
  ],
  tooling: [
    { reason: 'TOOL_DAMAGE', codes: ['FL-006'] },
    { reason: 'TOOL_CHANGE', codes: ['FL-006', 'FL-007'] },
  ],
};

/** Median repair minutes per failure category (log-normal around it, long tail to 8 h). */
export const FAILURE_MEDIAN_MINUTES: Record<FailureCategory, number> = {
  mechanical: 55,
  electrical: 35,
  hydraulic: 50,
  tooling: 45,
};

/** Stops that are not failures: weight, median minutes, shape, planned flag. */
export const OTHER_STOPS: Readonly<
  Record<string, { weight: number; median: number; sigma: number; planned: boolean }>
> = {
  CHANGEOVER: { weight: 30, median: 40, sigma: 0.4, planned: false },
  MAT_SHORTAGE: { weight: 18, median: 25, sigma: 0.8, planned: false },
  MAT_DEFECT: { weight: 5, median: 35, sigma: 0.7, planned: false },
  QUAL_HOLD: { weight: 10, median: 60, sigma: 0.8, planned: false },
  NO_OPERATOR: { weight: 15, median: 20, sigma: 0.7, planned: false },
  WAITING: { weight: 10, median: 25, sigma: 0.6, planned: false },
  BREAK: { weight: 12, median: 30, sigma: 0.3, planned: true },
};

/** One step of a production route; `machine` is the prefix of the line's machine that does it, if any. */
export interface RouteStepTemplate {
  stage: string;
  weight: number;
  machine: string | null;
}

export interface ProductTemplate {
  code: string;
  /** What the planner writes in the work order's notes. */
  name: string;
  /** Pieces an hour, to size a lot to its planned window. */
  perHour: number;
  /** The product's own route, or null for the site's default route. */
  route: readonly RouteStepTemplate[] | null;
}

/** "stage*weight@MACHINE > …": weight 1 and no machine when left out. */
function parseRoute(text: string): RouteStepTemplate[] {
  return text.split(' > ').map((step) => {
    const [, stage, weight, machine] = /^(.+?)(?:\*(\d+(?:\.\d+)?))?(?:@([A-Z]+))?$/.exec(step.trim())!;
    return { stage: stage!, weight: weight ? Number(weight) : 1, machine: machine ?? null };
  });
}

/** Every site's default route, used by products without their own (the production module's built-in one, weighted). */
export const DEFAULT_ROUTE = {
  name: 'Standard route: moulding to packing',
  steps: parseRoute('moulding*3@IMM > deburring > assembly*2 > testing@LKT > packing'),
};

/** code | name | pieces an hour | route (empty: the site's default route) */
const PRODUCT_TABLE: Record<LineKind, readonly string[]> = {
  IM: [
    'HSG-4471-PA6|Pump housing, PA6-GF30 black|220|',
    'CVR-2208-PP|Terminal box cover, PP grey|300|moulding*4@IMM > visual inspection > packing',
    'IMP-0935-PPS|Impeller D93, PPS-GF40|180|',
  ],
  ASM: [
    'PMP-A40-230|Circulation pump A40, 230 V|75|kitting > screwing*2@SCR > press-fit@PFS > leak test*2@LKT > labelling@LBL > packing',
    'ACT-M25-24V|Zone valve actuator M25, 24 V|110|kitting > screwing*2@SCR > end-of-line test*2@LKT > labelling@LBL > packing',
    'CTL-G3-EU|Pump controller G3, EU plug|90|kitting > screwing@SCR > press-fit@PFS > end-of-line test*2@LKT > packing',
  ],
  CNC: [
    'SHF-3120-42C|Drive shaft D32, 42CrMo4|35|turning*3@LTH > milling*2@VMC > grinding*2@GRD > inspection@CMM > packing',
    'FLG-0880-ALU|Flange DN80, EN AW-6082|45|turning*2@LTH > milling*3@VMC > deburring > inspection@CMM > packing',
    'BSH-1625-CUZ|Bushing 16x25, CuZn39Pb3|120|turning*3@LTH > deburring > inspection@CMM > packing',
  ],
  PKG: [
    'SET-A40-EXP|Export set A40 pump, 24 per carton|280|kitting > case packing*2@CSP > palletising@PAL > wrapping@WRP',
    'SET-M25-SVC|Service kit M25 actuator|320|kitting*2 > case packing@CSP > palletising@PAL > wrapping@WRP',
  ],
  PRS: [
    'BRK-2040-DC04|Mounting bracket 2040, DC04 1.5 mm|300|stamping*3@PRS > deburring > inspection > packing',
    'PLT-0615-S235|Base plate 615, S235 3 mm|200|blanking@PRS > forming*2@PRS > deburring > inspection > packing',
  ],
  WLD: [
    'FRM-1200-S235|Pump base frame 1200, S235|25|tacking@FXT > welding*3@WRB > grinding > inspection > painting*2',
    'CON-W310-S355|Welded console 310, S355|40|tacking@FXT > welding*2@WRB > grinding > inspection > packing',
  ],
};

function parseProduct(row: string): ProductTemplate {
  const [code, name, perHour, route] = row.split('|') as [string, string, string, string];
  return { code, name, perHour: Number(perHour), route: route ? parseRoute(route) : null };
}

/** Per line kind, the products its work orders make. */
export const PRODUCTS: Record<LineKind, readonly ProductTemplate[]> = {
  IM: PRODUCT_TABLE.IM.map(parseProduct),
  ASM: PRODUCT_TABLE.ASM.map(parseProduct),
  CNC: PRODUCT_TABLE.CNC.map(parseProduct),
  PKG: PRODUCT_TABLE.PKG.map(parseProduct),
  PRS: PRODUCT_TABLE.PRS.map(parseProduct),
  WLD: PRODUCT_TABLE.WLD.map(parseProduct),
};
