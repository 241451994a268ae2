import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../lib/form-errors.ts';
import { useToast } from './toast.tsx';

interface SaveMutationOptions<TSaved, TVars> {
  mutationFn: (variables: TVars) => Promise<TSaved>;
  /** Queries to refresh once the server has stored the change. */
  invalidate: QueryKey[];
  /** The success toast's text. */
  successText: (saved: TSaved) => string;
  onSaved?: (saved: TSaved) => void;
  /** Refresh `invalidate` after a failure too (a failed answer may still have stored something). */
  refreshOnError?: boolean;
}

/** A mutation that refreshes queries and toasts on success, and toasts the server's problem on failure. */
export function useSaveMutation<TSaved, TVars = void>({
  mutationFn,
  invalidate,
  successText,
  onSaved,
  refreshOnError,
}: SaveMutationOptions<TSaved, TVars>) {
  const { t } = useTranslation();
  const toast = useToast();
  const queryClient = useQueryClient();
  const refresh = () => {
    for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
  };
  return useMutation({
    mutationFn,
    onSuccess: (saved: TSaved) => {
      refresh();
      toast.success(successText(saved));
      onSaved?.(saved);
    },
    onError: (error) => {
      if (refreshOnError) refresh();
      toast.error(problemText(error, t('common.saveFailed')));
    },
  });
}
