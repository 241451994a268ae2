import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { FailureCodeCount, OverdueAction, PmPlanDue, ReportSite, ToolNearLimit } from './reports.dto.ts';
import type { ReportWeek } from './weekly.week.ts';

/** What one weekly maintenance report says; `renderWeeklyPdf` only lays it out. */
export interface WeeklyData {
  site: ReportSite;
  week: ReportWeek;
  generated_at: Date;
  /** Overdue and "now" figures are as of this instant (the week's end, or now while it runs). */
  as_of: Date;
  kpi: {
    mttr_hours: number | null;
    mtbf_hours: number | null;
    availability: number | null;
    failures: number;
    downtime_seconds: number;
    unplanned_seconds: number;
    notes: string[];
  };
  /** `label` is code and name (the table), `name` alone (the chart). */
  downtime_by_reason: { label: string; name: string; seconds: number; count: number }[];
  failure_codes: FailureCodeCount[];
  overdue: { total: number; items: OverdueAction[] };
  tools: ToolNearLimit[];
  pm: PmPlanDue[];
}

/**
 * A Unicode font when the machine has one (DejaVu Sans: Cyrillic site and tool names print as they
 * are); else the PDF standard Helvetica, which knows only Latin-1, so other letters become "?".
 */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
];

function unicodeFont(): { regular: string; bold: string } | undefined {
  const regular = FONT_CANDIDATES.find((path) => fs.existsSync(path));
  if (!regular) return undefined;
  const bold = regular.replace(/DejaVuSans\.ttf$/, 'DejaVuSans-Bold.ttf');
  return { regular, bold: fs.existsSync(bold) ? bold : regular };
}

export const formatHours = (hours: number | null): string => (hours === null ? '—' : `${hours.toFixed(2)} h`);
export const formatShare = (share: number | null): string =>
  share === null ? '—' : `${(share * 100).toFixed(1)} %`;
const dateTime = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
const day = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

const MARGIN = 50;
const ROW = 16;
const BAR_COLOURS = ['#1f6feb', '#3b82f6', '#60a5fa', '#93c5fd'];

