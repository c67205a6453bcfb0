// The needs watch for the mock platform: tables as the core returns them (small counts already
// hidden as null), one per kind, so that the screen's drawing can be tried without a store.
import type { NeedsQuery } from '../bindings/NeedsQuery';
import type { NeedsTable } from '../bindings/NeedsTable';

const codes: Record<NeedsQuery['kind'], string[]> = {
  priorities: ['family', 'moving', 'pain'],
  difficulties: ['sleep', 'food', 'money'],
  orientations: ['home_nursing', 'social_aid', 'meals'],
  unmet: ['home_help', 'mental_health', 'other'],
};

const places: Record<NeedsQuery['level'], string[]> = {
  bassin: ['centreOuest', 'nord', 'sud'],
  commune: ['21004', '21015', '21001'],
  quartier: ['1', '12', '57'],
};

export function needsMock(query: NeedsQuery): NeedsTable {
  const periods = query.length === 'month' ? ['2026-11', '2026-10'] : ['2026-Q4', '2026-Q3'];
  const [a, b, c] = codes[query.kind];
  return {
    kind: query.kind,
    level: query.level,
    period: query.period ?? periods[0],
    periods,
    k: 5,
    columns: places[query.level].map((place, i) => ({ place, total: [null, 21, null][i] })),
    rows: [
      { code: a, cells: [null, 9, null], total: 18 },
      { code: b, cells: [null, 12, null], total: 26 },
      { code: c, cells: [0, 0, 0], total: 0 },
    ],
    total: 44,
  };
}
