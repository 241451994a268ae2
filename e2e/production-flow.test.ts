import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, buildPlant, launchChromium, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * Production tracking, end to end: a planner plans a work order in the browser and assigns a worker
 * to its first stage; the worker, on a tablet, starts and finishes that stage on "My stages" and
 * reports an issue; the planner's page, open all along and never reloaded, shows the issue arrive
 * (over the live notification subscription) and acknowledges it. Real server, real Chromium.
 */

type RunningServer = Awaited<ReturnType<typeof startServer>>;

interface StageRecord {
  id: number;
  stage_name: string;
  status: string;
  actual_start: string | null;
  actual_end: string | null;
  assignees: { username: string }[];
}
interface IssueRecord {
  id: number;
  type: string;
  status: string;
  description: string;
  resolution_note: string | null;
}

const UI_TIMEOUT = 15_000;
const PASSWORD = 'production-pass-12345';
const ZONE = 'Europe/Berlin';
const ISSUE_TEXT = 'Hopper empty, no granulate left';

let srv: RunningServer;
let browser: Browser;
let adminToken: string;

const callApi = apiCaller(
  () => srv.url,
  () => adminToken,
);

/** A moment as a `datetime-local` value in the site's zone, which the browser contexts also use. */
function localInput(moment: Date): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(moment);
  return parts.replace(' ', 'T');
}

async function signedInPage(
  username: string,
  options: { dark: boolean; tablet: boolean },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: srv.url,
    locale: 'en-US',
    timezoneId: ZONE,
    colorScheme: options.dark ? 'dark' : 'light',
    viewport: options.tablet ? { width: 1024, height: 768 } : { width: 1280, height: 900 },
    hasTouch: options.tablet,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, username, PASSWORD);
  return { context, page, errors };
}

beforeAll(async () => {
  srv = await startServer();
  adminToken = srv.harness.adminToken;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
}, 60_000);

