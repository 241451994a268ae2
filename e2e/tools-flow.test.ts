import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Tools in the browser: a technician finds a mould near its life limit in the list, opens it, records
 * a counter reading (the form says which kind), adds a photo of the cavity, mounts it on a machine, and
 * sets its ideal cycle time, which the machine page then shows as the one in effect.
 * Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface ToolRecord {
  id: number;
  total_shots: number;
  mounted: { machine_id: number } | null;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'tools-pass-12345';

let srv: RunningServer;
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
  workDir = await mkdtemp(path.join(tmpdir(), 'hom-tools-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('tools in the browser', () => {
  it('lists a mould near its limit, records a reading, adds a cavity photo and mounts it', async () => {
    const { stamp, site, machine } = await buildPlant(callApi, {
      prefix: 'TL',
      siteName: 'Tool room',
      criticality: 'B',
    });
    const technician = `tools.${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: technician,
      password: PASSWORD,
      role: 'technician',
      site_ids: [site.id],
    });
    const asset = `MLD-${stamp}`;
    const tool = await callApi<ToolRecord>('POST', '/tools', {
      site_id: site.id,
      asset_number: asset,
      name: 'Cap mould 4-cavity',
      life_limit_shots: 10_000,
    });
    await callApi('POST', `/tools/${tool.id}/shots`, {
      kind: 'counter',
      counter_value: 9_200,
      taken_at: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const photo = path.join(workDir, 'cavity.png');
    await writeFile(
      photo,
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#369' } })
        .png()
        .toBuffer(),
    );

    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signIn(page, technician, PASSWORD);

      await page.goto('/app/tools');
      await page.getByRole('heading', { name: 'Tools and moulds' }).waitFor();
      const row = page.getByTestId('tool-row').filter({ hasText: asset });
      await row.getByText('Near life limit').waitFor();
      await row.getByRole('link', { name: asset }).click();
      await page.getByRole('heading', { name: `${asset} · Cap mould 4-cavity` }).waitFor();

      // A counter reading: the form says which kind.
      await page.getByRole('button', { name: 'Record a reading' }).click();
      const dialog = page.getByRole('dialog', { name: 'Record a reading' });
      await dialog.getByLabel('The counter value on the machine').check();
      await dialog.getByLabel('Counter value', { exact: true }).fill('9700');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Reading stored: +500 shots').waitFor();
      await expect
        .poll(async () => (await callApi<ToolRecord>('GET', `/tools/${tool.id}`)).total_shots)
        .toBe(9_700);

      // A photo of the cavity.
      await page.getByLabel('Angle').selectOption('cavity');
      await page.getByTestId('tool-photo-input').setInputFiles(photo);
      await page.getByRole('img', { name: 'cavity.png' }).waitFor();
      const photos = await callApi<{ tag: string }[]>('GET', `/tools/${tool.id}/photos`);
      expect(photos.map((p) => p.tag)).toEqual(['cavity']);

      // Mount it on the machine.
      await page.getByRole('button', { name: 'Mount on a machine' }).click();
      const mount = page.getByRole('dialog', { name: 'Mount on a machine' });
      await mount.getByLabel('Machine').selectOption(String(machine.id));
      await mount.getByRole('button', { name: 'Mount on a machine' }).click();
      await page.getByTestId('mounting-row').filter({ hasText: 'mounted now' }).waitFor();
      expect((await callApi<ToolRecord>('GET', `/tools/${tool.id}`)).mounted?.machine_id).toBe(machine.id);

      // Its ideal cycle time: shown on the tool page, and in effect on the machine it is mounted on.
      await page.getByRole('button', { name: 'Edit tool' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit tool' });
      await edit.getByLabel('Ideal cycle time (s)').fill('12.5');
      await edit.getByRole('button', { name: 'Save' }).click();
      await page.getByText('12.5 s per cycle').waitFor();
      await page.getByRole('link', { name: /· main$/ }).click();
      const settings = page.getByRole('region', { name: 'Automatic downtime & OEE' });
      await settings.getByText('Ideal cycle time in effect now: 12.5 s').waitFor();
      await settings.getByRole('link', { name: `${asset} · Cap mould 4-cavity` }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
