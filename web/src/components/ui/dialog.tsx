import { X } from 'lucide-react';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './button.tsx';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** When set, the body is a form and the footer's submit button submits it. */
  onSubmit?: () => void;
}

/** A modal built on the native <dialog> element (focus trap, Escape and backdrop for free). */
export function Dialog({ open, title, onClose, children, footer, onSubmit }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  const body = (
    <>
      <div className="max-h-[70vh] space-y-4 overflow-y-auto px-5 py-4">{children}</div>
      {footer && (
        <div className="flex justify-end gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-700">
          {footer}
        </div>
      )}
    </>
  );

  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-slate-900 shadow-xl dark:bg-slate-900 dark:text-slate-100"
    >
      {open && (
        <>
          <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-700">
            <h2 className="text-lg font-semibold">{title}</h2>
            <Button tone="ghost" size="sm" aria-label={t('common.close')} onClick={onClose}>
              <X aria-hidden className="size-4" />
            </Button>
          </div>
          {onSubmit ? (
            <form onSubmit={submit} noValidate={false}>
              {body}
            </form>
          ) : (
            body
          )}
        </>
      )}
    </dialog>
  );
}
