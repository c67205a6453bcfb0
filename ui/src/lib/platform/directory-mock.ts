// A few fictional services in memory, searched the simple way (every word, accents and case ignored,
// the last word as a prefix), for component tests and the browser build. The real search is the
// core's (tantivy); this only has to let the screens be exercised.
import type { ServiceCard } from '../bindings/ServiceCard';
import type { ServiceQuery } from '../bindings/ServiceQuery';
import type { SearchResult } from '../bindings/SearchResult';
import type { ServiceHit } from '../bindings/ServiceHit';
import type { ErrorReport } from '../bindings/ErrorReport';
import type { TerritoryMap } from '../bindings/TerritoryMap';
import type { ImportReport } from '../bindings/ImportReport';

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const weekdays = 0b1_1111;

function card(
  id: string,
  name: string,
  nameNl: string,
  theme: [string, string, string],
  commune: [string, string, string, ServiceCard['places'][number]['bassin']],
  extra: Partial<ServiceCard> = {},
): ServiceCard {
  const [nis, communeFr, communeNl, bassin] = commune;
  return {
    id,
    name,
    nameNl,
    description: `Service fictif : ${theme[1].toLowerCase()}.`,
    descriptionNl: `Fictieve dienst: ${theme[2].toLowerCase()}.`,
    organization: 'Asbl Exemple',
    places: [
      {
        name: 'Maison Exemple',
        street: 'Rue de l’Exemple 12',
        postalCode: nis === '21004' ? '1000' : '1030',
        city: communeFr,
        nis,
        communeFr,
        communeNl,
        bassin,
        quartier: nis === '21004' ? 1 : 2,
        quartierFr: nis === '21004' ? 'GRAND PLACE' : 'DANSAERT',
        quartierNl: nis === '21004' ? 'GROTE MARKT' : 'DANSAERT',
        latitude: 50.8467,
        longitude: 4.3525,
        wheelchair: true,
      },
    ],
    phones: ['+32 2 555 00 12'],
    email: 'contact@example.org',
    url: null,
    hours: [{ days: weekdays, opens: 540, closes: 720, validFrom: null, validTo: null }],
    hoursNotes: ['L’après-midi, sur rendez-vous.'],
    languages: ['fr', 'nl'],
    themes: [{ code: theme[0], name: theme[1], nameNl: theme[2] }],
    freeOrLowCost: true,
    fees: null,
    wheelchair: true,
    applicationProcess: 'Sur rendez-vous, par téléphone.',
    eligibility: null,
    lastChecked: '2026-10-02',
    ...extra,
  };
}

const brussels: [string, string, string, 'centreOuest'] = ['21004', 'Bruxelles', 'Brussel', 'centreOuest'];
const schaerbeek: [string, string, string, 'nordEst'] = ['21015', 'Schaerbeek', 'Schaarbeek', 'nordEst'];

export const mockServices: ServiceCard[] = [
  card('svc-1', 'Consultation douleur chronique', 'Pijnconsultatie', ['pain', 'Douleur chronique', 'Chronische pijn'], brussels),
  card('svc-2', 'Médiation de dettes', 'Schuldbemiddeling', ['debts', 'Dettes', 'Schulden'], schaerbeek, {
    languages: ['fr', 'ar'],
    freeOrLowCost: false,
    fees: '15 € par séance.',
  }),
  card('svc-3', 'Éducation diabète', 'Diabeteseducatie', ['diabetes', 'Diabète', 'Diabetes'], brussels, { wheelchair: false }),
  card('svc-4', 'Aide familiale', 'Gezinshulp', ['home_help', 'Aide à domicile', 'Thuishulp'], schaerbeek),
  card('svc-5', 'Soins palliatifs à domicile', 'Palliatieve thuiszorg', ['palliative', 'Soins palliatifs', 'Palliatieve zorg'], brussels),
  card('svc-6', 'Interprétariat social Exemple', 'Sociaal tolken Voorbeeld', ['interpreting', 'Interprétariat', 'Tolken'], schaerbeek, {
    languages: ['fr', 'nl', 'ar', 'ary', 'tr', 'ti', 'prs'],
    phones: ['+32 2 555 00 66'],
  }),
];

function hit(c: ServiceCard): ServiceHit {
  const p = c.places[0];
  return {
    id: c.id,
    name: c.name,
    nameNl: c.nameNl,
    organization: c.organization,
    street: p?.street ?? null,
    communeFr: p?.communeFr ?? null,
    communeNl: p?.communeNl ?? null,
    bassin: p?.bassin ?? null,
    themes: c.themes.map((t) => t.code),
    languages: c.languages,
    freeOrLowCost: c.freeOrLowCost,
    wheelchair: c.wheelchair,
    quartier: p?.quartier ?? null,
    openNow: false,
  };
}

