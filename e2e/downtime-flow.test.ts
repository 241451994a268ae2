import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * A stop on the shop floor, end to end: an operator on a tablet-sized screen records "Machine down",
 * gives the reason and "Running again"; a technician writes and closes the repair for that stop; the
 * machine's MTTR tile goes from "—" to a number. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface DowntimeRecord {
  id: number;
  machine_id: number;
  reason_code: string | null;
  end_datetime: string | null;
  duration_seconds: number;
  repair_ids: number[];
}
interface RepairRecord {
  id: number;
  status: string;
  downtime_id: number | null;
  end_datetime: string | null;
  actions_taken: string | null;
  technicians: { username: string }[];
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'floor-pass-12345';

let srv: RunningServer;
let browser: Browser;
let adminToken: string;

const callApi = apiCaller(
  () => srv.url,
  () => adminToken,
);

async function signedInPage(
  username: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: srv.url,
    locale: 'en-US',
    colorScheme: 'dark',
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, username, PASSWORD);
  return { context, page, errors };
}

beforeAll(async () => {
  srv = await startServer();
  adminToken = srv.harness.adminToken;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

describe('downtime flow in the browser', () => {
  it('records a stop on the floor, repairs it and shows the MTTR', async () => {
    const { stamp, site, line, machine } = await buildPlant(callApi, {
      prefix: 'FL',
      siteName: 'Assembly hall',
      criticality: 'A',
    });
    const operator = `op.${stamp.toLowerCase()}`;
    const technician = `tech.${stamp.toLowerCase()}`;
    for (const [username, role, fullName] of [
      [operator, 'operator', 'Olga Operator'],
      [technician, 'technician', 'Tom Technician'],
    ] as const) {
      await callApi('POST', '/auth/users', {
        username,
        password: PASSWORD,
        role,
        full_name: fullName,
        site_ids: [site.id],
      });
    }

    // The operator: no failures yet, so no MTTR; then the stop on the floor screen.
    const op = await signedInPage(operator);
    try {
      await op.page.goto(`/app/machines/${machine.id}`);
      await expect
        .poll(() => op.page.getByTestId('kpi-mttr').textContent(), { timeout: UI_TIMEOUT })
        .toBe('—');
      // The dashboard's MTTR tile (the operator's only site, last 30 days) has nothing yet either.
      await op.page.goto('/app/');
      await expect
        .poll(() => op.page.getByTestId('kpi-mttr').textContent(), { timeout: UI_TIMEOUT })
        .toBe('—');

      await op.page.goto('/app/floor');
      await op.page.getByTestId(`floor-line-${line.code}`).click();
      await op.page.getByTestId(`floor-machine-${machine.code}`).click();
      await op.page.getByTestId('floor-down').click();
      const reason = op.page.getByTestId('floor-reason-MECH_JAM');
      await reason.click();
      await expect.poll(() => reason.getAttribute('aria-pressed'), { timeout: UI_TIMEOUT }).toBe('true');
      await op.page.waitForTimeout(2_000);
      await op.page.getByTestId('floor-running').click();
      await op.page.getByTestId('floor-down').waitFor();
      expect(op.errors).toEqual([]);
    } finally {
      await op.context.close();
    }

    const stops = await callApi<{ items: DowntimeRecord[] }>('GET', `/downtimes?machine_id=${machine.id}`);
    expect(stops.items).toHaveLength(1);
    const stop = stops.items[0] as DowntimeRecord;
    expect(stop.reason_code).toBe('MECH_JAM');
    expect(stop.end_datetime).not.toBeNull();
    expect(stop.duration_seconds).toBeGreaterThanOrEqual(1.5);

    // The technician writes the repair for that stop and closes it.
    const tech = await signedInPage(technician);
    try {
      await tech.page.goto(`/app/repairs/new?machine_id=${machine.id}&downtime_id=${stop.id}`);
      await tech.page.getByRole('heading', { name: 'New repair' }).waitFor();
      const form = tech.page.locator('form');
      await expect
        .poll(() => form.getByLabel('Linked stop').inputValue(), { timeout: UI_TIMEOUT })
        .toBe(String(stop.id));
      // The machine list loads on its own; the select shows the machine once its option exists.
      await expect
        .poll(() => form.getByLabel('Machine').inputValue(), { timeout: UI_TIMEOUT })
        .toBe(String(machine.id));
      await form.getByLabel('Description').fill('Jammed feeder, press stopped');
      await form.getByLabel('Status').selectOption('closed');
      await expect.poll(() => form.getByLabel('End').inputValue(), { timeout: UI_TIMEOUT }).not.toBe('');
      await form.getByLabel('Actions taken').fill('Cleared the feeder, checked the guide rails');
      await form.getByRole('checkbox', { name: /Tom Technician/ }).check();
      await form.getByRole('button', { name: 'Create repair' }).click();
      await tech.page.waitForURL(/\/app\/repairs\/\d+$/);
      const repairId = Number(new URL(tech.page.url()).pathname.split('/').pop());

      const repair = await callApi<RepairRecord>('GET', `/repairs/${repairId}`);
      expect(repair.status).toBe('closed');
      expect(repair.downtime_id).toBe(stop.id);
      expect(repair.actions_taken).toContain('feeder');
      expect(repair.technicians.map((person) => person.username)).toEqual([technician]);

      // The failure stop now gives the machine an MTTR.
      await tech.page.goto(`/app/machines/${machine.id}`);
      await expect
        .poll(() => tech.page.getByTestId('kpi-mttr').textContent(), { timeout: UI_TIMEOUT })
        .toMatch(/^\d+[.,]\d+$/);
      // … and so does the dashboard.
      await tech.page.goto('/app/');
      await expect
        .poll(() => tech.page.getByTestId('kpi-mttr').textContent(), { timeout: UI_TIMEOUT })
        .toMatch(/^\d+[.,]\d+$/);
      expect(tech.errors).toEqual([]);
    } finally {
      await tech.context.close();
    }
  }, 120_000);
});
