import { Check, Copy, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/ui/button.tsx';
import { useToast } from '../../components/ui/toast.tsx';

/** Shows a freshly issued key once, with a copy button and a warning that it will not be shown again. */
export function IssuedKeyPanel({ plainKey }: { plainKey: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(plainKey);
      setCopied(true);
      toast.success(t('apiKeys.copied'));
    } catch {
      toast.error(t('apiKeys.copyFailed'));
    }
  };

  return (
    <div className="space-y-3">
      <p
        role="alert"
        className="flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
      >
        <TriangleAlert aria-hidden className="size-5 shrink-0" />
        {t('apiKeys.showOnceWarning')}
      </p>
      <div className="flex items-center gap-2">
        <code
          data-testid="issued-api-key"
          className="flex-1 rounded-md bg-slate-100 px-3 py-2 font-mono text-sm break-all select-all dark:bg-slate-800"
        >
          {plainKey}
        </code>
        <Button tone="secondary" onClick={() => void copy()} aria-label={t('apiKeys.copy')}>
          {copied ? <Check aria-hidden className="size-4" /> : <Copy aria-hidden className="size-4" />}
          {t('apiKeys.copy')}
        </Button>
      </div>
    </div>
  );
}
