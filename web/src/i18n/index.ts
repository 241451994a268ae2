import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ru from './ru.json';

type Messages = Record<string, unknown>;

/**
 * Each feature may keep its own strings beside it (`features/<area>/i18n.en.json`, `i18n.ru.json`);
 * they are merged over the shared files, so areas built side by side never edit the same file.
 */
const featureMessages = import.meta.glob<Messages>('../features/*/i18n.*.json', {
  eager: true,
  import: 'default',
});

function merge(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    target[key] =
      value && typeof value === 'object' && current && typeof current === 'object'
        ? merge({ ...(current as Messages) }, value as Messages)
        : value;
  }
  return target;
}

function messagesFor(language: 'en' | 'ru', base: Messages): Messages {
  return Object.entries(featureMessages)
    .filter(([file]) => file.endsWith(`/i18n.${language}.json`))
    .sort(([a], [b]) => a.localeCompare(b))
    .reduce((all, [, messages]) => merge(all, messages), merge({}, base));
}

export const languages = [
  { code: 'en', label: 'English' },
  { code: 'ru', label: 'Русский' },
] as const;

export type LanguageCode = (typeof languages)[number]['code'];

const LANG_KEY = 'hom.lang';

function detectLanguage(): LanguageCode {
  const saved = localStorage.getItem(LANG_KEY);
  const wanted = (saved ?? navigator.language ?? 'en').slice(0, 2).toLowerCase();
  return wanted === 'ru' ? 'ru' : 'en';
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: messagesFor('en', en) },
    ru: { translation: messagesFor('ru', ru) },
  },
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'ru'],
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function changeLanguage(language: LanguageCode): void {
  localStorage.setItem(LANG_KEY, language);
  void i18n.changeLanguage(language);
}

export default i18n;
