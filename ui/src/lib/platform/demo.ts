// Fictional people for the browser build (`npm run build:mock`): the family names mean "example".
import { emptyPlan, mockPlatform, type MockPlatform } from './mock';
import type { PersonSummary } from '../bindings/PersonSummary';
import type { PlanDocument } from '../bindings/PlanDocument';

function person(n: number, displayName: string, fullName: string, postalCode: string, commune: string, reviewDate: string | null): PersonSummary {
  return {
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    displayName, fullName, postalCode, commune, archived: false, reviewDate,
    activePriorities: 0, openActions: 0, overdueActions: 0, bassin: null,
  };
}

export const demoPeople: PersonSummary[] = [
  person(1, 'Hervé', 'Hervé Exemple', '1070', 'Anderlecht', '2026-11-20'),
  person(2, 'Ayşe', 'Ayşe Örnek', '1030', 'Schaerbeek', '2027-01-15'),
  person(3, 'Jan', 'Jan Voorbeeld', '1090', 'Jette', null),
  person(4, 'Fatima', 'Fatima Mithal', '1000', 'Bruxelles', '2026-11-27'),
  person(5, 'Józef', 'Józef Przykład', '1070', 'Anderlecht', null),
];

function herve(): PlanDocument {
  const plan = emptyPlan(demoPeople[0], '2026-09-02T09:00:00Z');
  const id = (n: number) => `00000000-0000-7000-a000-${String(n).padStart(12, '0')}`;
  plan.plan.priorities = [
    { id: id(1), words: 'Rester chez moi le plus longtemps possible', rank: 1, card: 'home', status: 'active', created: '2026-09-02', reviewDate: null, source: null },
    { id: id(2), words: 'Revoir mes amis du club de cartes', rank: 2, card: 'friends', status: 'active', created: '2026-09-02', reviewDate: null, source: null },
    { id: id(3), words: 'Moins de douleur au genou', rank: 3, card: 'pain', status: 'active', created: '2026-09-02', reviewDate: null, source: null },
  ];
  plan.plan.strengths = [{ id: id(4), words: 'Ma voisine passe chaque matin', rank: 1, card: 'friends', closed: false, created: '2026-09-02' }];
  plan.plan.difficulties = [{ id: id(5), words: 'Les escaliers de l’immeuble', rank: 1, card: 'moving', closed: false, created: '2026-09-02' }];
  plan.plan.network = [
    { id: id(6), role: 'gp', name: 'Dr Exemple', organisation: 'Maison médicale', phone: '02 000 00 01', email: '', closed: false, source: null },
    { id: id(7), role: 'nurse', name: 'Inès Exemple', organisation: 'Soins à domicile', phone: '02 000 00 02', email: '', closed: false, source: null },
  ];
  plan.plan.actions = [
    { id: id(8), what: 'Appeler le club de cartes', who: { kind: 'person' }, due: '2026-11-18', status: 'planned', priorityId: id(2), outcome: '', created: '2026-09-02', orientation: null, source: null },
    { id: id(9), what: 'Demander une rampe au propriétaire', who: { kind: 'referent' }, due: '2026-11-26', status: 'doing', priorityId: id(1), outcome: '', created: '2026-09-02',
      orientation: { step: 'contacted', since: '2026-11-02', appointment: null, note: 'Courrier envoyé au propriétaire', theme: null }, source: null },
  ];
  plan.plan.visits = [{ id: id(10), date: '2026-10-14', place: '', notes: 'Visite à domicile', nextVisit: '2026-11-25' }];
  return plan;
}

/** What a fictional hospital's discharge file proposes for Hervé. */
export function hospitalProposals(): import('../bindings/ProposedItem').ProposedItem[] {
  return [
    { kind: 'goal', words: 'Remarcher sans déambulateur', rank: 1, status: 'active', reviewDate: null },
    { kind: 'activity', what: 'Kinésithérapie à domicile deux fois par semaine', owner: { kind: 'named', name: 'Kiné Exemple', role: 'physiotherapist' }, due: '2026-12-01', status: 'planned', goal: null, outcome: '' },
    { kind: 'member', role: 'physiotherapist', name: 'Kiné Exemple', phone: '02 000 00 05' },
  ];
}

/** The demo over fictional people; passphrase `demo`. With `?first-run` in the address, no store yet. */
export function demoPlatform(unlocked = false): MockPlatform {
  const firstRun = typeof location !== 'undefined' && new URLSearchParams(location.search).has('first-run');
  return mockPlatform(demoPeople, 'demo', unlocked, 300, [herve()], '2026-11-23', {
    online: true,
    storeExists: !firstRun,
    hospitalFiles: [{ path: '/home/demo/Téléchargements/sortie-herve.json', name: 'sortie-herve.json', modified: '2026-11-23T08:00:00Z' }],
    hospitalBundles: { '/home/demo/Téléchargements/sortie-herve.json': hospitalProposals() },
  });
}
