import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * The live quality dashboard, end to end: a manager opens /app/quality on a tablet (dark theme); a
 * test station sends results with its API key to POST /ingest. Without a reload the feed shows each
 * one as it is stored (GET /ws/live), the machine's tile turns red after a FAIL, and three FAILs in a
 * row raise an alert that the dashboard lists and the bell counts; the manager acknowledges it, pauses
 * the feed, and traces a unit by its serial number. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface Alert {
  id: number;
  kind: string;
  machine_code: string;
  acknowledged_at: string | null;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'quality-pass-12345';
const PRODUCT = 'PSU-12';
const STEP = 'output_voltage';
const SCREENSHOTS = process.env.HOM_E2E_SCREENSHOTS;

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
    timezoneId: 'Europe/Berlin',
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

describe('quality dashboard in the browser', () => {
  it('shows results live, turns the tile red on a FAIL and raises an alert after 3 FAILs in a row', async () => {
    const { stamp, site, machine } = await buildPlant(callApi, {
      prefix: 'QD',
      siteName: 'Test bay',
      criticality: 'B',
    });
    const managerName = `qm.${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: managerName,
      password: PASSWORD,
      role: 'manager',
      full_name: 'Quinn Quality',
      site_ids: [site.id],
    });
    const { key } = await callApi<{ key: string }>('POST', '/api-keys', {
      site_id: site.id,
      name: 'EOL tester',
    });
    await callApi('POST', '/quality/limits', {
      site_id: site.id,
      product_id: PRODUCT,
      test_step: STEP,
      lower_limit: 11.5,
      upper_limit: 12.5,
      target: 12,
      unit: 'V',
    });

    let serial = 0;
    /** Sends results the way a station does; answers their serial numbers once they are durable. */
    const send = async (...values: number[]): Promise<string[]> => {
      const results = values.map((value) => ({
        barcode: `SN-${stamp}-${++serial}`,
        machine_id: machine.code,
        product_id: PRODUCT,
        test_step: STEP,
        measured_value: value,
        unit: 'V',
        timestamp: new Date(Date.now() + serial).toISOString(),
      }));
      const response = await fetch(new URL('/ingest', srv.url), {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(results),
      });
      expect(response.status, await response.clone().text()).toBe(202);
      return results.map((result) => result.barcode);
    };

    const { context, page, errors } = await signedInPage(managerName);
    try {
      await page.getByRole('link', { name: 'Quality dashboard' }).click();
      await page.getByRole('heading', { name: 'Quality', exact: true }).waitFor();
      await page.getByText('No results yet', { exact: true }).waitFor();
      const tile = page.getByTestId(`quality-tile-${machine.code}`);
      expect(await tile.getAttribute('data-colour')).toBe('grey');
      // the socket is subscribed: nothing sent from now on can be missed
      await expect
        .poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: UI_TIMEOUT })
        .toBe('live');

      // A FAIL arrives: the feed shows it, the tile turns red.
      const [failed] = await send(13.1);
      const rows = page.getByTestId('feed-row');
      await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(1);
      expect(await rows.first().getAttribute('data-verdict')).toBe('FAIL');
      expect(await rows.first().textContent()).toContain(failed);
      await expect.poll(() => tile.getAttribute('data-colour'), { timeout: UI_TIMEOUT }).toBe('red');
      expect(await tile.getByTestId('tile-verdict').textContent()).toBe('FAIL');

      // A PASS follows: newest first, the FAIL below it; the tile follows the last verdict.
      const [passed] = await send(12.02);
      await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(2);
      expect(await rows.first().getAttribute('data-verdict')).toBe('PASS');
      expect(await rows.first().textContent()).toContain(passed);
      expect(await rows.nth(1).textContent()).toContain(failed);
      await expect
        .poll(() => tile.getByTestId('tile-verdict').textContent(), { timeout: UI_TIMEOUT })
        .toBe('PASS');
      expect(await tile.getAttribute('data-colour')).not.toBe('red');
      expect(await page.getByTestId('quality-alert').count()).toBe(0);

      // Three FAILs in a row: the alert shows on the dashboard and in the bell, without a reload.
      await send(13.4, 10.9, 13.8);
      await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(5);
      const alert = page.getByTestId('quality-alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-kind')).toBe('consecutive_fails');
      expect(await alert.getAttribute('data-machine')).toBe(machine.code);
      expect(await alert.textContent()).toContain('3 FAILs in a row');
      await expect.poll(() => tile.getAttribute('data-colour'), { timeout: UI_TIMEOUT }).toBe('red');
      await expect
        .poll(() => tile.getByTestId('tile-alerts').textContent(), { timeout: UI_TIMEOUT })
        .toBe('1 alert');
      await expect
        .poll(() => page.getByTestId('notification-count').textContent(), { timeout: UI_TIMEOUT })
        .toBe('1');
      if (SCREENSHOTS)
        await page.screenshot({ path: path.join(SCREENSHOTS, 'quality-alert.png'), fullPage: true });

      // The manager acknowledges it; it stays open (it clears by itself) and says so.
      await alert.getByRole('button', { name: 'Acknowledge' }).click();
      await alert.getByText('Acknowledged', { exact: true }).waitFor();
      const [stored] = await callApi<Alert[]>('GET', `/quality/alerts?site_id=${site.id}`);
      expect(stored).toMatchObject({ kind: 'consecutive_fails', machine_code: machine.code });
      expect(stored?.acknowledged_at).not.toBeNull();

      // Paused, the feed holds still and counts what waits; resumed, it shows it on top.
      await page.getByRole('button', { name: 'Pause' }).click();
      const [held] = await send(12.1);
      await expect
        .poll(() => page.getByTestId('feed-waiting').textContent(), { timeout: UI_TIMEOUT })
        .toBe('1 new result waiting');
      expect(await rows.count()).toBe(5);
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(6);
      expect(await rows.first().textContent()).toContain(held);

      // Traceability: the unit's results by its serial number.
      await page.getByRole('searchbox', { name: 'Serial number' }).fill(failed ?? '');
      await page.getByRole('button', { name: 'Trace' }).click();
      const trace = page.getByRole('dialog', { name: `Unit ${failed}` });
      await trace.getByTestId('unit-trace').waitFor();
      expect(await trace.textContent()).toContain(machine.code);
      await trace.getByRole('button', { name: 'Close' }).click();

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
