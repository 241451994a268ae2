import { useEffect, useSyncExternalStore } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';

const THEME_KEY = 'hom.theme';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function readChoice(): ThemeChoice {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

function isDark(choice: ThemeChoice): boolean {
  return choice === 'dark' || (choice === 'system' && darkQuery().matches);
}

/** Puts the `dark` class on <html>; index.html does the same before first paint. */
function applyTheme(choice: ThemeChoice): void {
  const dark = isDark(choice);
  document.documentElement.classList.toggle('dark', dark);
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

export function setThemeChoice(choice: ThemeChoice): void {
  localStorage.setItem(THEME_KEY, choice);
  applyTheme(choice);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = darkQuery();
  media.addEventListener('change', listener);
  return () => {
    listeners.delete(listener);
    media.removeEventListener('change', listener);
  };
}

export function useTheme(): { choice: ThemeChoice; dark: boolean } {
  const choice = useSyncExternalStore(subscribe, readChoice);
  const dark = useSyncExternalStore(subscribe, () => isDark(readChoice()));
  useEffect(() => {
    // while following the system, a system switch must re-apply the class
    if (choice === 'system') applyTheme('system');
  }, [choice, dark]);
  return { choice, dark };
}
