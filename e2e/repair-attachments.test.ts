import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Photos on a repair, end to end: a technician opens a saved repair, attaches a photo (the thumbnail
 * is fetched with the token and shown from a blob URL), gets the server's message for a file HOM does
 * not take, and removes the photo again. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface Created {
  id: number;
  code: string;
}
interface AttachmentRecord {
  id: number;
  kind: string;
  original_name: string;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'photo-pass-12345';

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
  workDir = await mkdtemp(path.join(tmpdir(), 'hom-attach-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('repair attachments in the browser', () => {
  it('uploads a photo, shows its thumbnail, refuses a non-photo and deletes it', async () => {
    const { stamp, site, machine } = await buildPlant(callApi, {
      prefix: 'PH',
      siteName: 'Photo hall',
      criticality: 'B',
    });
    const technician = `tech.${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: technician,
      password: PASSWORD,
      role: 'technician',
      full_name: 'Tina Technician',
      site_ids: [site.id],
    });
    const repair = await callApi<Created>('POST', '/repairs', {
      machine_id: machine.id,
      repair_type: 'unscheduled',
      status: 'open',
      start_datetime: new Date(Date.now() - 3_600_000).toISOString(),
      description: 'Cracked guard on the press',
    });

    const photo = path.join(workDir, 'damage.png');
    await writeFile(
      photo,
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c00' } })
        .png()
        .toBuffer(),
    );
    const notPhoto = path.join(workDir, 'notes.pdf');
    await writeFile(notPhoto, 'just some text, not a PDF at all\n');

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

      await page.goto(`/app/repairs/${repair.id}`);
      await page.getByRole('heading', { name: `Repair #${repair.id}` }).waitFor();
      await page.getByText('No photos or documents yet.').waitFor();
      await page.getByRole('button', { name: 'Take photo' }).waitFor();

      await page.getByTestId('attachment-file-input').setInputFiles(photo);
      const thumbnail = page.getByRole('img', { name: 'damage.png' });
      await thumbnail.waitFor();
      expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
      await expect
        .poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(0);

      const listed = await callApi<AttachmentRecord[]>('GET', `/repairs/${repair.id}/attachments`);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ kind: 'image', original_name: 'damage.png' });

      // The full photo opens in a dialog.
      await page.getByRole('button', { name: 'Open photo damage.png' }).click();
      const dialog = page.getByRole('dialog', { name: 'damage.png' });
      await dialog.getByRole('img', { name: 'damage.png' }).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();

      // A text file called .pdf is refused with the server's message.
      await page.getByTestId('attachment-file-input').setInputFiles(notPhoto);
      await page.getByRole('alert').filter({ hasText: 'notes.pdf' }).waitFor();
      expect(await callApi<AttachmentRecord[]>('GET', `/repairs/${repair.id}/attachments`)).toHaveLength(1);

      // Delete, with a confirmation.
      await page.getByRole('button', { name: 'Delete damage.png' }).click();
      await page
        .getByRole('dialog', { name: 'Delete attachment?' })
        .getByRole('button', { name: 'Delete' })
        .click();
      await page.getByText('No photos or documents yet.').waitFor();
      expect(await callApi<AttachmentRecord[]>('GET', `/repairs/${repair.id}/attachments`)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
