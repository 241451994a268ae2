import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, launchChromium } from './browser.ts';
import { startServer } from './server.ts';

/**
 * An administrator's first day: sign in, add a planner to a site through the Users page,
 * switch the theme (it must survive a reload) and sign out. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface SiteRecord {
  id: number;
  code: string;
}
interface UserRecord {
  id: number;
  username: string;
  role: string;
  site_ids: number[];
}

const UI_TIMEOUT = 15_000;

let srv: RunningServer;
let browser: Browser;
let adminToken: string;

const callApi = apiCaller(
  () => srv.url,
  () => adminToken,
);

// Page-side code is passed as text: the root tsconfig has no DOM types.
const htmlIsDark = (page: Page) =>
  page.evaluate<boolean>("document.documentElement.classList.contains('dark')");
const storedItem = (page: Page, key: string) =>
  page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(key)})`);

beforeAll(async () => {
  srv = await startServer();
  adminToken = srv.harness.adminToken;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

describe('admin flow in the browser', () => {
  it('signs in, adds a planner to a site, switches the theme and signs out', async () => {
    const stamp = Date.now().toString(36);
    const site = await callApi<SiteRecord>('POST', '/sites', {
      code: `E2E-${stamp}`.toUpperCase(),
      name: 'Press shop',
      time_zone: 'Europe/Berlin',
    });
    const plannerName = `planner.${stamp}`;

    const context = await browser.newContext({ baseURL: srv.url, locale: 'en-US', colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    try {
      // Not signed in: the app sends us to the sign-in page.
      await page.goto('/app/');
      await page.waitForURL('**/app/login');

      await page.getByLabel('Username').fill(srv.admin.username);
      await page.getByLabel('Password').fill(srv.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(await page.getByTestId('home-username').textContent()).toBe(srv.admin.username);

      // Create a planner at the site through the Users page.
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users' }).waitFor();
      await page.getByRole('button', { name: 'New user' }).click();
      const dialog = page.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Username').fill(plannerName);
      await dialog.getByLabel('Password').fill('planner-pass-1234');
      await dialog.getByLabel('Full name').fill('Petra Planner');
      await dialog.getByLabel('E-mail').fill(`${plannerName}@plant.example`);
      await dialog.getByLabel('Role').selectOption('planner');
      await dialog.getByRole('checkbox', { name: new RegExp(site.code) }).check();
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const row = page.getByTestId(`user-row-${plannerName}`);
      await row.waitFor();
      const rowText = (await row.textContent()) ?? '';
      expect(rowText).toContain('Petra Planner');
      expect(rowText).toContain('Planner');
      expect(rowText).toContain(site.code);

      // The server agrees: the user exists with that role and site.
      const users = await callApi<UserRecord[]>('GET', '/auth/users');
      const planner = users.find((user) => user.username === plannerName);
      expect(planner?.role).toBe('planner');
      expect(planner?.site_ids).toEqual([site.id]);

      // Theme: the toggle flips <html class="dark">, and the choice survives a reload.
      const darkBefore = await htmlIsDark(page);
      await page.getByTestId('theme-toggle').click();
      await page.waitForFunction(`document.documentElement.classList.contains('dark') === ${!darkBefore}`);
      await page.reload();
      await page.getByTestId('theme-toggle').waitFor();
      expect(await htmlIsDark(page)).toBe(!darkBefore);
      expect(await storedItem(page, 'hom.theme')).toBe(darkBefore ? 'light' : 'dark');

      // Sign out: back to the sign-in page, the refresh token is gone.
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.waitForURL('**/app/login');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await storedItem(page, 'hom.refresh')).toBeNull();

      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
