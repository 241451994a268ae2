import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, FileText, ImageOff, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import {
  attachmentKeys,
  deleteAttachment,
  fetchAttachmentBlob,
  filePath,
  formatBytes,
  thumbnailPath,
  type Attachment,
} from './attachments-api.ts';

/**
 * A blob URL for an attachment path, fetched with the token. The bytes stay in the query cache for a
 * while; the URL is made per component and revoked when it unmounts or the bytes change.
 */
function useBlobUrl(path: string | null) {
  const blob = useQuery({
    queryKey: attachmentKeys.file(path ?? ''),
    queryFn: () => fetchAttachmentBlob(path ?? ''),
    enabled: path !== null,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: 1,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob.data) return;
    const objectUrl = URL.createObjectURL(blob.data);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [blob.data]);
  return { url, isError: blob.isError };
}

/** Saves a file fetched with the token under its own name. */
async function saveFile(attachment: Attachment) {
  const url = URL.createObjectURL(await fetchAttachmentBlob(filePath(attachment)));
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.original_name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Preview({ attachment, onClose }: { attachment: Attachment; onClose: () => void }) {
  const { t } = useTranslation();
  const full = useBlobUrl(filePath(attachment));
  return (
    <Dialog
      open
      title={attachment.original_name}
      onClose={onClose}
      footer={
        <Button tone="secondary" onClick={() => void saveFile(attachment)}>
          <Download aria-hidden className="size-4" />
          {t('attachments.download')}
        </Button>
      }
    >
      <div className="flex min-h-40 items-center justify-center">
        {full.url ? (
          <img src={full.url} alt={attachment.original_name} className="max-h-[60vh] max-w-full rounded" />
        ) : full.isError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {t('attachments.loadFailed')}
          </p>
        ) : (
          <Spinner size="lg" />
        )}
      </div>
    </Dialog>
  );
}

function Thumbnail({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  const thumb = useBlobUrl(thumbnailPath(attachment));
  if (thumb.url) {
    return <img src={thumb.url} alt={attachment.original_name} className="size-full object-cover" />;
  }
  if (thumb.isError) {
    return <ImageOff role="img" aria-label={t('attachments.loadFailed')} className="size-8 text-slate-400" />;
  }
  return <Spinner />;
}

export function AttachmentTile({
  attachment,
  repairId,
  canDelete,
}: {
  attachment: Attachment;
  repairId: number;
  canDelete: boolean;
}) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const isImage = attachment.kind === 'image';
  const size = formatBytes(attachment.size_bytes, i18n.resolvedLanguage ?? 'en');

  const download = useMutation({
    mutationFn: () => saveFile(attachment),
    onError: (error) => toast.error(problemText(error, t('attachments.loadFailed'))),
  });
  const remove = useMutation({
    mutationFn: () => deleteAttachment(attachment.id),
    onSuccess: () => {
      setConfirming(false);
      queryClient.setQueryData<Attachment[]>(attachmentKeys.repair(repairId), (list) =>
        list?.filter((item) => item.id !== attachment.id),
      );
      void queryClient.invalidateQueries({ queryKey: attachmentKeys.repair(repairId) });
      toast.success(t('attachments.deleted', { name: attachment.original_name }));
    },
    onError: (error) => toast.error(problemText(error, t('attachments.deleteFailed'))),
  });

  return (
    <li
      data-testid="attachment"
      className="group relative flex flex-col overflow-hidden rounded-md border border-slate-200 bg-slate-50 dark:border-slate-700 dark:bg-slate-800"
    >
      <button
        type="button"
        onClick={() => (isImage ? setPreviewing(true) : download.mutate())}
        aria-label={t(isImage ? 'attachments.open' : 'attachments.downloadName', {
          name: attachment.original_name,
        })}
        className="flex aspect-[4/3] items-center justify-center overflow-hidden text-slate-500 focus-visible:outline-2 focus-visible:outline-sky-500"
      >
        {isImage ? (
          <Thumbnail attachment={attachment} />
        ) : download.isPending ? (
          <Spinner />
        ) : (
          <FileText aria-hidden className="size-10" />
        )}
      </button>
      <div className="flex items-start gap-1 px-2 py-1.5 text-xs">
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium" title={attachment.original_name}>
            {attachment.original_name}
          </p>
          <p className="text-slate-500 dark:text-slate-400">{size}</p>
        </div>
        {canDelete && (
          <Button
            tone="ghost"
            size="sm"
            className="px-1.5"
            aria-label={t('attachments.deleteName', { name: attachment.original_name })}
            onClick={() => setConfirming(true)}
          >
            <Trash2 aria-hidden className="size-4" />
          </Button>
        )}
      </div>
      {previewing && <Preview attachment={attachment} onClose={() => setPreviewing(false)} />}
      <ConfirmDialog
        open={confirming}
        title={t('attachments.deleteTitle')}
        message={t('attachments.deleteMessage', { name: attachment.original_name })}
        confirmLabel={t('attachments.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirming(false)}
      />
    </li>
  );
}
