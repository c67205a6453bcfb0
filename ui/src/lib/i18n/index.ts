// The UI's words in French (default), Dutch and English, and Belgian date formats in Brussels time.
import { fr, type Key } from './fr';
import { nl } from './nl';
import { en } from './en';
import { nameOfLanguage } from '../languages';

export type Lang = 'fr' | 'nl' | 'en';
export type { Key };

export const catalogues: Record<Lang, Record<Key, string>> = { fr, nl, en };
export const languages: { code: Lang; name: string }[] = [
  { code: 'fr', name: 'Français' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'en', name: 'English' },
];

/** The sentence for `key` in `lang`, with `{name}` placeholders filled in. */
export function translate(lang: Lang, key: Key, values: Record<string, string | number> = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** The sentence for a count: `key.one` or `key.other`, by the language's plural rules. */
export function translateCount(lang: Lang, key: string, n: number, values: Record<string, string | number> = {}): string {
  const form = cached(`plural ${lang}`, () => new Intl.PluralRules(locales[lang])).select(n) === 'one' ? 'one' : 'other';
  return translate(lang, `${key}.${form}` as Key, { ...values, n });
}

const locales: Record<Lang, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-BE' };

// Intl objects are costly to build (a list of 60 people would build hundreds): one per language and use.
const formatters = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  let found = formatters.get(key) as T | undefined;
  if (found === undefined) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

/** A calendar date (YYYY-MM-DD) written as people read it in Belgium: "9 novembre 2026". */
export function formatDate(lang: Lang, isoDate: string): string {
  const noonUtc = new Date(`${isoDate}T12:00:00Z`);
  const written = cached(`date ${lang}`, () =>
    new Intl.DateTimeFormat(locales[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' }),
  ).format(noonUtc);
  // French writes the first of the month "1er janvier".
  return lang === 'fr' ? written.replace(/^1 /, '1er ') : written;
}

/** Today's date in Brussels, as YYYY-MM-DD. */
export function todayInBrussels(now: Date = new Date()): string {
  // From the date's parts, not a locale's format: the desktop window's WebKit lacks some locales'
  // data and formatted 'en-CA' as 11/24/2026, which the core then refused as a date.
  const parts = cached('day', () =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** An instant written as people read it in Belgium, in Brussels time: "23 novembre 2026, 09:05". */
export function formatInstant(lang: Lang, instant: string): string {
  return cached(`instant ${lang}`, () =>
    new Intl.DateTimeFormat(locales[lang], {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Brussels',
    }),
  ).format(new Date(instant));
}

/** The name of a language (ISO 639 code) in the UI's language: "arabe", "Arabisch", "Arabic" (CLDR). */
export function languageName(lang: Lang, code: string): string {
  return nameOfLanguage(lang, code);
}

/** The date `days` after `isoDate` (YYYY-MM-DD). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