export function renderWeeklyPdf(data: WeeklyData): Promise<Buffer> {
  const font = unicodeFont();
  const latin1 = (text: string) => (font ? text : text.replace(/[^\u0020-\u00ff\u2013\u2014]/g, '?'));
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Weekly maintenance report ${data.site.code} ${data.week.week_start}`,
      Author: 'HOM',
      CreationDate: data.generated_at,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font) {
    doc.registerFont('body', font.regular);
    doc.registerFont('bold', font.bold);
  }
  const regular = font ? 'body' : 'Helvetica';
  const bold = font ? 'bold' : 'Helvetica-Bold';
  const zone = data.site.time_zone;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;

  const ensureRoom = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const heading = (text: string) => {
    ensureRoom(3 * ROW);
    doc.moveDown(0.8).font(bold).fontSize(13).fillColor('#111111').text(latin1(text), MARGIN, doc.y);
    doc.moveDown(0.3);
  };
  const line = (text: string, options: { colour?: string; size?: number } = {}) => {
    ensureRoom(ROW);
    doc
      .font(regular)
      .fontSize(options.size ?? 10)
      .fillColor(options.colour ?? '#111111')
      .text(latin1(text), MARGIN, doc.y, { width });
  };
  const table = (columns: Column[], rows: string[][]) => {
    const drawRow = (cells: string[], font: string) => {
      ensureRoom(ROW);
      const y = doc.y;
      let x = MARGIN;
      doc.font(font).fontSize(9).fillColor('#111111');
      columns.forEach((column, index) => {
        doc.text(latin1(cells[index] ?? ''), x + 2, y + 3, {
          width: column.width - 4,
          align: column.align ?? 'left',
          lineBreak: false,
          ellipsis: true,
          height: ROW,
        });
        x += column.width;
      });
      doc
        .moveTo(MARGIN, y + ROW)
        .lineTo(MARGIN + width, y + ROW)
        .lineWidth(0.5)
        .strokeColor('#cccccc')
        .stroke();
      doc.x = MARGIN;
      doc.y = y + ROW;
    };
    drawRow(
      columns.map((column) => column.header),
      bold,
    );
    for (const row of rows) drawRow(row, regular);
  };
  /** Horizontal bars drawn with vector rectangles: one per label, length by value. */
  const barChart = (bars: { label: string; value: number; text: string }[]) => {
    const labelWidth = 150;
    const valueWidth = 70;
    const barArea = width - labelWidth - valueWidth;
    const max = Math.max(...bars.map((bar) => bar.value), 0);
    ensureRoom(bars.length * ROW + ROW);
    const top = doc.y + 4;
    bars.forEach((bar, index) => {
      const y = top + index * ROW;
      doc
        .font(regular)
        .fontSize(9)
        .fillColor('#111111')
        .text(latin1(bar.label), MARGIN, y + 3, {
          width: labelWidth - 6,
          height: ROW - 4,
          lineBreak: false,
          ellipsis: true,
        });
      const length = max > 0 ? Math.max(1, (bar.value / max) * barArea) : 0;
      doc
        .rect(MARGIN + labelWidth, y + 2, length, ROW - 5)
        .fill(BAR_COLOURS[index % BAR_COLOURS.length] ?? '#1f6feb');
      doc
        .fillColor('#111111')
        .text(bar.text, MARGIN + labelWidth + length + 4, y + 3, { width: valueWidth, lineBreak: false });
    });
    // The axis.
    doc
      .moveTo(MARGIN + labelWidth, top)
      .lineTo(MARGIN + labelWidth, top + bars.length * ROW)
      .lineWidth(0.8)
      .strokeColor('#555555')
      .stroke();
    doc.x = MARGIN;
    doc.y = top + bars.length * ROW + 4;
  };

  // Title block.
  doc.font(bold).fontSize(18).fillColor('#111111').text('Weekly maintenance report', MARGIN, MARGIN);
  doc.moveDown(0.2);
  line(`Site: ${data.site.name} (${data.site.code})`, { size: 12 });
  line(`Week: ${data.week.week_start} to ${data.week.week_end} (Monday to Sunday, ${zone})`, { size: 12 });
  line(
    `Generated ${dateTime(data.generated_at, zone)} (${zone}); open items as of ${dateTime(data.as_of, zone)}`,
    {
      colour: '#555555',
      size: 9,
    },
  );

  heading('Key figures');
  table(
    [
      { header: 'Figure', width: 200 },
      { header: 'Value', width: 120, align: 'right' },
    ],
    [
      ['MTTR (mean time to repair)', formatHours(data.kpi.mttr_hours)],
      ['MTBF (mean time between failures)', formatHours(data.kpi.mtbf_hours)],
      ['Availability', formatShare(data.kpi.availability)],
      ['Failures', String(data.kpi.failures)],
      ['Downtime, total', formatHours(data.kpi.downtime_seconds / 3600)],
      ['Downtime, unplanned', formatHours(data.kpi.unplanned_seconds / 3600)],
    ],
  );
  for (const note of data.kpi.notes) line(`Note: ${note}`, { colour: '#555555', size: 9 });

  heading('Unplanned downtime by reason');
  if (data.downtime_by_reason.length === 0) line('No unplanned downtime this week.');
  else {
    const top = data.downtime_by_reason.slice(0, 8);
    barChart(
      top.map((entry) => ({
        label: entry.name,
        value: entry.seconds,
        text: formatHours(entry.seconds / 3600),
      })),
    );
    table(
      [
        { header: 'Reason', width: 300 },
        { header: 'Stops', width: 80, align: 'right' },
        { header: 'Hours', width: 115, align: 'right' },
      ],
      data.downtime_by_reason.map((entry) => [
        entry.label,
        String(entry.count),
        (entry.seconds / 3600).toFixed(2),
      ]),
    );
  }

  heading('Top failure codes');
  if (data.failure_codes.length === 0) line('No failure reports or repairs with a failure code this week.');
  else {
    table(
      [
        { header: 'Code', width: 70 },
        { header: 'Name', width: 245 },
        { header: 'Reports', width: 60, align: 'right' },
        { header: 'Repairs', width: 60, align: 'right' },
        { header: 'Total', width: 60, align: 'right' },
      ],
      data.failure_codes.map((entry) => [
        entry.code,
        entry.name,
        String(entry.reports),
        String(entry.repairs),
        String(entry.total),
      ]),
    );
  }

  heading(`Overdue action items (${data.overdue.total})`);
  if (data.overdue.total === 0) line('No overdue action items.');
  else {
    table(
      [
        { header: 'Action', width: 200 },
        { header: 'Assignee', width: 110 },
        { header: 'Due', width: 70 },
        { header: 'Days late', width: 55, align: 'right' },
        { header: 'Priority', width: 60 },
      ],
      data.overdue.items.map((item) => [
        item.title,
        item.assignee ?? 'unassigned',
        day(item.due_at, zone),
        String(item.days_late),
        item.priority,
      ]),
    );
    if (data.overdue.total > data.overdue.items.length) {
      line(`… and ${data.overdue.total - data.overdue.items.length} more (see the action board).`, {
        colour: '#555555',
        size: 9,
      });
    }
  }

  heading('Tools near their life limit (80 % or more)');
  if (data.tools.length === 0) line('No tool has used 80 % of its life.');
  else {
    table(
      [
        { header: 'Asset', width: 90 },
        { header: 'Tool', width: 185 },
        { header: 'Shots', width: 80, align: 'right' },
        { header: 'Life limit', width: 80, align: 'right' },
        { header: 'Used', width: 60, align: 'right' },
      ],
      data.tools.map((tool) => [
        tool.asset_number,
        tool.name,
        String(tool.total_shots),
        String(tool.life_limit_shots),
        formatShare(tool.share),
      ]),
    );
  }

  heading('Preventive maintenance due or overdue');
  if (data.pm.length === 0) line('No PM plan is due.');
  else {
    table(
      [
        { header: 'Plan', width: 150 },
        { header: 'Tool', width: 90 },
        { header: 'State', width: 60 },
        { header: 'Interval used', width: 80, align: 'right' },
        { header: 'Responsible', width: 115 },
      ],
      data.pm.map((plan) => [
        plan.name,
        plan.asset_number,
        plan.state,
        formatShare(plan.share),
        plan.responsible ?? '—',
      ]),
    );
  }

  doc.end();
  return done;
}
