import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../server/test/constants.ts';
import { startSimulatedMachine, type SimulatedMachine } from '../server/test/opcua-sim.ts';
import { startOpcuaIngest, type OpcuaIngest } from '../server/src/modules/telemetry/index.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * OPC-UA in the browser: an admin connects a machine by browsing a simulated moulding machine's
 * server, picking its cycle counter and state, tests and saves; HOM subscribes, the status turns
 * "Connected" and counts and the state arrive. Real server, real node-opcua server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

const UI_TIMEOUT = 20_000;
let srv: RunningServer;
let sim: SimulatedMachine;
let ingest: OpcuaIngest;
let browser: Browser;
let secured: SimulatedMachine;
let pkiDir: string;

const callApi = apiCaller(
  () => srv.url,
  () => srv.harness.adminToken,
);

beforeAll(async () => {
  pkiDir = await mkdtemp(path.join(tmpdir(), 'hom-e2e-opcua-pki-'));
  [srv, sim, secured, browser] = await Promise.all([
    startServer(),
    startSimulatedMachine({ cycleMs: 300 }),
    startSimulatedMachine({ name: 'IMM-SEC', cycleMs: 0, secure: true }),
    launchChromium(),
  ]);
  // The ingest role of this HOM (the API process of startServer serves no ingest of its own).
  ingest = startOpcuaIngest({
    db: srv.harness.db,
    log: createLogger('silent'),
    signals: srv.harness.server.modules.telemetry.signals,
    secret: TEST_SECRET,
    pkiDir,
    pollIntervalMs: 1000,
    keepAliveMs: 2000,
  });
}, 120_000);

afterAll(async () => {
  await ingest?.stop();
  await browser?.close();
  await srv?.close();
  await sim?.stop();
  await secured?.stop();
  if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
}, 60_000);

describe('OPC-UA connection in the browser', () => {
  it('connects a machine by browsing and picking nodes; the status and the data arrive; certificates are managed', async () => {
    const { machine } = await buildPlant(callApi, {
      prefix: 'OP',
      siteName: 'Moulding hall',
      criticality: 'A',
    });
    const context = await browser.newContext({
      baseURL: srv.url,
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await signIn(page, srv.admin.username, srv.admin.password);

      await page.goto(`/app/machines/${machine.id}`);
      await page.getByText('This machine has no OPC-UA connection.').waitFor();
      await page.getByRole('link', { name: 'Connect over OPC-UA' }).click();
      await page.getByRole('heading', { name: 'OPC-UA connection' }).waitFor();
      await page.getByLabel('Endpoint URL').fill(sim.url);

      // Browse: Objects → IMM-01 → CycleCounter, then the state variable.
      await page.getByRole('button', { name: 'Browse the server for Cycle counter node' }).click();
      const picker = page.getByRole('dialog', { name: 'Pick the Cycle counter node' });
      await picker.getByRole('button', { name: 'Open IMM-01' }).click();
      await picker.getByRole('button', { name: /CycleCounter\s+UInt32/ }).click();
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Cycle counter node', exact: true }).inputValue())
        .toBe(sim.nodeIds.cycle);
      await page.getByRole('button', { name: 'Browse the server for State node' }).click();
      const statePicker = page.getByRole('dialog', { name: 'Pick the State node' });
      await statePicker.getByRole('button', { name: 'Open IMM-01' }).click();
      await statePicker.getByRole('button', { name: /MachineState\s+Int32/ }).click();
      await expect
        .poll(() => page.getByRole('textbox', { name: 'State node', exact: true }).inputValue())
        .toBe(sim.nodeIds.state);

      await page.getByRole('button', { name: 'Test connection' }).click();
      const test = page.getByRole('region', { name: 'Connection test' });
      await test.getByText(/Connected to opc\.tcp:/).waitFor();
      await test.getByText('1 → Running').waitFor();

      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('OPC-UA connection saved').waitFor();
      const status = page.getByTestId('opcua-status');
      await status.getByText('Connected', { exact: true }).waitFor({ timeout: 45_000 });
      await expect
        .poll(() => page.getByTestId('opcua-last-data').innerText(), { timeout: 30_000 })
        .not.toBe('—');

      const stored = await callApi<{ cycle_node_id: string; state_node_id: string; status: string }>(
        'GET',
        `/machines/${machine.id}/opcua`,
      );
      expect(stored).toMatchObject({ cycle_node_id: sim.nodeIds.cycle, state_node_id: sim.nodeIds.state });
      // The counter and the state arrived: the machine's state timeline says running.
      const states = await callApi<unknown>(
        'GET',
        `/machines/${machine.id}/states?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      );
      expect(JSON.stringify(states)).toContain('running');

      // Certificates: HOM's own to download; a SignAndEncrypt server's, trusted on sight, rejected here.
      await callApi('POST', `/machines/${machine.id}/opcua/test`, {
        endpoint: {
          endpoint_url: secured.url,
          security_mode: 'SignAndEncrypt',
          security_policy: 'Basic256Sha256',
        },
        cycle_node_id: secured.nodeIds.cycle,
      });
      await page.reload();
      const certificates = page.getByRole('region', { name: 'Certificates' });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        certificates.getByRole('button', { name: "Download HOM's certificate" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('hom-opcua-client.pem');
      const pem = await readFile(await download.path(), 'utf8');
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      const thumbprint = createHash('sha1').update(secured.certificate()).digest('hex');
      const row = certificates.getByTestId(`certificate-${thumbprint}`);
      await row.getByText('Trusted', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'Reject' }).click();
      const confirm = page.getByRole('dialog', { name: "Reject this server's certificate?" });
      await confirm.getByRole('button', { name: 'Reject' }).click();
      await page
        .getByText('Certificate rejected: HOM refuses the server from its next connection.')
        .waitFor();
      await row.getByText('Rejected', { exact: true }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
