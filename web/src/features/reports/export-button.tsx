import { useMutation } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { downloadFile } from '../../lib/download.ts';
import { problemText } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import {
  exportFormats,
  exportPath,
  type ExportFormat,
  type ExportListName,
  type ExportQuery,
} from './reports-api.ts';

/**
 * Downloads every row of a list that its filters match, as CSV or JSON. Shown only to those who may
 * export (report:read); list pages pass their current filters.
 */
export function ExportButton({ list, filters }: { list: ExportListName; filters: ExportQuery }) {
  const { t } = useTranslation();
  const toast = useToast();
  const user = useCurrentUser().data;
  const [format, setFormat] = useState<ExportFormat>('csv');
  const download = useMutation({
    mutationFn: () => downloadFile(exportPath(list, format, filters), `${list}.${format}`),
    onError: (error) => toast.error(problemText(error, t('reports.exportFailed'))),
  });
  if (!can(user, 'report:read')) return null;
  return (
    <span className="inline-flex items-center gap-1" data-testid={`export-${list}`}>
      <select
        aria-label={t('reports.format')}
        value={format}
        onChange={(event) => setFormat(event.target.value as ExportFormat)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
      >
        {exportFormats.map((option) => (
          <option key={option} value={option}>
            {t(`reports.formats.${option}`)}
          </option>
        ))}
      </select>
      <Button tone="secondary" size="sm" busy={download.isPending} onClick={() => download.mutate()}>
        <Download aria-hidden className="size-4" />
        {t('reports.export')}
      </Button>
    </span>
  );
}
