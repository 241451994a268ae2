import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/** A plant IT person brings the spreadsheet they keep: one wrong row is named, then it all goes in. */
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
  workDir = await mkdtemp(path.join(tmpdir(), 'hom-csv-e2e-'));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const HEADER = 'line_code,line_name,machine_code,machine_name,criticality';

describe('plant CSV in the browser', () => {
  it('names the wrong row and stores nothing, then imports the corrected file and exports it back', async () => {
    const site = await callApi<{ id: number; code: string }>('POST', '/sites', {
      code: 'CSV1',
      name: 'CSV plant',
      time_zone: 'Europe/Berlin',
    });
    const bad = path.join(workDir, 'bad.csv');
    const good = path.join(workDir, 'good.csv');
    await writeFile(bad, `${HEADER}\nIM-1,Moulding,IMM-01,Press 1,A\nIM-1,Moulding,IMM-02,Press 2,Z\n`);
    await writeFile(good, `${HEADER}\nIM-1,Moulding,IMM-01,Press 1,A\nIM-1,Moulding,IMM-02,Press 2,B\n`);

    const context = await browser.newContext({ baseURL: srv.url, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, srv.admin.username, srv.admin.password);

    await page.goto('/app/plant');
    const siteCard = page.getByRole('region', { name: 'CSV plant' });
    await siteCard.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles(bad);
    await page.getByRole('dialog').getByRole('button', { name: 'Import CSV' }).click();
    await expect.poll(() => page.getByTestId('import-errors').textContent()).toContain('row 3: criticality');
    expect(await callApi<unknown[]>('GET', `/machines?site_id=${site.id}`)).toEqual([]);

    await page.getByLabel('CSV file').setInputFiles(good);
    await page.getByRole('dialog').getByRole('button', { name: 'Import CSV' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const machines = await callApi<{ code: string; criticality: string }[]>(
      'GET',
      `/machines?site_id=${site.id}`,
    );
    expect(machines.map((m) => `${m.code}:${m.criticality}`).sort()).toEqual(['IMM-01:A', 'IMM-02:B']);
    await expect.poll(() => siteCard.textContent()).toContain('IMM-02');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      siteCard.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^plant-CSV1-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = await readFile((await download.path()) as string, 'utf8');
    expect(exported).toContain('IMM-02');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
