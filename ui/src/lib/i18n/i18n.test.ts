import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogues, formatDate, todayInBrussels, translateCount } from './index';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' || name === 'bindings' ? [] : sources(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  const keys = Object.keys(catalogues.fr).sort();

  it('have the same keys and placeholders in every language', () => {
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      expect(Object.keys(catalogue).sort(), lang).toEqual(keys);
      for (const key of keys) {
        const k = key as keyof typeof catalogue;
        expect(placeholders(catalogue[k]), `${lang} ${key}`).toEqual(placeholders(catalogues.fr[k]));
        expect(catalogue[k].trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('holds no unused key, and the code uses no missing one', () => {
    const code = sources(join(__dirname, '..', '..')).map((f) => readFileSync(f, 'utf8')).join('\n');
    // Keys named in the code: t('key'), tn('key') and translateCount(lang, 'key') for plurals, and the
    // label maps of lib/labels.ts ('card.pain', …), whose completeness the type checker enforces.
    const used = new Set([...code.matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1]));
    for (const m of code.matchAll(/['"]([\w-]+\.[\w.-]+)['"]/g)) if (keys.includes(m[1])) used.add(m[1]);
    for (const m of code.matchAll(/\b(?:tn\(|translateCount\(\w+, )'([\w.]+)'/g)) {
      used.add(`${m[1]}.one`);
      used.add(`${m[1]}.other`);
    }
    expect(keys.filter((k) => !used.has(k))).toEqual([]);
    expect([...used].filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('count with plural forms, never "(s)"', () => {
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      for (const [key, value] of Object.entries(catalogue)) {
        // A count placeholder followed by a word that agrees with it asks for .one and .other forms.
        if (!/\.(one|other)$/.test(key)) expect(/\{(n|count|days)\}\s*\p{L}/u.test(value), `${lang} ${key}: ${value}`).toBe(false);
        expect(/\w\((s|en|ies|e)\)/.test(value), `${lang} ${key}: ${value}`).toBe(false);
        const base = key.replace(/\.(one|other)$/, '');
        if (base !== key && value.includes('{n}')) expect(Object.keys(catalogue), `${lang} ${key}`).toEqual(expect.arrayContaining([`${base}.one`, `${base}.other`]));
      }
    }
  });

  it('in French, put a narrow no-break space before : ; ? ! and inside « », and typographic apostrophes', () => {
    const sheet = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'src', 'sheet', 'lang', 'fr.json'), 'utf8'));
    const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
    for (const [where, value] of [...Object.entries(catalogues.fr), ...strings(sheet).map((v) => ['sheet', v])]) {
      expect(/ [:;?!»]|« /.test(value), `${where}: ${value}`).toBe(false);
      expect(/\p{L}'\p{L}/u.test(value), `${where}: ${value}`).toBe(false);
    }
  });

  it('follow the glossary, and the sheet prints the words the screen shows', () => {
    const root = join(__dirname, '..', '..', '..', '..');
    const rows = readFileSync(join(root, 'docs', 'glossary.md'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| term') && !l.startsWith('|---'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(rows.length).toBeGreaterThan(15);
    const langs = ['fr', 'nl', 'en'] as const;
    const sheets = Object.fromEntries(langs.map((l) => [l, JSON.parse(readFileSync(join(root, 'src', 'sheet', 'lang', `${l}.json`), 'utf8'))]));
    const lower = (s: string) => s.toLocaleLowerCase();
    for (const [term, screenKey, sheetKey, ...words] of rows) {
      langs.forEach((lang, i) => {
        const word = words[i];
        if (!word) return;
        const screen = (catalogues[lang] as Record<string, string>)[screenKey];
        expect(screen, `${term}: ${lang} ${screenKey}`).toBeDefined();
        expect(lower(screen), `${term}: ${lang} ${screenKey}`).toContain(lower(word));
        if (sheetKey) {
          const printed = sheetKey.split('.').reduce((v: Record<string, unknown>, k) => v[k] as Record<string, unknown>, sheets[lang]) as unknown as string;
          expect(lower(printed), `${term}: ${lang} sheet ${sheetKey}`).toBe(lower(screen));
        }
      });
    }
  });

  it('fills placeholders and writes Belgian dates in Brussels time', () => {
    expect(translateCount('fr', 'people.count', 3)).toBe('3 personnes');
    expect(translateCount('fr', 'people.count', 1)).toBe('1 personne');
    expect(translateCount('fr', 'people.count', 0)).toBe('0 personne');
    expect(translateCount('nl', 'people.count', 1)).toBe('1 persoon');
    expect(translateCount('en', 'people.actions', 2)).toBe('2 open actions');
    expect(formatDate('fr', '2026-11-09')).toBe('9 novembre 2026');
    expect(formatDate('nl', '2026-11-09')).toBe('9 november 2026');
    expect(formatDate('fr', '2027-01-01')).toBe('1er janvier 2027');
    expect(formatDate('nl', '2027-01-01')).toBe('1 januari 2027');
    // 23:30 UTC on 31 December is already 1 January in Brussels.
    expect(todayInBrussels(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});

describe('error sentences', () => {
  it('say every error code of the core in French, Dutch and English', async () => {
    const { errorKey } = await import('../labels');
    // The codes as ts-rs generates them from Rust's ErrorCode: a code added there without its
    // sentence here fails this test (and the type check).
    const generated = readFileSync(join(__dirname, '..', 'bindings', 'ErrorCode.ts'), 'utf8');
    const codes = [...generated.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(40);
    expect(codes).toContain('STORE_NOT_FOUND');
    const missing: string[] = [];
    for (const code of codes) {
      const key = errorKey(code as never);
      if (!key) {
        missing.push(code);
        continue;
      }
      for (const [lang, catalogue] of Object.entries(catalogues)) {
        if (!catalogue[key]?.trim()) missing.push(`${lang} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
