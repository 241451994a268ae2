import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * A quality engineer brings the limits sheet: one wrong row is named and nothing is stored; then the
 * corrected file goes in, a tighter version is planned for next week, looked at in the history,
 * withdrawn again, and the whole lot is exported.
 */
let srv: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let adminToken: string;
let workDir: string;
const callApi = apiCaller(
  () => srv.url,
  () => adminToken,
);

beforeAll(async () => {
  srv = await startServer();
  adminToken = srv.harness.adminToken;
  browser = await launchChromium();
  workDir = await mkdtemp(path.join(tmpdir(), 'hom-limits-e2e-'));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const HEADER = 'site_code,product_id,test_step,lower_limit,upper_limit,target,unit,effective_from';

describe('spec limits in the browser', () => {
  it('imports a sheet (naming the wrong row), plans and withdraws a version, exports', async () => {
    const stamp = Date.now().toString(36).toUpperCase();
    const site = await callApi<{ id: number; code: string }>('POST', '/sites', {
      code: `QL-${stamp}`,
      name: 'Test bay',
      time_zone: 'Europe/Berlin',
    });
    const bad = path.join(workDir, 'bad.csv');
    const good = path.join(workDir, 'good.csv');
    const rows = (upper: string) => [
      `${site.code},PROD-A,voltage_test,80,90,85,V,2026-01-01 06:00`,
      `${site.code},PROD-A,current,,${upper},,A,`,
    ];
    await writeFile(bad, [HEADER, ...rows('low')].join('\n'));
    await writeFile(good, [HEADER, ...rows('0.5')].join('\n'));

    const context = await browser.newContext({ baseURL: srv.url, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, srv.admin.username, srv.admin.password);

    await page.getByRole('link', { name: 'Spec limits' }).click();
    await page.getByRole('heading', { name: 'Spec limits' }).waitFor();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles(bad);
    await page.getByRole('dialog').getByRole('button', { name: 'Import CSV' }).click();
    await expect.poll(() => page.getByTestId('import-errors').textContent()).toContain('row 3: upper_limit');
    expect(await callApi<unknown[]>('GET', `/quality/limits?site_id=${site.id}&history=true`)).toEqual([]);

    await page.getByLabel('CSV file').setInputFiles(good);
    await page.getByRole('dialog').getByRole('button', { name: 'Import CSV' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = page.getByTestId('limit-row-PROD-A-voltage_test');
    await expect.poll(() => row.textContent()).toContain('80');

    // A tighter version from a week ahead.
    await row.getByRole('button', { name: 'New version' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Lower limit').fill('84');
    await dialog.getByLabel('Upper limit').fill('86');
    await dialog.getByLabel('From a chosen time').check();
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    const pad = (value: number) => String(value).padStart(2, '0');
    await dialog
      .getByLabel('Date and time')
      .fill(`${nextWeek.getFullYear()}-${pad(nextWeek.getMonth() + 1)}-${pad(nextWeek.getDate())}T06:00:00`);
    await dialog.getByRole('button', { name: 'Save version' }).click();
    await dialog.waitFor({ state: 'detached' });
    const next = row.getByTestId('limit-next');
    await expect.poll(() => next.textContent()).not.toBe('—');

    await row.getByRole('button', { name: 'PROD-A / voltage_test: 2 versions' }).click();
    const history = page.getByRole('table', { name: 'Versions of PROD-A / voltage_test' });
    await expect.poll(() => history.textContent()).toContain('Upcoming');
    expect(await history.textContent()).toContain('In force');

    // Only the upcoming version offers Delete.
    expect(await history.getByRole('button', { name: 'Delete' }).count()).toBe(1);
    await history.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => next.textContent()).toBe('—');
    const left = await callApi<{ lower_limit: number }[]>(
      'GET',
      `/quality/limits?site_id=${site.id}&product_id=PROD-A&test_step=voltage_test&history=true`,
    );
    expect(left.map((limit) => limit.lower_limit)).toEqual([80]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^spec-limits-${site.code}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const exported = await readFile((await download.path()) as string, 'utf8');
    expect(exported).toContain(`${site.code},PROD-A,voltage_test,80,90,85,V,2026-01-01T06:00:00+01:00`);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
