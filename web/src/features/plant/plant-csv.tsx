import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { ApiError, apiRaw } from '../../lib/api.ts';
import { problemText } from '../../lib/form-errors.ts';
import { plantKeys, type ImportSummary } from './plant-api.ts';

function fileNameOf(disposition: string | null): string | undefined {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1];
}

/** Downloads the site's lines and machines as CSV (the token travels in a header, so no plain link). */
export function ExportCsvButton({ siteId, siteCode }: { siteId: number; siteCode: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const download = useMutation({
    mutationFn: async () => {
      const response = await apiRaw('GET', `/plant/export.csv?site_id=${siteId}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      // The server names the file (site code and the site's date); the fallback keeps the site code.
      link.download = fileNameOf(response.headers.get('content-disposition')) ?? `plant-${siteCode}.csv`;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    onError: (error) => toast.error(problemText(error, t('plant.exportFailed'))),
  });
  return (
    <Button tone="secondary" size="sm" busy={download.isPending} onClick={() => download.mutate()}>
      <Download aria-hidden className="size-4" />
      {t('plant.exportCsv')}
    </Button>
  );
}

export function ImportCsvDialog({ siteId, onClose }: { siteId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      form.append('file', file as File);
      const response = await apiRaw('POST', `/plant/import?site_id=${siteId}`, form);
      return (await response.json()) as ImportSummary;
    },
    onSuccess: (summary) => {
      void queryClient.invalidateQueries({ queryKey: plantKeys.all });
      toast.success(t('plant.imported', { ...summary }));
      onClose();
    },
  });
  const rowProblems = upload.error instanceof ApiError ? upload.error.fieldProblems : [];

  return (
    <Dialog
      open
      title={t('plant.importTitle')}
      onClose={onClose}
      onSubmit={() => file && upload.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={upload.isPending} disabled={!file}>
            <Upload aria-hidden className="size-4" />
            {t('plant.importCsv')}
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('plant.importHint')}</p>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t('plant.csvFile')}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-sky-700 file:px-3 file:py-2 file:text-white"
      />
      {upload.isError && (
        <div role="alert" className="space-y-2 text-sm text-red-700 dark:text-red-400">
          <p>{problemText(upload.error, t('plant.importFailed'))}</p>
          {rowProblems.length > 0 && (
            <ul className="max-h-60 list-disc overflow-y-auto pl-5" data-testid="import-errors">
              {rowProblems.map((problem, index) => (
                <li key={index}>
                  <span className="font-mono">{problem.field}</span>: {problem.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}
