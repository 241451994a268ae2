import { chromium, type Browser } from 'playwright-core';

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
