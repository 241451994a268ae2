import { Moon, Sun } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { setThemeChoice, useTheme } from './theme.ts';

/** Flips between light and dark; "follow the system" lives in the user menu. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const { dark } = useTheme();
  const label = dark ? t('theme.switchToLight') : t('theme.switchToDark');
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      aria-label={label}
      title={label}
      onClick={() => setThemeChoice(dark ? 'light' : 'dark')}
      className="rounded-md p-2 text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"
    >
      {dark ? <Sun aria-hidden className="size-5" /> : <Moon aria-hidden className="size-5" />}
    </button>
  );
}
