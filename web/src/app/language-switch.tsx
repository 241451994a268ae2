import { Languages } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, languages, type LanguageCode } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="inline-flex items-center gap-1 text-sm">
      <Languages aria-hidden className="size-4 text-slate-500" />
      <span className="sr-only">{t('language.label')}</span>
      <select
        data-testid="language-switch"
        value={i18n.resolvedLanguage}
        onChange={(event) => changeLanguage(event.target.value as LanguageCode)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        {languages.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </label>
  );
}
