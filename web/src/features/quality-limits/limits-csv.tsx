import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Upload } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { ApiError } from '../../lib/api.ts';
import { problemText } from '../../lib/form-errors.ts';
import { exportLimits, importLimits, limitKeys } from './limits-api.ts';

function fileNameOf(disposition: string | null): string | undefined {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1];
}

/** Downloads every version of the site's limits as CSV (the token travels in a header, so no plain link). */
export function ExportLimitsButton({ siteId, siteCode }: { siteId: number; siteCode: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const download = useMutation({
    mutationFn: async () => {
      const response = await exportLimits(siteId);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download =
        fileNameOf(response.headers.get('content-disposition')) ?? `spec-limits-${siteCode}.csv`;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    onError: (error) => toast.error(problemText(error, t('qualityLimits.exportFailed'))),
  });
  return (
    <Button tone="secondary" busy={download.isPending} onClick={() => download.mutate()}>
      <Download aria-hidden className="size-4" />
      {t('qualityLimits.exportCsv')}
    </Button>
  );
}

/** Uploads a CSV of limit versions; the server checks every row and stores all or nothing. */
export function ImportLimitsDialog({ siteId, onClose }: { siteId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: () => importLimits(siteId, file as File),
    onSuccess: (summary) => {
      void queryClient.invalidateQueries({ queryKey: limitKeys.all });
      toast.success(t('qualityLimits.imported', { ...summary }));
      onClose();
    },
  });
  const rowProblems = upload.error instanceof ApiError ? upload.error.fieldProblems : [];

  return (
    <Dialog
      open
      title={t('qualityLimits.importTitle')}
      onClose={onClose}
      onSubmit={() => file && upload.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={upload.isPending} disabled={!file}>
            <Upload aria-hidden className="size-4" />
            {t('qualityLimits.importCsv')}
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('qualityLimits.importHint')}</p>
      <p className="font-mono text-xs break-all text-slate-500">
        site_code, product_id, test_step, lower_limit, upper_limit, target, unit, effective_from
      </p>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t('qualityLimits.csvFile')}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-sky-700 file:px-3 file:py-2 file:text-white"
      />
      {upload.isError && (
        <div role="alert" className="space-y-2 text-sm text-red-700 dark:text-red-400">
          <p>{problemText(upload.error, t('qualityLimits.importFailed'))}</p>
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
