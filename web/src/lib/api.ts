import {
  clearTokens,
  getAccessToken,
  getRefreshToken,
  storeTokens,
  type TokenPair,
} from './session-tokens.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A failed API call, carrying the server's error body (`message`, `error_code`, `errors`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldProblems: FieldProblem[];
  readonly retryAfterSeconds: number | null;
  /** Machine-readable facts about a refusal (e.g. a state machine's current state and allowed moves). */
  readonly details: Record<string, unknown> | null;

  constructor(
    status: number,
    message: string,
    code: string,
    fieldProblems: FieldProblem[],
    retryAfter: number | null,
    details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldProblems = fieldProblems;
    this.retryAfterSeconds = retryAfter;
    this.details = details;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Send without a token and never try to refresh (sign-in, refresh itself). */
  anonymous?: boolean;
}

let sessionLostHandler: () => void = () => undefined;
let refreshInFlight: Promise<boolean> | null = null;

/** The app registers what happens when the session cannot be renewed (go to the sign-in page). */
export function onSessionLost(handler: () => void): void {
  sessionLostHandler = handler;
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: {
    message?: string;
    error_code?: string;
    errors?: FieldProblem[];
    details?: Record<string, unknown>;
  } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON (proxy error page); fall back to the status text
  }
  const retryAfterHeader = response.headers.get('Retry-After');
  const retryAfter = retryAfterHeader !== null ? Number.parseInt(retryAfterHeader, 10) : null;
  return new ApiError(
    response.status,
    body.message ?? (response.statusText || `HTTP ${response.status}`),
    body.error_code ?? 'HTTP_ERROR',
    body.errors ?? [],
    retryAfter !== null && Number.isFinite(retryAfter) ? retryAfter : null,
    body.details ?? null,
  );
}

function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.anonymous ? null : getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(buildUrl(path, options.query), {
    method,
    headers,
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
}

/** Exchange the stored refresh token for a new pair; concurrent callers share one attempt. */
export function refreshSession(): Promise<boolean> {
  if (refreshInFlight) return refreshInFlight;
  const refreshToken = getRefreshToken();
  if (!refreshToken) return Promise.resolve(false);
  refreshInFlight = (async () => {
    try {
      const response = await send('POST', '/auth/refresh', {
        anonymous: true,
        body: { refresh_token: refreshToken },
      });
      if (!response.ok) return false;
      storeTokens((await response.json()) as TokenPair);
      return true;
    } catch {
      return false;
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

async function parse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The successful answer of a call; on 401 it renews the session once and retries, else the session is over. */
async function apiResponse(method: Method, path: string, options: RequestOptions): Promise<Response> {
  if (!options.anonymous && !getAccessToken() && getRefreshToken()) await refreshSession();
  let response = await send(method, path, options);
  if (response.status === 401 && !options.anonymous) {
    if (await refreshSession()) {
      response = await send(method, path, options);
    }
    if (response.status === 401) {
      const error = await toApiError(response);
      clearTokens();
      sessionLostHandler();
      throw error;
    }
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** Call the HOM API. On 401 it renews the session once and retries; if that fails, the session is over. */
export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return parse<T>(await apiResponse(method, path, options));
}

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

/** A list whose body is a plain array and whose next page's cursor comes in the X-Next-Cursor header. */
export async function apiCursorPage<T>(
  path: string,
  query?: Record<string, QueryValue>,
): Promise<CursorPage<T>> {
  const response = await apiResponse('GET', path, { query });
  return {
    items: (await parse<T[]>(response)) ?? [],
    next_cursor: response.headers.get('X-Next-Cursor') || null,
  };
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>) => apiRequest<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: (path: string) => apiRequest<void>('DELETE', path),
};

/**
 * A call whose body or answer is not JSON (CSV download, multipart upload). Renews the session once
 * on 401 like `apiRequest`; a failed answer becomes an ApiError.
 */
export async function apiRaw(method: Method, path: string, body?: FormData): Promise<Response> {
  const attempt = () => {
    const token = getAccessToken();
    return fetch(path, { method, body, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  };
  if (!getAccessToken() && getRefreshToken()) await refreshSession();
  let response = await attempt();
  if (response.status === 401 && (await refreshSession())) response = await attempt();
  if (!response.ok) throw await toApiError(response);
  return response;
}

function xhrSend(path: string, body: FormData, onProgress: (share: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = getAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const headers = new Headers();
      const retryAfter = xhr.getResponseHeader('Retry-After');
      if (retryAfter) headers.set('Retry-After', retryAfter);
      resolve(new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers }));
    };
    xhr.onerror = () => reject(new TypeError('Network error'));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    xhr.send(body);
  });
}

/**
 * A multipart upload that reports progress (0…1) while the body is sent; XMLHttpRequest, because
 * fetch has no upload progress. Renews the session once on 401; a failed answer becomes an ApiError.
 */
export async function apiUpload<T>(
  path: string,
  body: FormData,
  onProgress: (share: number) => void = () => undefined,
): Promise<T> {
  if (!getAccessToken() && getRefreshToken()) await refreshSession();
  let response = await xhrSend(path, body, onProgress);
  if (response.status === 401 && (await refreshSession())) response = await xhrSend(path, body, onProgress);
  if (!response.ok) throw await toApiError(response);
  return parse<T>(response);
}
