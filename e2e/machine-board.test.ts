import type { Browser, BrowserContext, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../server/src/platform/db/database.ts';
import type { MachineState } from '../server/src/modules/telemetry/index.ts';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * The live machine board in Chromium: a machine's card turns from running to fault as the machine
 * reports it, without a reload (over GET /ws/machines), and shows "stale" when its source goes silent;
 * the machine page draws the state timeline and a chart of a reading posted over HTTP. Its socket
 * (the web app's one live-socket hook) authenticates, comes back after a cut and stops on a refusal.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

const UI_TIMEOUT = 15_000;
/** Below the board's 30 s fallback refetch: a change seen within it came over the WebSocket. */
const LIVE_DEADLINE = 12_000;

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

/** Signs the admin in and opens the site's machine board; page errors are collected. */
async function openBoard(context: BrowserContext, siteId: number) {
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, srv.admin.username, srv.admin.password);
  await page.getByRole('link', { name: 'Machine board' }).click();
  await page.getByRole('heading', { name: 'Machine board' }).waitFor();
  if (await page.getByLabel('Site').isVisible()) await page.getByLabel('Site').selectOption(String(siteId));
  return { page, errors };
}

describe('machine board in the browser', () => {
  it('turns a card live, shows stale data, and draws the timeline and readings on the machine page', async () => {
    const { site, machine } = await buildPlant(callApi, {
      prefix: 'MB',
      siteName: 'Moulding hall',
      criticality: 'A',
    });
    const signals = srv.harness.server.modules.telemetry.signals;
    const ref = { machine_id: machine.id, site_id: site.id };
    const state = (value: MachineState, at = new Date()) =>
      srv.harness.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals.recordState(tx, { ...ref, state: value, raw_value: null, source: 'opcua', at }),
      );
    await state('running', new Date(Date.now() - 20 * 60_000));
    const minute = (back: number) => new Date(Date.now() - back * 60_000).toISOString();
    await callApi('POST', `/machines/${machine.id}/readings`, [
      { reading_type: 'temperature', value: 211.5, unit: '°C', timestamp: minute(4) },
      { reading_type: 'temperature', value: 213, unit: '°C', timestamp: minute(2) },
    ]);

    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
    });
    try {
      const { page, errors } = await openBoard(context, site.id);
      const card = page.getByTestId(`machine-card-${machine.code}`);
      await card.and(page.locator('[data-state="running"]')).waitFor();
      await page.locator('[data-testid="board-live-status"][data-state="live"]').waitFor();
      await expect(card.getByTestId('machine-state').textContent()).resolves.toContain('Running');

      // The machine faults: the card follows without a reload.
      await state('fault');
      await card.and(page.locator('[data-state="fault"]')).waitFor({ timeout: LIVE_DEADLINE });
      await expect(card.getByTestId('machine-state').textContent()).resolves.toContain('Fault');

      // Its OPC-UA server goes silent: the card says since when its data is stale.
      await srv.harness.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals.markStale(tx, { ...ref, source: 'opcua', reason: 'server unreachable', at: new Date() }),
      );
      await card.and(page.locator('[data-stale="true"]')).waitFor({ timeout: LIVE_DEADLINE });
      await expect(card.getByTestId('stale-badge').textContent()).resolves.toMatch(
        /Stale since .* \(opcua\)/,
      );

      // The machine page: its state timeline and the temperature chart.
      await card.click();
      await page.getByRole('heading', { name: 'State timeline' }).waitFor();
      const timeline = page.getByTestId('state-timeline');
      await timeline.waitFor();
      expect(Number(await timeline.getAttribute('data-periods'))).toBeGreaterThanOrEqual(2);
      await timeline.getByRole('img', { name: 'State timeline' }).locator('svg').waitFor();
      const chart = page.getByTestId('reading-chart-temperature');
      await chart.waitFor();
      await expect(chart.getAttribute('data-points')).resolves.toBe('2');
      // The average line (drawn in the chart's blue) is there.
      await chart
        .getByRole('img', { name: 'temperature over time' })
        .locator('svg path[stroke="#0284c7"]')
        .first()
        .waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  // The web app's one live-socket hook (web/src/lib/use-live-socket.ts), through the board. Sockets pass
  // through Playwright's WebSocket routing, which forwards to the real server and lets the test close
  // the page's side with any code.
  it('authenticates its socket, comes back after a cut, and stops on a refusal with its reason', async () => {
    const { site } = await buildPlant(callApi, { prefix: 'LS', siteName: 'Socket hall', criticality: 'B' });
    const context = await browser.newContext({ baseURL: srv.url, locale: 'en-US' });
    const sockets: WebSocketRoute[] = [];
    const sent: string[] = [];
    await context.routeWebSocket(/\/ws\/machines/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        sent.push(String(message));
        server.send(message);
      });
      sockets.push(socket);
    });
    try {
      const { page, errors } = await openBoard(context, site.id);
      const badge = page.getByTestId('board-live-status');
      const state = () => badge.getAttribute('data-state');
      await expect.poll(state, { timeout: UI_TIMEOUT }).toBe('live');
      expect(JSON.parse(sent.at(-1)!)).toMatchObject({
        type: 'auth',
        authorization: expect.stringMatching(/^Bearer \S+$/),
      });

      // The connection is cut: the badge says so, and the hook is back by itself (backoff from 1 s).
      const before = sockets.length;
      await sockets.at(-1)!.close({ code: 1001, reason: 'server shutting down' });
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
  }, 60_000);
});