describe('production flow in the browser', () => {
  it('plans a work order, a worker runs a stage and reports an issue, the planner sees it live', async () => {
    const { stamp, site, line } = await buildPlant(callApi, {
      prefix: 'PR',
      siteName: 'Moulding hall',
      criticality: 'B',
    });
    const plannerName = `plan.${stamp.toLowerCase()}`;
    const workerName = `work.${stamp.toLowerCase()}`;
    for (const [username, role, fullName] of [
      [plannerName, 'planner', 'Paula Planner'],
      [workerName, 'worker', 'Walter Worker'],
    ] as const) {
      await callApi('POST', '/auth/users', {
        username,
        password: PASSWORD,
        role,
        full_name: fullName,
        site_ids: [site.id],
      });
    }
    const lot = `LOT-${stamp}`;

    const planner = await signedInPage(plannerName, { dark: false, tablet: false });
    const worker = await signedInPage(workerName, { dark: true, tablet: true });
    try {
      // The planner plans the order on the board; its stages come from the built-in route.
      const plan = planner.page;
      await plan.getByRole('link', { name: 'Production', exact: true }).click();
      await plan.getByRole('heading', { name: 'Production', exact: true }).waitFor();
      await plan.getByRole('button', { name: 'New work order' }).click();
      const form = plan.getByRole('dialog', { name: 'New work order' });
      await form.getByLabel('Product code').fill('HOUSING-7');
      await form.getByLabel('Lot number').fill(lot);
      await form.getByLabel('Quantity').fill('480');
      await form.getByLabel('Line').selectOption({ label: `${line.code} — Line one` });
      const now = Date.now();
      await form.getByLabel('Planned start').fill(localInput(new Date(now - 3600_000)));
      await form.getByLabel('Planned end').fill(localInput(new Date(now + 4 * 3600_000)));
      await form.getByRole('button', { name: 'Create work order' }).click();
      await plan.waitForURL(/\/app\/production\/work-orders\/\d+$/);
      const workOrderId = Number(new URL(plan.url()).pathname.split('/').pop());

      const stages = await callApi<StageRecord[]>('GET', `/workorders/${workOrderId}/stages`);
      expect(stages.map((stage) => stage.stage_name)).toEqual([
        'moulding',
        'deburring',
        'assembly',
        'testing',
        'packing',
      ]);
      const moulding = stages[0] as StageRecord;

      // … and assigns the worker to the first stage.
      await plan
        .getByLabel('Person to assign to moulding')
        .selectOption({ label: 'Walter Worker (Operator)' });
      await plan.getByRole('button', { name: 'Assign to moulding' }).click();
      await plan.getByRole('button', { name: 'Unassign Walter Worker from moulding' }).waitFor();
      const assigned = await callApi<StageRecord>('GET', `/stages/${moulding.id}`);
      expect(assigned.assignees.map((person) => person.username)).toEqual([workerName]);
      await expect
        .poll(() => plan.getByTestId('notification-count').count(), { timeout: UI_TIMEOUT })
        .toBe(0);

      // The worker, on a tablet: My stages → Start → Done → Report issue.
      const work = worker.page;
      await work.getByRole('link', { name: 'My stages' }).click();
      const card = work.getByTestId(`my-stage-${moulding.id}`);
      await card.waitFor();
      expect(await card.textContent()).toContain(lot);
      await card.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => card.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('in_progress');
      await card.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => card.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('done');
      await card.getByRole('button', { name: 'Report issue' }).click();
      const report = work.getByRole('dialog', { name: 'Report an issue — moulding' });
      await report.getByLabel('Issue type').selectOption('material_shortage');
      await report.getByLabel('What happened?').fill(ISSUE_TEXT);
      await report.getByRole('button', { name: 'Send' }).click();
      await report.waitFor({ state: 'hidden' });
      await work.getByRole('status').filter({ hasText: 'Issue reported' }).waitFor();

      const finished = await callApi<StageRecord>('GET', `/stages/${moulding.id}`);
      expect(finished.status).toBe('done');
      expect(finished.actual_start).not.toBeNull();
      expect(finished.actual_end).not.toBeNull();
      const raised = await callApi<IssueRecord[]>('GET', `/stages/${moulding.id}/issues`);
      expect(raised).toHaveLength(1);
      const issue = raised[0] as IssueRecord;
      expect(issue).toMatchObject({ type: 'material_shortage', status: 'open', description: ISSUE_TEXT });

      // The planner's page, never reloaded: the bell counts it, the work order lists it.
      await expect
        .poll(() => plan.getByTestId('notification-count').textContent(), { timeout: UI_TIMEOUT })
        .toBe('1');
      const listed = plan.getByTestId(`issue-${issue.id}`);
      await listed.waitFor();
      expect(await listed.textContent()).toContain(ISSUE_TEXT);
      await expect
        .poll(() => plan.getByTestId(`stage-row-${moulding.id}`).getAttribute('data-status'), {
          timeout: UI_TIMEOUT,
        })
        .toBe('done');

      // The inbox (reached without a reload) has it too; the planner acknowledges it, then resolves it.
      await plan.getByRole('link', { name: 'Production issues' }).click();
      const inboxEntry = plan.getByTestId('issues-inbox').getByTestId(`issue-${issue.id}`);
      await inboxEntry.getByRole('button', { name: 'Acknowledge' }).click();
      const acknowledge = plan.getByRole('dialog', { name: 'Acknowledge issue' });
      await acknowledge.getByLabel('Note').fill('Granulate is on its way from the store');
      await acknowledge.getByRole('button', { name: 'Acknowledge' }).click();
      await acknowledge.waitFor({ state: 'hidden' });
      await expect
        .poll(() => inboxEntry.getAttribute('data-status'), { timeout: UI_TIMEOUT })
        .toBe('acknowledged');
      await inboxEntry.getByRole('button', { name: 'Resolve' }).click();
      const resolve = plan.getByRole('dialog', { name: 'Resolve issue' });
      await resolve.getByLabel('Note').fill('Hopper refilled');
      await resolve.getByRole('button', { name: 'Resolve' }).click();
      await resolve.waitFor({ state: 'hidden' });
      await expect
        .poll(() => inboxEntry.getAttribute('data-status'), { timeout: UI_TIMEOUT })
        .toBe('resolved');
      const [resolved] = await callApi<IssueRecord[]>('GET', `/stages/${moulding.id}/issues`);
      expect(resolved).toMatchObject({ status: 'resolved', resolution_note: 'Hopper refilled' });

      expect(planner.errors).toEqual([]);
      expect(worker.errors).toEqual([]);
    } finally {
      await planner.context.close();
      await worker.context.close();
    }
  }, 120_000);
});
