import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Camera, FileText, Paperclip } from 'lucide-react';
import { useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ErrorState } from '../../components/ui/empty-state.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { AttachmentTile } from './attachment-tile.tsx';
import {
  ATTACHMENT_ACCEPT,
  attachmentKeys,
  fetchRepairAttachments,
  formatBytes,
  MAX_ATTACHMENT_BYTES,
  uploadRepairAttachment,
  type Attachment,
} from './attachments-api.ts';

interface PendingUpload {
  key: number;
  name: string;
  /** null while waiting its turn, then 0…1 as the body goes out. */
  progress: number | null;
}

let nextUploadKey = 1;

function Section({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section
      aria-labelledby="repair-attachments-title"
      className="mt-6 space-y-3 rounded-lg border border-slate-200 bg-white p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="repair-attachments-title" className="text-lg font-semibold">
        {t('attachments.title')}
      </h2>
      {children}
    </section>
  );
}

/** Until the repair exists there is nothing to attach to. */
export function AttachmentsNeedSavedRepair() {
  const { t } = useTranslation();
  return (
    <Section>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('attachments.saveFirst')}</p>
    </Section>
  );
}

function PendingTile({ upload }: { upload: PendingUpload }) {
  const { t } = useTranslation();
  const percent = upload.progress === null ? null : Math.round(upload.progress * 100);
  return (
    <li
      data-testid="pending-upload"
      className="flex flex-col overflow-hidden rounded-md border border-dashed border-slate-300 dark:border-slate-600"
    >
      <div className="flex aspect-[4/3] flex-col items-center justify-center gap-2 px-3 text-slate-500">
        {percent === null ? <FileText aria-hidden className="size-8" /> : <Spinner />}
        <div
          role="progressbar"
          aria-label={t('attachments.uploading', { name: upload.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? 0}
          className="h-1.5 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
        >
          <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent ?? 0}%` }} />
        </div>
      </div>
      <div className="px-2 py-1.5 text-xs">
        <p className="truncate font-medium" title={upload.name}>
          {upload.name}
        </p>
        <p className="text-slate-500 dark:text-slate-400">
          {percent === null
            ? t('attachments.waiting')
            : percent >= 100
              ? t('attachments.processing')
              : `${percent} %`}
        </p>
      </div>
    </li>
  );
}

/** Photos and documents of a saved repair: thumbnails, upload from camera or files, delete. */
export function RepairAttachments({ repairId }: { repairId: number }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { data: user } = useCurrentUser();
  const canWrite = can(user, 'repair:write');
  const list = useQuery({
    queryKey: attachmentKeys.repair(repairId),
    queryFn: () => fetchRepairAttachments(repairId),
  });
  const [pending, setPending] = useState<PendingUpload[]>([]);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const cameraInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const setProgress = (key: number, progress: number) =>
    setPending((items) => items.map((item) => (item.key === key ? { ...item, progress } : item)));

  const uploadOne = async (file: File, key: number) => {
    setProgress(key, 0);
    try {
      const created = await uploadRepairAttachment(repairId, file, (share) => setProgress(key, share));
      queryClient.setQueryData<Attachment[]>(attachmentKeys.repair(repairId), (items) =>
        items?.some((item) => item.id === created.id) ? items : [...(items ?? []), created],
      );
      toast.success(t('attachments.uploaded', { name: file.name }));
    } catch (error) {
      toast.error(`${file.name}: ${problemText(error, t('attachments.uploadFailed'))}`);
    } finally {
      setPending((items) => items.filter((item) => item.key !== key));
    }
  };

  /** Files go one after another, also when a second batch is picked while the first is still going. */
  const enqueue = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    const language = i18n.resolvedLanguage ?? 'en';
    for (const file of files) {
      if (file.size > MAX_ATTACHMENT_BYTES) {
        toast.error(
          t('attachments.tooLarge', { name: file.name, max: formatBytes(MAX_ATTACHMENT_BYTES, language) }),
        );
        continue;
      }
      const key = nextUploadKey++;
      setPending((items) => [...items, { key, name: file.name, progress: null }]);
      queue.current = queue.current.then(() => uploadOne(file, key));
    }
    queue.current = queue.current.then(() =>
      queryClient.invalidateQueries({ queryKey: attachmentKeys.repair(repairId) }),
    );
  };

  const items = list.data ?? [];
  return (
    <Section>
      {canWrite && (
        <div className="flex flex-wrap items-center gap-2">
          <Button tone="secondary" onClick={() => cameraInput.current?.click()}>
            <Camera aria-hidden className="size-4" />
            {t('attachments.takePhoto')}
          </Button>
          <Button tone="secondary" onClick={() => fileInput.current?.click()}>
            <Paperclip aria-hidden className="size-4" />
            {t('attachments.attachFile')}
          </Button>
          <span className="text-xs text-slate-500 dark:text-slate-400">{t('attachments.accepted')}</span>
          <input
            ref={cameraInput}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            aria-label={t('attachments.takePhoto')}
            data-testid="attachment-camera-input"
            onChange={enqueue}
          />
          <input
            ref={fileInput}
            type="file"
            accept={ATTACHMENT_ACCEPT}
            multiple
            hidden
            aria-label={t('attachments.attachFile')}
            data-testid="attachment-file-input"
            onChange={enqueue}
          />
        </div>
      )}
      {list.isPending ? (
        <div className="flex justify-center py-6 text-slate-500">
          <Spinner />
        </div>
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 && pending.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{t('attachments.empty')}</p>
      ) : (
        <ul
          aria-label={t('attachments.title')}
          className="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-6"
        >
          {items.map((attachment) => (
            <AttachmentTile
              key={attachment.id}
              attachment={attachment}
              repairId={repairId}
              canDelete={canWrite}
            />
          ))}
          {pending.map((upload) => (
            <PendingTile key={upload.key} upload={upload} />
          ))}
        </ul>
      )}
    </Section>
  );
}
