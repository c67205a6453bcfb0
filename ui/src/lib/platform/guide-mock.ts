// Focus guides for the mock platform: the very files Proxi ships (data/guides), the bassin-first order
// over the mock directory, a year-old check that warns, and guide files found where files arrive
// (a newer edition that comes in, an older one that is refused).
import type { Bassin } from '../bindings/Bassin';
import type { ErrorReport } from '../bindings/ErrorReport';
import type { FocusGuide } from '../bindings/FocusGuide';
import type { GuideImport } from '../bindings/GuideImport';
import type { GuideSummary } from '../bindings/GuideSummary';
import type { GuideView } from '../bindings/GuideView';
import diabete from '../../../../data/guides/focus-diabete.json';
import palliatif from '../../../../data/guides/focus-palliatif.json';
import santeMentale from '../../../../data/guides/focus-sante-mentale.json';
import { searchMock } from './directory-mock';

const STALE_AFTER_DAYS = 365;

function stale(checked: string, today: string): boolean {
  const limit = new Date(`${checked}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + STALE_AFTER_DAYS);
  return limit.toISOString().slice(0, 10) < today;
}

export const guideFilesMock = [
  { name: 'focus-diabete-2027.json', path: '/home/test/Downloads/focus-diabete-2027.json', modified: '2026-11-21T10:00:00Z' },
  { name: 'focus-diabete-ancien.json', path: '/home/test/Downloads/focus-diabete-ancien.json', modified: '2025-03-02T10:00:00Z' },
];

export function guideMock(today: () => string, bassinOf: (person: string) => Bassin | null, must: () => void) {
  const guides = new Map<string, { guide: FocusGuide; imported: boolean }>(
    [diabete, palliatif, santeMentale].map((g) => [g.id, { guide: g as FocusGuide, imported: false }]),
  );
  const get = (id: string) => {
    const g = guides.get(id);
    if (!g) throw { code: 'GUIDE_NOT_FOUND', message: `no Focus guide ${id}: import its file first`, violations: [] } satisfies ErrorReport;
    return g;
  };
  return {
    async guides(): Promise<GuideSummary[]> {
      must();
      return [...guides.values()]
        .map(({ guide: g, imported }) => ({ id: g.id, version: g.version, title: g.title, themes: g.themes, checked: g.checked, stale: stale(g.checked, today()), imported }))
        .sort((a, b) => a.title.fr.localeCompare(b.title.fr));
    },
    async guide(id: string, person: string | null, bassin: Bassin | null): Promise<GuideView> {
      must();
      const { guide, imported } = get(id);
      const chosen = bassin ?? (person ? bassinOf(person) : null);
      const hits = searchMock({ text: '', themes: guide.themes, bassins: [], communes: [], languages: [], quartiers: [], freeOrLowCost: false, wheelchair: false, openNow: false, limit: 40 }).hits;
      return {
        guide: structuredClone(guide),
        stale: stale(guide.checked, today()),
        imported,
        bassin: chosen,
        near: hits.filter((h) => chosen === null || h.bassin === chosen),
        elsewhere: chosen === null ? [] : hits.filter((h) => h.bassin !== chosen),
        missing: [],
      };
    },
    async printGuide(id: string, _person: string | null, _bassin: Bassin | null, lang: string) {
      must();
      get(id);
      return { path: `/home/test/Documents/Proxi/${id} ${lang} ${today()}.pdf` };
    },
    async guideFiles() {
      must();
      return guideFilesMock;
    },
    async importGuide(path: string): Promise<GuideImport> {
      must();
      const held = get('focus-diabete');
      if (path.endsWith('ancien.json')) {
        throw {
          code: 'GUIDE_FILE_INVALID',
          message: `${path} holds version 0 of the guide focus-diabete, older than the version ${held.guide.version} you have: nothing was changed`,
          violations: [],
        } satisfies ErrorReport;
      }
      const replaced = held.guide.version;
      const next: FocusGuide = { ...held.guide, version: replaced + 1, checked: '2026-11-20' };
      guides.set(next.id, { guide: next, imported: true });
      return { id: next.id, title: next.title, version: next.version, replaced, unchanged: false };
    },
  };
}
