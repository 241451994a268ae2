import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ru from './ru.json';

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
  resources: { en: { translation: en }, ru: { translation: ru } },
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
