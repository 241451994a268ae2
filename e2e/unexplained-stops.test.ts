import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../server/src/platform/db/database.ts';
import { checkAutomaticStops, type MachineState } from '../server/src/modules/telemetry/index.ts';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Unexplained stops in Chromium: two machines report stops over the signal recorder (as OPC-UA or
 * MQTT would); the periodic check opens one stop, the other was recorded when its machine ran again;
 * an operator gives the first its reason and splits the second into two parts with their own reasons.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;
interface Downtime {
  id: number;
  start_datetime: string;
  end_datetime: string | null;
  duration_seconds: number;
  reason_code: string | null;
  source: string;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'queue-pass-12345';

let srv: RunningServer;
let browser: Browser;
const callApi = apiCaller(
  () => srv.url,
  () => srv.harness.adminToken,
);

beforeAll(async () => {
  srv = await startServer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

describe('unexplained stops in the browser', () => {
  it('opens a stop from the machine state, and an operator explains one and splits another', async () => {
    const {
      stamp,
      site,
      line,
      machine: press,
    } = await buildPlant(callApi, {
      prefix: 'UX',
      siteName: 'Moulding hall',
      criticality: 'A',
    });
    const welder = await callApi<{ id: number; code: string }>('POST', '/machines', {
      line_id: line.id,
      code: `W${stamp}`,
      name: 'Welder 2',
    });
    const operator = `ux-op-${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: operator,
      password: PASSWORD,
      role: 'operator',
      site_ids: [site.id],
    });

    const signals = srv.harness.server.modules.telemetry.signals;
    const now = Date.now();
    const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000);
    const state = (machineId: number, value: MachineState, at: Date) =>
      srv.harness.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals.recordState(tx, {
          machine_id: machineId,
          site_id: site.id,
          state: value,
          raw_value: null,
          source: 'opcua',
          at,
        }),
      );
    // The press stops 10 minutes ago and is still down: the periodic check opens its stop.
    await state(press.id, 'running', minutesAgo(30));
    await state(press.id, 'stopped', minutesAgo(10));
    expect((await checkAutomaticStops(srv.harness.db)).failed).toBe(0);
    // The welder stopped for 15 minutes and runs again (recorded when it did), then paused 30 s.
    await state(welder.id, 'running', minutesAgo(40));
    await state(welder.id, 'fault', minutesAgo(35));
    await state(welder.id, 'running', minutesAgo(20));
    await state(welder.id, 'stopped', minutesAgo(1));
    await state(welder.id, 'running', minutesAgo(0.5));

    const stopOf = async (machineId: number) =>
      (await callApi<{ items: Downtime[] }>('GET', `/downtimes?machine_id=${machineId}`)).items;
    const [pressStop] = await stopOf(press.id);
    const [welderStop] = await stopOf(welder.id);
    expect(pressStop).toMatchObject({ source: 'automatic', end_datetime: null });
    expect(welderStop?.duration_seconds).toBe(15 * 60);

    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      colorScheme: 'light',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signIn(page, operator, PASSWORD);
      await page.getByRole('link', { name: 'Unexplained stops' }).click();
      await page.getByRole('heading', { name: 'Unexplained stops' }).waitFor();

      const pressRow = page.getByTestId(`unexplained-${pressStop?.id}`);
      await pressRow.waitFor();
      await expect(pressRow.textContent()).resolves.toMatch(/still down.*State: stopped/);
      await page.getByTestId(`unexplained-${welderStop?.id}`).waitFor();
      await expect(page.getByTestId('micro-stops-today').textContent()).resolves.toContain(
        '1 micro-stop today',
      );

      // The press: one reason.
      await page.getByTestId(`explain-${pressStop?.id}`).click();
      await page.getByTestId('explain-reason').selectOption({ label: 'Material shortage' });
      await page.getByLabel('Comment').fill('Dryer empty');
      await page.getByRole('button', { name: 'Save' }).click();
      await pressRow.waitFor({ state: 'detached' });

      // The welder: two parts, cut at the middle the dialog proposes, each with its reason.
      await page.getByTestId(`split-${welderStop?.id}`).click();
      await page.getByTestId('split-reason-0').selectOption({ label: 'Electrical fault' });
      await page.getByTestId('split-reason-1').selectOption({ label: 'Waiting for maintenance' });
      await page.getByRole('dialog').getByRole('button', { name: 'Split' }).click();
      await page.getByTestId(`unexplained-${welderStop?.id}`).waitFor({ state: 'detached' });
      await page.getByText('Every stop has its reason').waitFor();
      await page.getByTestId(`explained-${pressStop?.id}`).waitFor();

      const [explained] = await stopOf(press.id);
      expect(explained).toMatchObject({ reason_code: 'MAT_SHORTAGE', end_datetime: null });
      const parts = (await stopOf(welder.id)).reverse();
      expect(parts.map((part) => part.reason_code)).toEqual(['ELEC_FAULT', 'WAITING']);
      expect(parts[0]?.start_datetime).toBe(welderStop?.start_datetime);
      expect(parts[0]?.end_datetime).toBe(parts[1]?.start_datetime);
      expect(parts[1]?.end_datetime).toBe(welderStop?.end_datetime);
      expect(parts.reduce((sum, part) => sum + part.duration_seconds, 0)).toBe(15 * 60);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
