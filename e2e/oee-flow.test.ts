import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOeeExample, type SeededOee } from '../server/src/modules/kpi/tests/oee.seed.ts';
import { launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * OEE in Chromium: the worked example of docs/kpis.md (seeded through the services), opened for its
 * line and day, shows the hand-computed factors, the stale hour left out, the per-shift chart, and
 * the events behind a factor for a machine picked in the table; in Russian too.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

const UI_TIMEOUT = 15_000;

let srv: RunningServer;
let browser: Browser;
let seeded: SeededOee;

beforeAll(async () => {
  srv = await startServer();
  seeded = await seedOeeExample(srv.harness);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

const signInAsAdmin = (page: Page) => signIn(page, srv.admin.username, srv.admin.password);

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

describe('OEE page in the browser', () => {
  it('shows the worked example’s factors for the line, what was left out, and the events behind them', async () => {
    // The site's zone, so the chosen day is the example's Monday.
    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signInAsAdmin(page);
      await page.getByRole('link', { name: 'OEE' }).click();
      await page.getByRole('heading', { name: 'OEE', exact: true }).waitFor();
      if (await page.getByLabel('Site').isVisible())
        await page.getByLabel('Site').selectOption(String(seeded.site.id));
      await page.getByTestId('oee-scope').selectOption(`line:${seeded.lineId}`);
      await page.getByTestId('oee-period').selectOption('custom');
      await page.getByTestId('oee-from').fill('2025-03-03');
      await page.getByTestId('oee-to').fill('2025-03-03');

      // The line's figures of docs/kpis.md: 92.0 %, 86.4 %, 95.0 %, OEE 75.5 %.
      await page.getByTestId('oee-availability').filter({ hasText: '92.0%' }).waitFor();
      expect(await text(page, 'oee-performance')).toBe('86.4%');
      expect(await text(page, 'oee-quality')).toBe('95.0%');
      expect(await text(page, 'oee-oee')).toBe('75.5%');
      await expect(text(page, 'oee-notes')).resolves.toContain(
        'Excluded: 1 h 00 min stale (opcua: connection lost)',
      );
      await page.getByTestId('oee-chart').waitFor();
      await expect(page.getByTestId('oee-machines').getByRole('row').count()).resolves.toBe(2);

      // M1's stops behind availability, then its ideal cycle times behind performance.
      await page.getByRole('button', { name: /^M1 — / }).click();
      const stops = page.getByTestId('oee-drill-stops').getByRole('row');
      await stops.first().waitFor();
      await expect(stops.count()).resolves.toBe(4);
      await expect(page.getByTestId('oee-drill-stale').textContent()).resolves.toContain('connection lost');
      await page.getByRole('button', { name: /Performance/ }).click();
      const ideal = page.getByTestId('oee-drill-ideal').getByRole('row');
      await ideal.first().waitFor();
      await expect(ideal.allTextContents()).resolves.toEqual([
        expect.stringContaining('Tool T-A'),
        expect.stringContaining('Machine'),
        expect.stringContaining('Tool T-B'),
      ]);
      await page.getByRole('button', { name: /Quality/ }).click();
      await page.getByTestId('oee-drill-hours').waitFor();

      // One shift only: Early.
      await page.getByTestId('oee-shift').selectOption('Early');
      await page.getByTestId('oee-availability').filter({ hasText: '87.3%' }).waitFor();
      expect(await text(page, 'oee-oee')).toBe('82.0%');

      // In Russian the labels follow; the numbers stay.
      await page.evaluate(() => localStorage.setItem('hom.lang', 'ru'));
      await page.reload();
      await page.getByRole('heading', { name: 'OEE', exact: true }).waitFor();
      await page.getByText('Доступность').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
