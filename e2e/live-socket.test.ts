import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium } from './browser.ts';
import { startServer } from './server.ts';

/**
 * The web app's one live-socket hook (web/src/lib/use-live-socket.ts) in Chromium, through the
 * machine board: it authenticates with its first message, comes back by itself after the connection
 * is cut (1001), and stops with the server's reason on a refusal (4403) instead of retrying. The
 * sockets pass through Playwright's WebSocket routing, which forwards to the real server and lets the
 * test close the page's side with any code.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

const UI_TIMEOUT = 15_000;

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

describe('live socket in the browser', () => {
  it('authenticates, reconnects after a cut and stops on a refusal with its reason', async () => {
    const { site } = await buildPlant(callApi, { prefix: 'LS', siteName: 'Socket hall', criticality: 'B' });
    const context = await browser.newContext({ baseURL: srv.url, locale: 'en-US' });
    const sockets: WebSocketRoute[] = [];
    const sent: string[] = [];
    await context.routeWebSocket(/\/ws\/machines/, (page) => {
      const server = page.connectToServer();
      page.onMessage((message) => {
        sent.push(String(message));
        server.send(message);
      });
      sockets.push(page);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const badge = page.getByTestId('board-live-status');
    const state = () => badge.getAttribute('data-state');
    try {
      await page.goto('/app/login');
      await page.getByLabel('Username').fill(srv.admin.username);
      await page.getByLabel('Password').fill(srv.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByRole('link', { name: 'Machine board' }).click();
      await page.getByRole('heading', { name: 'Machine board' }).waitFor();
      if (await page.getByLabel('Site').isVisible())
        await page.getByLabel('Site').selectOption(String(site.id));
      await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('live');
      const first = sockets.at(-1)!;
      expect(JSON.parse(sent.at(-1)!)).toMatchObject({
        type: 'auth',
        authorization: expect.stringMatching(/^Bearer \S+$/),
      });

      // The connection is cut: the badge says so, and the hook is back by itself (backoff from 1 s).
      const before = sockets.length;
      await first.close({ code: 1001, reason: 'server shutting down' });
      await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('reconnecting');
      await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('live');
      expect(sockets.length).toBe(before + 1);

      // A refusal no retry fixes: the badge says refused, with the server's reason, and stays so.
      await sockets.at(-1)!.close({ code: 4403, reason: 'This site is not one of yours' });
      await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('refused');
      expect(await badge.getAttribute('title')).toBe('This site is not one of yours');
      await page.waitForTimeout(2_500);
      expect(sockets.length).toBe(before + 1);
      expect(await state()).toBe('refused');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
