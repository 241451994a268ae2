import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Reading limits in Chromium: an admin sets a high limit on a machine's temperature from its chart
 * (a refused pair of limits shows the server's message at the field), the chart draws the limit, a
 * reading above it posted over HTTP opens an alert shown above the charts and on the Reading alerts
 * page; removing the limits (after a confirm) closes it.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

const UI_TIMEOUT = 15_000;
/** The machine page reads its open alerts every 10 s; the server checks about once a second. */
const ALERT_DEADLINE = 25_000;

interface Alert {
  id: number;
  reading_type: string;
  kind: string;
  closed_at: string | null;
}

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

/** Polls the API (bounded) until the machine's open alerts match `done`. */
async function waitForAlerts(machineId: number, done: (alerts: Alert[]) => boolean): Promise<Alert[]> {
  const deadline = Date.now() + ALERT_DEADLINE;
  for (;;) {
    await srv.harness.server.modules.telemetry.readings.idle();
    const alerts = await callApi<Alert[]>('GET', `/reading-alerts?machine_id=${machineId}&open=true`);
    if (done(alerts)) return alerts;
    if (Date.now() > deadline) throw new Error(`alerts of machine ${machineId}: ${JSON.stringify(alerts)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('reading limits and alerts in the browser', () => {
  it('sets a high limit from the chart, shows the alert a reading above it opens, removes the limit', async () => {
    const { machine } = await buildPlant(callApi, {
      prefix: 'RT',
      siteName: 'Extrusion hall',
      criticality: 'B',
    });
    const minute = (back: number) => new Date(Date.now() - back * 60_000).toISOString();
    await callApi('POST', `/machines/${machine.id}/readings`, [
      { reading_type: 'temperature', value: 211.5, unit: '°C', timestamp: minute(4) },
      { reading_type: 'temperature', value: 213, unit: '°C', timestamp: minute(2) },
    ]);

    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signIn(page, srv.admin.username, srv.admin.password);

      await page.goto(`/app/machines/${machine.id}`);
      const chart = page.getByTestId('reading-chart-temperature');
      await chart.and(page.locator('[data-points="2"]')).waitFor();
      await expect(page.getByTestId('machine-reading-alerts').count()).resolves.toBe(0);

      // Limits the server refuses: its message stands at the field.
      await chart.getByTestId('limits-toggle-temperature').click();
      const form = chart.getByTestId('limits-form-temperature');
      await form.getByLabel('Low limit').fill('250');
      await form.getByLabel('High limit').fill('240');
      await form.getByRole('button', { name: 'Save limits' }).click();
      await form.getByText('must be above low').waitFor();

      // A high limit of 240 °C: saved, and drawn on the chart as a dashed red line.
      await form.getByLabel('Low limit').fill('');
      await form.getByLabel('Stale after (seconds)').fill('600');
      await form.getByRole('button', { name: 'Save limits' }).click();
      await page.getByText('Limits of temperature saved').waitFor();
      await form.waitFor({ state: 'detached' });
      await chart
        .getByRole('img', { name: 'temperature over time' })
        .locator('svg path[stroke="#dc2626"]')
        .first()
        .waitFor({ state: 'attached' }); // a horizontal line: its box has no height
      const saved = await callApi<{ low: number | null; high: number; stale_after_seconds: number }>(
        'GET',
        `/machines/${machine.id}/thresholds/temperature`,
      );
      expect(saved).toMatchObject({ low: null, high: 240, stale_after_seconds: 600 });

      // A reading above the limit opens an alert, shown above the charts without a reload.
      await callApi('POST', `/machines/${machine.id}/readings`, {
        reading_type: 'temperature',
        value: 245.5,
        unit: '°C',
        timestamp: new Date(Date.now() - 5_000).toISOString(),
      });
      await waitForAlerts(machine.id, (alerts) => alerts.some((alert) => alert.kind === 'high'));
      const onMachine = page.getByTestId('machine-alert-temperature-high');
      await onMachine.waitFor({ timeout: ALERT_DEADLINE });
      await expect(onMachine.textContent()).resolves.toContain('245.5 °C (limit 240 °C)');
      await expect(onMachine.textContent()).resolves.toContain('above high');

      // The Reading alerts page lists it, with a link back to the machine.
      await page.getByRole('link', { name: 'Reading alerts' }).click();
      await page.getByRole('heading', { name: 'Reading alerts' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: machine.code });
      await row.waitFor();
      await expect(row.textContent()).resolves.toMatch(/temperature.*above high.*245\.5 °C \(limit 240 °C\)/);
      await expect(row.getAttribute('data-open')).resolves.toBe('true');
      await page.getByRole('switch', { name: 'Include closed alerts' }).check({ force: true });
      await row.waitFor();

      // Removing the limits (after a confirm) closes the alert.
      await row.getByRole('link', { name: machine.code }).click();
      await chart.getByTestId('limits-toggle-temperature').click();
      await form.getByRole('button', { name: 'Remove limits' }).click();
      await page
        .getByRole('dialog', { name: 'Remove the limits of temperature?' })
        .getByRole('button', { name: 'Remove limits' })
        .click();
      await page.getByText('Limits of temperature removed').waitFor();
      await page.getByTestId('machine-reading-alerts').waitFor({ state: 'detached' });
      await waitForAlerts(machine.id, (alerts) => alerts.length === 0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
