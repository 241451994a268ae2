import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Camera, ImagePlus } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Select } from '../../components/ui/field.tsx';
import { Spinner } from '../../components/ui/spinner.tsx';
import { useToast } from '../../components/ui/toast.tsx';
import { problemText } from '../../lib/form-errors.ts';
import { can, useCurrentUser } from '../auth/use-current-user.ts';
import { fetchAttachmentBlob } from '../repairs/attachments-api.ts';
import { sectionClass, type ToolSectionProps } from './tool-section-kit.ts';
import {
  fetchPhotos,
  photoAngles,
  toolKeys,
  uploadPhoto,
  type PhotoAngle,
  type ToolPhoto,
} from './tools-api.ts';

/** A blob URL for a photo path fetched with the token (an <img src> cannot send it). */
function useBlobUrl(path: string) {
  const blob = useQuery({
    queryKey: ['attachments', 'file', path],
    queryFn: () => fetchAttachmentBlob(path),
    staleTime: Infinity,
    gcTime: 60_000,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob.data) return;
    const objectUrl = URL.createObjectURL(blob.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob.data]);
  return url;
}

function PhotoTile({ photo }: { photo: ToolPhoto }) {
  const thumb = useBlobUrl(photo.thumbnail_url ?? `/attachments/${photo.id}?thumbnail=true`);
  return (
    <li
      data-testid="tool-photo"
      className="overflow-hidden rounded border border-slate-200 dark:border-slate-700"
    >
      {thumb ? (
        <img src={thumb} alt={photo.original_name} className="h-32 w-full object-cover" />
      ) : (
        <div className="flex h-32 items-center justify-center">
          <Spinner size="sm" />
        </div>
      )}
    </li>
  );
}

const buttonClass =
  'inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800';

/** Photos by angle (front, rear, core, cavity, other); upload a file or take one with the tablet's camera. */
export function ToolPhotosSection({ tool }: ToolSectionProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const user = useCurrentUser().data;
  const queryClient = useQueryClient();
  const [angle, setAngle] = useState<PhotoAngle>('front');
  const [progress, setProgress] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const cameraInput = useRef<HTMLInputElement>(null);
  const photos = useQuery({ queryKey: toolKeys.photos(tool.id), queryFn: () => fetchPhotos(tool.id) });
  const upload = useMutation({
    mutationFn: (file: File) => uploadPhoto(tool.id, angle, file, setProgress),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: toolKeys.photos(tool.id) });
      toast.success(t('tools.photos.added', { angle: t(`tools.photos.angles.${angle}`) }));
    },
    onError: (error) => toast.error(problemText(error, t('tools.photos.failed'))),
    onSettled: () => setProgress(null),
  });
  const pick = (event: { target: HTMLInputElement }) => {
    const file = event.target.files?.[0];
    if (file) upload.mutate(file);
    event.target.value = '';
  };
  const byAngle = photoAngles
    .map((name) => ({ name, items: (photos.data ?? []).filter((photo) => (photo.tag ?? 'other') === name) }))
    .filter((group) => group.items.length > 0);
  return (
    <section className={sectionClass} aria-labelledby="tool-photos">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-2">
        <h2 id="tool-photos" className="text-lg font-semibold">
          {t('tools.photos.title')}
        </h2>
        {can(user, 'tool:manage') && (
          <div className="flex flex-wrap items-end gap-2">
            <Select
              label={t('tools.photos.angle')}
              value={angle}
              onChange={(event) => setAngle(event.target.value as PhotoAngle)}
            >
              {photoAngles.map((name) => (
                <option key={name} value={name}>
                  {t(`tools.photos.angles.${name}`)}
                </option>
              ))}
            </Select>
            <label className={buttonClass}>
              <Camera className="size-4" aria-hidden /> {t('tools.photos.takePhoto')}
              <input
                ref={cameraInput}
                type="file"
                accept="image/*"
                capture="environment"
                className="sr-only"
                onChange={pick}
              />
            </label>
            <label className={buttonClass}>
              <ImagePlus className="size-4" aria-hidden /> {t('tools.photos.upload')}
              <input
                ref={fileInput}
                type="file"
                accept="image/jpeg,image/png,image/webp,image/avif"
                className="sr-only"
                data-testid="tool-photo-input"
                onChange={pick}
              />
            </label>
          </div>
        )}
      </div>
      {progress !== null && (
        <p className="mb-2 text-sm" role="status">
          {t('tools.photos.uploading', { percent: Math.round(progress * 100) })}
        </p>
      )}
      {photos.isPending ? (
        <Spinner />
      ) : byAngle.length === 0 ? (
        <p className="text-sm text-slate-500">{t('tools.photos.none')}</p>
      ) : (
        byAngle.map((group) => (
          <div key={group.name} className="mb-3">
            <h3 className="mb-1 text-sm font-medium">{t(`tools.photos.angles.${group.name}`)}</h3>
            <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {group.items.map((photo) => (
                <PhotoTile key={photo.id} photo={photo} />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}
