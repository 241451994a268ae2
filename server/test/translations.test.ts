import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The web app's strings: the shared files and each feature's own (web/src/i18n/index.ts merges them). */
const WEB = path.resolve(import.meta.dirname, '../../web/src');
type Messages = { [key: string]: string | Messages };

function keysOf(messages: Messages, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

/** Plural forms differ by language (Russian has few and many), so keys compare without them. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKeys = (messages: Messages) => [...new Set(keysOf(messages).map((key) => key.replace(PLURAL, '')))];

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Messages;

const pairs = [
  { name: 'shared', en: path.join(WEB, 'i18n/en.json'), ru: path.join(WEB, 'i18n/ru.json') },
  ...readdirSync(path.join(WEB, 'features'))
    .filter((feature) =>
      ['en', 'ru'].some((language) =>
        existsSync(path.join(WEB, 'features', feature, `i18n.${language}.json`)),
      ),
    )
    .map((feature) => ({
      name: feature,
      en: path.join(WEB, 'features', feature, 'i18n.en.json'),
      ru: path.join(WEB, 'features', feature, 'i18n.ru.json'),
    })),
];

describe('web translations', () => {
  it.each(pairs)('$name: English and Russian have the same keys (plural forms aside)', ({ en, ru }) => {
    expect(existsSync(en), `${en} is missing`).toBe(true);
    expect(existsSync(ru), `${ru} is missing`).toBe(true);
    const english = baseKeys(read(en)).sort();
    const russian = baseKeys(read(ru)).sort();
    expect(
      russian.filter((key) => !english.includes(key)),
      'only in Russian',
    ).toEqual([]);
    expect(
      english.filter((key) => !russian.includes(key)),
      'only in English',
    ).toEqual([]);
  });
});
