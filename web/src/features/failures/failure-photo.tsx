import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/ui/dialog.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { apiRaw } from '../../lib/api.ts';
import type { FailurePhoto } from './failures-api.ts';

/** A blob URL for a photo path fetched with the token (an `<img src>` cannot send it). */
function useBlobUrl(path: string | null) {
  const blob = useQuery({
    queryKey: ['attachments', 'file', path ?? ''],
    queryFn: async () => (await apiRaw('GET', path ?? '')).blob(),
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

/** A thumbnail that opens the display-size photo. */
export function FailurePhotoTile({ photo }: { photo: FailurePhoto }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const thumbnail = useBlobUrl(photo.thumbnail_url ?? photo.url);
  return (
    <li
      data-testid="failure-photo"
      className="overflow-hidden rounded-md border border-slate-200 dark:border-slate-700"
    >
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="block size-32"
        aria-label={t('failures.openPhoto', { name: photo.original_name })}
      >
        {thumbnail.url ? (
          <img src={thumbnail.url} alt={photo.original_name} className="size-32 object-cover" />
        ) : (
          <span className="flex size-32 items-center justify-center">
            {thumbnail.isError ? t('failures.photoFailed') : <Spinner />}
          </span>
        )}
      </button>
      {open && <FullPhoto photo={photo} onClose={() => setOpen(false)} />}
    </li>
  );
}

function FullPhoto({ photo, onClose }: { photo: FailurePhoto; onClose: () => void }) {
  const { t } = useTranslation();
  const full = useBlobUrl(photo.url);
  return (
    <Dialog open title={photo.original_name} onClose={onClose}>
      <div className="flex min-h-40 items-center justify-center">
        {full.url ? (
          <img src={full.url} alt={photo.original_name} className="max-h-[70vh] max-w-full rounded" />
        ) : full.isError ? (
          <p role="alert">{t('failures.photoFailed')}</p>
        ) : (
          <Spinner size="lg" />
        )}
      </div>
    </Dialog>
  );
}
