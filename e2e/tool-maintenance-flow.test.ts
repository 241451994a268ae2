import { readFile } from 'node:fs/promises';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Preventive maintenance in the browser, end to end: an admin writes a checklist template, a manager
 * gives a mould a PM plan every N shots with a responsible technician, shots make it due (an action
 * item is raised), the technician logs the PM with the checklist answered (Not OK needs a note), the
 * plan is ok again and its action completed; then the manager generates the weekly report and
 * downloads its PDF. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface PmPlanRecord {
  id: number;
  state: string;
  action_item_id: number | null;
  responsible_user_id: number | null;
  checklist_template_id: number | null;
  every_shots: number | null;
  shots_at_last_done: number;
  shots_since: number;
}

interface ActionRecord {
  id: number;
  status: string;
  source: string;
  source_id: number;
  assignee_id: number | null;
  completed_at: string | null;
}

interface LogRecord {
  id: number;
  kind: string;
  pm_plan_id: number | null;
  performed_by: number;
  not_ok_count: number;
  checks: { position: number; item: string; result: string; note: string | null }[];
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'pm-flow-pass-12345';
const STEPS = ['Clean the parting line', 'Check the vents', 'Grease the ejector pins'];

let srv: RunningServer;
let browser: Browser;
let adminToken: string;
const callApi = apiCaller(
  () => srv.url,
  () => adminToken,
);

beforeAll(async () => {
  srv = await startServer();
  adminToken = srv.harness.adminToken;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

/** Monday of the last complete week, on the site's clock (Europe/Berlin): the report's default week. */
function lastMonday(): string {
  const today = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Berlin' }));
  const sinceMonday = (today.getDay() + 6) % 7;
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - sinceMonday - 7);
  return [monday.getFullYear(), monday.getMonth() + 1, monday.getDate()]
    .map((part) => String(part).padStart(2, '0'))
    .join('-');
}

describe('tool maintenance in the browser', () => {
  it('checklist → PM plan → due → PM log with checklist → ok again → weekly report PDF', async () => {
    const { stamp, site } = await buildPlant(callApi, {
      prefix: 'PM',
      siteName: 'Mould shop',
      criticality: 'B',
    });
    const managerName = `pm.mgr.${stamp.toLowerCase()}`;
    const techName = `pm.tech.${stamp.toLowerCase()}`;
    await callApi('POST', '/auth/users', {
      username: managerName,
      password: PASSWORD,
      role: 'manager',
      full_name: 'Maria Manager',
      site_ids: [site.id],
    });
    const tech = await callApi<{ id: number }>('POST', '/auth/users', {
      username: techName,
      password: PASSWORD,
      role: 'technician',
      full_name: 'Tomas Technician',
      site_ids: [site.id],
    });
    const asset = `MLD-${stamp}`;
    const tool = await callApi<{ id: number }>('POST', '/tools', {
      site_id: site.id,
      asset_number: asset,
      name: 'Lid mould 8-cavity',
    });
    const templateName = `Mould PM ${stamp}`;
    const planName = `PM every 1000 shots ${stamp}`;

    const errors: string[] = [];
    const newPage = async (username: string, password: string) => {
      const context = await browser.newContext({
        baseURL: srv.url,
        locale: 'en-US',
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(UI_TIMEOUT);
      page.on('pageerror', (error) => errors.push(error.message));
      await signIn(page, username, password);
      return { context, page };
    };

    // 1. The admin writes a checklist template with three steps.
    const admin = await newPage(srv.admin.username, srv.admin.password);
    try {
      const page = admin.page;
      await page.goto('/app/admin/checklist-templates');
      await page.getByRole('heading', { name: 'Checklist templates' }).waitFor();
      await page.getByRole('button', { name: 'New checklist' }).click();
      const dialog = page.getByRole('dialog', { name: 'New checklist' });
      await dialog.getByLabel('Name').fill(templateName);
      await dialog.getByLabel('For').selectOption('mould');
      await dialog.getByLabel('Step 1').fill(STEPS[0]!);
      await dialog.getByRole('button', { name: 'Add a step' }).click();
      await dialog.getByLabel('Step 2').fill(STEPS[1]!);
      await dialog.getByRole('button', { name: 'Add a step' }).click();
      await dialog.getByLabel('Step 3').fill(STEPS[2]!);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.getByRole('row').filter({ hasText: templateName });
      await row.getByRole('cell', { name: '3', exact: true }).waitFor();
    } finally {
      await admin.context.close();
    }
    const templates = await callApi<{ id: number; name: string; items: { text: string }[] }[]>(
      'GET',
      `/checklist-templates?site_id=${site.id}`,
    );
    const template = templates.find((candidate) => candidate.name === templateName);
    expect(template?.items.map((item) => item.text)).toEqual(STEPS);

    // 2. The manager gives the mould a PM plan every 1000 shots, the technician responsible.
    const manager = await newPage(managerName, PASSWORD);
    let planId: number;
    try {
      const page = manager.page;
      await page.goto(`/app/tools/${tool.id}`);
      await page.getByRole('heading', { name: `${asset} · Lid mould 8-cavity` }).waitFor();
      await page.getByText('No PM plans for this tool yet').waitFor();
      await page.getByRole('button', { name: 'New PM plan' }).click();
      const dialog = page.getByRole('dialog', { name: 'New PM plan' });
      await dialog.getByLabel('Name').fill(planName);
      await dialog.getByLabel('Every N shots').fill('1000');
      await dialog.getByLabel('Checklist').selectOption({ label: templateName });
      await dialog.getByLabel('Responsible person').selectOption({ label: 'Tomas Technician' });
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      const plan = page.locator('[data-testid^="pm-plan-"]').filter({ hasText: planName });
      await plan.getByText('Tomas Technician', { exact: false }).waitFor();
      await plan.getByText('OK', { exact: true }).waitFor();
      planId = Number((await plan.getAttribute('data-testid'))!.replace('pm-plan-', ''));
      // A reading recorded on the page moves the plan to its warning without a reload.
      await page.getByRole('button', { name: 'Record a reading' }).click();
      const reading = page.getByRole('dialog', { name: 'Record a reading' });
      await reading.getByRole('radio', { name: 'Shots since the last reading' }).check();
      await reading.getByRole('spinbutton', { name: 'Shots since the last reading' }).fill('950');
      await reading.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Reading stored: +950 shots').waitFor();
      await plan.getByText('Soon', { exact: true }).waitFor();
    } finally {
      await manager.context.close();
    }
    const created = await callApi<PmPlanRecord>('GET', `/pm-plans/${planId}`);
    expect(created).toMatchObject({
      state: 'warning',
      every_shots: 1000,
      responsible_user_id: tech.id,
      checklist_template_id: template!.id,
      action_item_id: null,
    });

    // 3. Shots make it due: one action item for the responsible technician.
    await callApi('POST', `/tools/${tool.id}/shots`, {
      kind: 'delta',
      shots: 70,
      taken_at: new Date().toISOString(),
    });
    const due = await callApi<PmPlanRecord>('GET', `/pm-plans/${planId}`);
    expect(due).toMatchObject({ state: 'due', shots_since: 1_020 });
    expect(due.action_item_id).not.toBeNull();
    const action = await callApi<ActionRecord>('GET', `/action-items/${due.action_item_id}`);
    expect(action).toMatchObject({
      status: 'open',
      source: 'pm_plan',
      source_id: planId,
      assignee_id: tech.id,
    });

    // 4. The technician sees it due and logs the PM with the checklist answered.
    const technician = await newPage(techName, PASSWORD);
    try {
      const page = technician.page;
      await page.goto(`/app/tools/${tool.id}`);
      const plan = page.getByTestId(`pm-plan-${planId}`);
      await plan.getByText('Due', { exact: true }).waitFor();
      const pmAction = page.locator(`[data-testid="action-row"][data-action-id="${due.action_item_id}"]`);
      expect(await pmAction.getAttribute('data-status')).toBe('open');
      await page.getByRole('link', { name: 'New maintenance log' }).click();
      await page.getByRole('heading', { name: `Maintenance log — ${asset}` }).waitFor();
      await page.getByLabel('PM plan').selectOption({ label: planName });
      // The plan brings its checklist and makes the log a PM.
      expect(await page.getByLabel('What was done').inputValue()).toBe('pm');
      const checklist = page.getByRole('group', { name: templateName });
      await checklist.waitFor();
      await page.getByText('3 steps not answered').waitFor();
      const save = page.getByRole('button', { name: 'Save log' });

      await checklist
        .getByRole('radiogroup', { name: STEPS[0] })
        .getByRole('radio', { name: 'OK', exact: true })
        .click();
      const vents = page.getByTestId('check-2');
      await vents.getByRole('radio', { name: 'Not OK' }).click();
      await checklist
        .getByRole('radiogroup', { name: STEPS[2] })
        .getByRole('radio', { name: 'OK', exact: true })
        .click();
      // Not OK without a note: the form refuses.
      await vents.getByText('Say what is wrong').waitFor();
      expect(await save.isDisabled()).toBe(true);
      await vents.getByLabel('Note').fill('Vent 2 clogged, cleaned');
      await vents.getByText('Say what is wrong').waitFor({ state: 'detached' });
      expect(await save.isEnabled()).toBe(true);
      await page.getByLabel('Duration (minutes)').fill('40');
      await page.getByLabel('Findings').fill('Vent 2 clogged');
      await save.click();

      await page.getByRole('heading', { name: `${asset} · Lid mould 8-cavity` }).waitFor();
      await page.getByTestId(`pm-plan-${planId}`).getByText('OK', { exact: true }).waitFor();
      // The tool page shows the log and the plan's action as done.
      await page.locator('[data-testid^="maintenance-log-"]').getByText('1 step not OK').waitFor();
      await pmAction.and(page.locator('[data-status="completed"]')).waitFor();
    } finally {
      await technician.context.close();
    }
    const done = await callApi<PmPlanRecord>('GET', `/pm-plans/${planId}`);
    expect(done.state).toBe('ok');
    expect(done.shots_at_last_done).toBe(1_020);
    const completed = await callApi<ActionRecord>('GET', `/action-items/${due.action_item_id}`);
    expect(completed.status).toBe('completed');
    expect(completed.completed_at).not.toBeNull();
    const logs = await callApi<{ items: LogRecord[] }>('GET', `/maintenance-logs?pm_plan_id=${planId}`);
    expect(logs.items).toHaveLength(1);
    expect(logs.items[0]).toMatchObject({ kind: 'pm', performed_by: tech.id, not_ok_count: 1 });
    expect(logs.items[0]!.checks.map((check) => [check.item, check.result, check.note])).toEqual([
      [STEPS[0], 'ok', null],
      [STEPS[1], 'not_ok', 'Vent 2 clogged, cleaned'],
      [STEPS[2], 'ok', null],
    ]);

    // 5. The manager generates the site's weekly report and downloads the PDF.
    const reporter = await newPage(managerName, PASSWORD);
    try {
      const page = reporter.page;
      await page.goto('/app/reports');
      await page.getByRole('heading', { name: 'Weekly maintenance report' }).waitFor();
      await page.getByText('No weekly reports yet').waitFor();
      const form = page.getByRole('form', { name: 'Generate now' });
      expect(await form.getByLabel('Site').inputValue()).toBe(String(site.id));
      await form.getByRole('button', { name: 'Generate now' }).click();
      const row = page.locator('[data-testid^="weekly-report-"]').filter({ hasText: site.code });
      await row.getByText('Ready').waitFor();
      await row.getByText('on request', { exact: false }).waitFor();

      const [response, download] = await Promise.all([
        page.waitForResponse((candidate) => /\/reports\/weekly\/\d+\.pdf$/.test(candidate.url())),
        page.waitForEvent('download'),
        row.getByRole('button', { name: 'PDF' }).click(),
      ]);
      // The response's body is not kept by the browser once the page has read it as a blob: the saved
      // file is what the person gets.
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^application\/pdf/);
      const saved = await readFile(await download.path());
      expect(saved.subarray(0, 4).toString('latin1')).toBe('%PDF');
      expect(saved.length).toBe(Number(response.headers()['content-length']));
      expect(download.suggestedFilename()).toBe(`weekly-maintenance_${site.code}_${lastMonday()}.pdf`);

      // The same file through the API.
      const reportId = Number((await row.getAttribute('data-testid'))!.replace('weekly-report-', ''));
      const pdf = await fetch(new URL(`/reports/weekly/${reportId}.pdf`, srv.url), {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('%PDF');
    } finally {
      await reporter.context.close();
    }
    expect(errors).toEqual([]);
  }, 180_000);
});
