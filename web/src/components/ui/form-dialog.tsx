import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldProblems, problemText } from '../../lib/form-errors.ts';
import { Button } from './button.tsx';
import { Dialog } from './dialog.tsx';

interface FormDialogProps {
  title: string;
  onClose: () => void;
  /** The dialog's save mutation (see useSaveMutation). */
  save: { mutate: () => void; isPending: boolean; isError: boolean; error: unknown };
  /** The submit button's text; "Save" when absent. */
  submitLabel?: string;
  children: ReactNode;
}

/** A form dialog with Cancel/Save buttons and the server's message when no field is to blame. */
export function FormDialog({ title, onClose, save, submitLabel, children }: FormDialogProps) {
  const { t } = useTranslation();
  const problems = fieldProblems(save.error);
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      footer={
        <>
          <Button tone="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={save.isPending}>
            {submitLabel ?? t('common.save')}
          </Button>
        </>
      }
    >
      {children}
      {save.isError && Object.keys(problems).length === 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {problemText(save.error, t('common.saveFailed'))}
        </p>
      )}
    </Dialog>
  );
}
