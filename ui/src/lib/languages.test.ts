import { describe, expect, it } from 'vitest';
import { canonicalLanguage, nameOfLanguage, searchLanguages } from './languages';

describe('the languages a person can speak', () => {
  it('come from the whole of ISO 639, named in the referent’s language', () => {
    expect(nameOfLanguage('fr', 'ar')).toBe('arabe');
    expect(nameOfLanguage('nl', 'ar')).toBe('Arabisch');
    expect(nameOfLanguage('fr', 'ti')).toBe('tigrigna');
    expect(nameOfLanguage('fr', 'ary')).toBe('arabe marocain');
    // Not named by CLDR: ISO's own name.
    expect(nameOfLanguage('fr', 'prs')).toBe('Dari');
    expect(canonicalLanguage('tir')).toBe('ti');
  });

  it('are found as one types, by name or code', () => {
    expect(searchLanguages('fr', 'ara')[0]).toBe('ar');
    expect(searchLanguages('fr', 'tigr').slice(0, 2)).toContain('ti');
    expect(searchLanguages('fr', 'tigr')).toContain('tig');
    expect(searchLanguages('nl', 'turks')[0]).toBe('tr');
    expect(searchLanguages('fr', 'maroc')).toContain('ary');
    expect(searchLanguages('fr', 'prs')[0]).toBe('prs');
    expect(searchLanguages('fr', '   ')).toEqual([]);
    expect(searchLanguages('fr', 'a', 5)).toHaveLength(5);
  });
});
