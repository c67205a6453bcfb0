// Every living language of ISO 639-3 (the `iso-639-3` package, MIT), named in the referent's language
// from the Unicode CLDR (`cldr-localenames-full`, Unicode licence): what a person's languages are
// picked from. A language is coded with ISO 639-1 where it has a two-letter code ("ar", "ti"), else
// ISO 639-3 ("prs" Dari, "ary" Moroccan Arabic). CLDR names about 660 languages in each of French,
// Dutch and English; the others keep their ISO name (English).
import { iso6393 } from 'iso-639-3';
import frNames from 'cldr-localenames-full/main/fr/languages.json';
import nlNames from 'cldr-localenames-full/main/nl/languages.json';
import enNames from 'cldr-localenames-full/main/en/languages.json';
import type { Lang } from './i18n';

interface Entry {
  /** ISO 639-1 if any, else ISO 639-3. */
  code: string;
  /** ISO 639-3. */
  iso3: string;
  /** ISO 639-3's reference name (English). */
  reference: string;
}

const entries: Entry[] = iso6393
  .filter((l) => l.type === 'living')
  .map((l) => ({ code: l.iso6391 ?? l.iso6393, iso3: l.iso6393, reference: l.name }));
const byCode = new Map<string, Entry>();
for (const e of entries) {
  byCode.set(e.code, e);
  byCode.set(e.iso3, e);
}

const cldr: Record<Lang, Record<string, string>> = {
  fr: frNames.main.fr.localeDisplayNames.languages,
  nl: nlNames.main.nl.localeDisplayNames.languages,
  en: enNames.main.en.localeDisplayNames.languages,
};

/** The name of language `code` (ISO 639-1 or 639-3) in `lang`: CLDR's, else ISO's, else the code. */
export function nameOfLanguage(lang: Lang, code: string): string {
  const entry = byCode.get(code);
  return cldr[lang][code] ?? (entry ? cldr[lang][entry.code] ?? cldr[lang][entry.iso3] : undefined) ?? entry?.reference ?? code;
}

/** The code a person's language is stored under: ISO 639-1 where it exists. */
export function canonicalLanguage(code: string): string {
  return byCode.get(code)?.code ?? code;
}

/** Letters only, without accents, lower case: "Tigré" and "tigre" meet. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The languages whose code or name (in `lang`, or ISO's English) starts a word with `query`, best
 * first: a code typed whole, then names starting with it, then names with a word starting with it;
 * languages CLDR names (the widely spoken ones) before the others. At most `limit`. */
export function searchLanguages(lang: Lang, query: string, limit = 12): string[] {
  const q = fold(query.trim());
  if (!q) return [];
  const scored: { code: string; score: number; name: string }[] = [];
  for (const e of entries) {
    const name = nameOfLanguage(lang, e.code);
    const folded = fold(name);
    const named = cldr[lang][e.code] !== undefined;
    let score: number;
    if (e.code === q || e.iso3 === q) score = 0;
    else if (folded.startsWith(q)) score = 1;
    else if (folded.split(/[\s\-(),]+/).some((w) => w.startsWith(q))) score = 2;
    else if (fold(e.reference).startsWith(q)) score = 3;
    else continue;
    scored.push({ code: e.code, score: score * 2 + (named ? 0 : 1), name: folded });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.code);
}
