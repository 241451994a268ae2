import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Issue 6's loop on a tablet, end to end: a technician reports a failure with a photo from the camera
 * input; the action item it raised appears in "My actions" of its assignee, who opens it, starts it
 * and completes it. The end state is checked through the API too. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;
interface FailureRecord {
  id: number;
  severity: string;
  status: string;
  action_item_id: number;
  action_status: string;
  action_assignee_id: number;
  photo_count: number;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'failure-pass-12345';
const TABLET = { width: 800, height: 1280 };

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
  workDir = await mkdtemp(path.join(tmpdir(), 'hom-failure-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 60_000);

const signInAs = (page: Page, username: string) => signIn(page, username, PASSWORD);

describe('failure report → action item on a tablet', () => {
  it('reports a failure with a camera photo; the assignee completes the action it raised', async () => {
    const { stamp, site, machine } = await buildPlant(callApi, {
      prefix: 'FA',
      siteName: 'Failure hall',
      criticality: 'A',
    });
    const reporter = `rep.${stamp.toLowerCase()}`;
    const fixer = `fix.${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: reporter,
      password: PASSWORD,
      role: 'technician',
      full_name: 'Rita Reporter',
      site_ids: [site.id],
    });
    const fixerUser = await callApi<{ id: number }>('POST', '/auth/users', {
      username: fixer,
      password: PASSWORD,
      role: 'technician',
      full_name: 'Felix Fixer',
      site_ids: [site.id],
    });
    const photo = path.join(workDir, 'IMG_0001.jpg');
    await writeFile(
      photo,
      await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#a33' } })
        .jpeg()
        .withExif({ IFD0: { Make: 'Tablet Cam' } })
        .toBuffer(),
    );

    const errors: string[] = [];
    const tablet = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: TABLET,
      hasTouch: true,
      isMobile: true,
    });
    let reportId: number;
    try {
      const page = await tablet.newPage();
      page.setDefaultTimeout(UI_TIMEOUT);
      page.on('pageerror', (error) => errors.push(error.message));
      await signInAs(page, reporter);
      await page.goto('/app/failures/new');
      await page.getByRole('heading', { name: 'Report a failure' }).waitFor();

      await page.getByTestId('failure-machine-search').fill(machine.code);
      await page.getByTestId('failure-machine').selectOption(String(machine.id));
      await page.getByTestId('failure-code').selectOption({ label: 'FL-001 — Bearing failure' });
      // FL-001's default severity is proposed.
      expect(await page.getByRole('radio', { name: 'High' }).isChecked()).toBe(true);
      await page.getByRole('radio', { name: 'Critical' }).check();
      await page.getByTestId('failure-description').fill('Main bearing seized, smoke from the drive');
      await page.getByLabel('Containment action').fill('Press stopped and locked out');
      await page.getByTestId('failure-assignee').selectOption({ label: 'Felix Fixer' });

      const camera = page.getByTestId('failure-camera');
      expect(await camera.getAttribute('capture')).toBe('environment');
      expect(await camera.getAttribute('accept')).toBe('image/*');
      await camera.setInputFiles(photo);
      await page.getByTestId('failure-previews').getByRole('img', { name: 'IMG_0001.jpg' }).waitFor();

      await page.getByTestId('failure-submit').click();
      await page.getByTestId('failure-detail').waitFor();
      reportId = Number(page.url().split('/').pop());
      expect(reportId).toBeGreaterThan(0);
      await page.getByText('Critical').first().waitFor();
      const thumbnail = page.getByTestId('failure-photo').getByRole('img');
      await thumbnail.waitFor();
      expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
      await page.getByTestId('failure-action-link').waitFor();
    } finally {
      await tablet.close();
    }

    const report = await callApi<FailureRecord>('GET', `/failure-reports/${reportId}`);
    expect(report).toMatchObject({
      severity: 'critical',
      status: 'open',
      action_status: 'open',
      action_assignee_id: fixerUser.id,
      photo_count: 1,
    });

    // The assignee, on a tablet too, finds it in "My actions" and completes it.
    const fixerTablet = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: TABLET,
      hasTouch: true,
      isMobile: true,
    });
    try {
      const page = await fixerTablet.newPage();
      page.setDefaultTimeout(UI_TIMEOUT);
      page.on('pageerror', (error) => errors.push(error.message));
      await signInAs(page, fixer);
      await page.goto('/app/actions');
      const row = page.locator(`[data-testid="action-row"][data-action-id="${report.action_item_id}"]`);
      await row.waitFor();
      await row.getByRole('link').click();
      await page.getByTestId('action-detail').waitFor();
      await page.getByTestId('action-move-in_progress').click();
      await page.locator('[data-testid="action-detail"][data-status="in_progress"]').waitFor();
      await page.getByLabel('Resolution').fill('Bearing replaced, drive checked');
      await page.getByTestId('action-move-completed').click();
      await page.locator('[data-testid="action-detail"][data-status="completed"]').waitFor();
    } finally {
      await fixerTablet.close();
    }

    const closed = await callApi<FailureRecord>('GET', `/failure-reports/${reportId}`);
    expect(closed).toMatchObject({ status: 'closed', action_status: 'completed' });
    const action = await callApi<{
      status: string;
      completed_at: string | null;
      source: string;
      source_id: number;
    }>('GET', `/action-items/${report.action_item_id}`);
    expect(action).toMatchObject({ status: 'completed', source: 'failure_report', source_id: reportId });
    expect(action.completed_at).not.toBeNull();
    expect(errors).toEqual([]);
  }, 180_000);
});
