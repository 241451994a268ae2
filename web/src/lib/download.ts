import { apiRaw } from './api.ts';

function fileNameOf(disposition: string | null): string | undefined {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1];
}

/** Fetches with the session's token (so no plain link) and saves under the name the server gives. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const response = await apiRaw('GET', path);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
