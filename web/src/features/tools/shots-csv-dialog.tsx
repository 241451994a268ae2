import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { ApiError } from '../../lib/api.ts';
import { problemText } from '../../lib/form-errors.ts';
import { importShotsCsv, toolKeys } from './tools-api.ts';

/** Shot readings from a CSV file: all rows are checked and either all are stored or none, with each row's problem. */
export function ShotsCsvDialog({ siteId, onClose }: { siteId?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: () => importShotsCsv(siteId, file as File),
    onSuccess: (summary) => {
      void queryClient.invalidateQueries({ queryKey: toolKeys.all });
      toast.success(t('tools.csv.done', summary));
      onClose();
    },
  });
  const problems = upload.error instanceof ApiError ? upload.error.fieldProblems : [];
  return (
    <Dialog
      open
      title={t('tools.csv.title')}
      onClose={onClose}
      onSubmit={() => file && upload.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={upload.isPending} disabled={!file}>
            {t('tools.csv.import')}
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('tools.csv.hint')}</p>
      <pre className="rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
        asset_number,taken_at,counter_value,shots{'\n'}MLD-001,2026-03-01T06:00:00+01:00,125000,{'\n'}
        MLD-002,2026-03-01T06:00:00+01:00,,3200
      </pre>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t('tools.csv.file')}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      {upload.isError && (
        <div role="alert" className="text-sm text-red-700 dark:text-red-400">
          <p>{problemText(upload.error, t('common.saveFailed'))}</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((problem) => (
              <li key={`${problem.field}${problem.message}`}>
                {problem.field}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}
