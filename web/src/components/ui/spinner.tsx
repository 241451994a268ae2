import { clsx } from 'clsx';
import { LoaderCircle } from 'lucide-react';
import { useTranslation } from 'react-i18next';

export function Spinner({ size = 'md', label }: { size?: 'sm' | 'md' | 'lg'; label?: string }) {
  const { t } = useTranslation();
  return (
    <LoaderCircle
      role="status"
      aria-label={label ?? t('common.loading')}
      className={clsx('animate-spin', {
        'size-4': size === 'sm',
        'size-6': size === 'md',
        'size-10': size === 'lg',
      })}
    />
  );
}

export function PageSpinner() {
  return (
    <div className="flex justify-center py-16 text-slate-500">
      <Spinner size="lg" />
    </div>
  );
}