export function searchMock(q: ServiceQuery): SearchResult {
  const words = fold(q.text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const found = mockServices.filter((c) => {
    const text = fold([c.name, c.nameNl, c.description, c.descriptionNl, ...c.themes.flatMap((t) => [t.name, t.nameNl])].join(' '));
    const tokens = text.split(/[^\p{L}\p{N}]+/u);
    const place = c.places[0];
    return (
      words.every((w) => tokens.some((t) => t.startsWith(w))) &&
      (q.bassins.length === 0 || q.bassins.some((b) => place?.bassin === b)) &&
      (q.communes.length === 0 || q.communes.some((n) => place?.nis === n)) &&
      (q.languages.length === 0 || q.languages.some((l) => c.languages.includes(l))) &&
      (q.themes.length === 0 || q.themes.some((t) => c.themes.some((x) => x.code === t))) &&
      (!q.freeOrLowCost || c.freeOrLowCost) &&
      (!q.wheelchair || c.wheelchair) &&
      !q.openNow
    );
  });
  const inQuartiers = q.quartiers.length === 0 ? found : found.filter((c) => q.quartiers.includes(c.places[0]?.quartier ?? -1));
  const byQuartier = new Map<number, number>();
  for (const c of inQuartiers) for (const p of c.places) if (p.quartier !== null) byQuartier.set(p.quartier, (byQuartier.get(p.quartier) ?? 0) + 1);
  return {
    total: inQuartiers.length,
    hits: inQuartiers.slice(0, q.limit ?? 50).map(hit),
    byQuartier: [...byQuartier.entries()].sort((a, b) => a[0] - b[0]),
  };
}

export function cardMock(id: string): ServiceCard {
  const found = mockServices.find((c) => c.id === id);
  if (!found) throw { code: 'SERVICE_NOT_FOUND', message: `no service ${id}`, violations: [] } satisfies ErrorReport;
  return structuredClone(found);
}

/** Two square quartiers side by side: enough to see the map's shading and names. */
export const mapMock: TerritoryMap = {
  width: 200,
  height: 100,
  quartiers: [
    { code: 1, nameFr: 'GRAND PLACE', nameNl: 'GROTE MARKT', path: 'M0 0 L100 0 L100 100 L0 100 Z', center: [50, 50], bassin: 'centreOuest' },
    { code: 2, nameFr: 'DANSAERT', nameNl: 'DANSAERT', path: 'M100 0 L200 0 L200 100 L100 100 Z', center: [150, 50], bassin: 'nord' },
  ],
  bassins: [
    { bassin: 'centreOuest', path: 'M0 0 L100 0 L100 100 L0 100 Z', center: [50, 50] },
    { bassin: 'nord', path: 'M100 0 L200 0 L200 100 L100 100 Z', center: [150, 50] },
  ],
};

/** Directory files as they are found where files arrive: a Brussels list and a broken one. */
export const directoryFilesMock = [
  { name: 'liste-services-bruxelles-2026.json', path: '/home/test/Downloads/liste-services-bruxelles-2026.json', modified: '2026-11-20T10:00:00Z' },
  { name: 'annuaire-casse.json', path: '/home/test/Downloads/annuaire-casse.json', modified: '2026-11-18T10:00:00Z' },
];

/** What the core says of those files: the list comes in with its report, the broken one is refused whole. */
export function importMock(path: string): ImportReport {
  if (path.endsWith('annuaire-casse.json')) {
    throw {
      code: 'DIRECTORY_FILE_INVALID',
      message: 'annuaire-casse.json at contents[1].organization_id: points at the organization be-org-99, which is neither in this import nor in the directory; nothing was imported',
      violations: [],
    } satisfies ErrorReport;
  }
  return {
    records: 24,
    added: 24,
    updated: 0,
    services: mockServices.length + 3,
    dangling: [],
    missing: [
      { table: 'address', field: 'country', filled: 'BE', count: 3, examples: ['be-adr-1', 'be-adr-2', 'be-adr-3'] },
      { table: 'address', field: 'state_province', filled: 'BE-BRU', count: 3, examples: ['be-adr-1', 'be-adr-2', 'be-adr-3'] },
      { table: 'organization', field: 'description', filled: null, count: 3, examples: ['be-org-1', 'be-org-2', 'be-org-3'] },
    ],
    guessed: [{ file: 'liste-services-bruxelles-2026.json', table: 'service' }],
  };
}
