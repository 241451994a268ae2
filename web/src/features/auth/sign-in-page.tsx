import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { ThemeSwitch } from '../../app/theme-switch.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/field.tsx';
import { ApiError } from '../../lib/api.ts';
import { signIn } from './auth-api.ts';

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [lockedSeconds, setLockedSeconds] = useState(0);

  useEffect(() => {
    if (lockedSeconds <= 0) return;
    const timer = window.setTimeout(() => setLockedSeconds((seconds) => seconds - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [lockedSeconds]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await signIn(username.trim(), password);
      queryClient.clear();
      await navigate({ to: '/' });
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        setLockedSeconds(error.retryAfterSeconds ?? 60);
      } else if (error instanceof ApiError) {
        setProblem(error.message || t('auth.signInFailed'));
      } else {
        setProblem(t('auth.serverUnreachable'));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4">
      <div className="absolute top-3 right-3 flex items-center gap-2">
        <LanguageSwitch />
        <ThemeSwitch />
      </div>
      <form
        onSubmit={(event) => void submit(event)}
        className="w-full max-w-sm space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <div>
          <h1 className="text-2xl font-semibold">{t('auth.title')}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t('app.tagline')}</p>
        </div>
        <Input
          label={t('auth.username')}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <Input
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {(problem || lockedSeconds > 0) && (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200"
          >
            {lockedSeconds > 0 ? t('auth.tooManyAttempts', { seconds: lockedSeconds }) : problem}
          </p>
        )}
        <Button type="submit" className="w-full" busy={busy} disabled={lockedSeconds > 0}>
          {t('auth.signIn')}
        </Button>
      </form>
    </div>
  );
}
