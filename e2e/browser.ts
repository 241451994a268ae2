import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/app/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** A JSON API caller for test set-up; `base` and `token` are read at call time (set in beforeAll). */
export function apiCaller(base: () => string, token: () => string) {
  return async function callApi<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, base()), {
      method,
      headers: {
        authorization: `Bearer ${token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
}

type CallApi = ReturnType<typeof apiCaller>;

/** A site with one line and one machine on it, created through the API, codes unique per run. */
export async function buildPlant(
  callApi: CallApi,
  options: { prefix: string; siteName: string; criticality: string },
) {
  const stamp = Date.now().toString(36).toUpperCase();
  const site = await callApi<{ id: number; code: string }>('POST', '/sites', {
    code: `${options.prefix}-${stamp}`,
    name: options.siteName,
    time_zone: 'Europe/Berlin',
  });
  const line = await callApi<{ id: number; code: string }>('POST', '/lines', {
    site_id: site.id,
    code: `L${stamp}`,
    name: 'Line one',
  });
  const machine = await callApi<{ id: number; code: string }>('POST', '/machines', {
    line_id: line.id,
    code: `M${stamp}`,
    name: 'Press 1',
    criticality: options.criticality,
  });
  return { stamp, site, line, machine };
}
