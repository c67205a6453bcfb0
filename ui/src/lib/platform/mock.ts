// A platform in memory, for component tests and the browser build.
import type { Platform } from './index';
import type { PersonSummary } from '../bindings/PersonSummary';
import type { ErrorReport } from '../bindings/ErrorReport';

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function mockPlatform(people: PersonSummary[], passphrase = 'demo', unlocked = false, idleSeconds = 300): Platform {
  let open = unlocked;
  return {
    async sessionState() {
      return { storePath: '/tmp/mock.db', unlocked: open, idleSeconds };
    },
    async lock() {
      open = false;
    },
    async unlock(given) {
      if (given !== passphrase) {
        const error: ErrorReport = {
          code: 'WRONG_PASSPHRASE',
          message: 'this passphrase does not open the store',
          violations: [],
        };
        throw error;
      }
      open = true;
    },
    async printSheet(person) {
      if (!open) throw { code: 'STORE_LOCKED', message: 'the store is locked', violations: [] } satisfies ErrorReport;
      const who = people.find((p) => p.id === person);
      if (!who) {
        const error: ErrorReport = { code: 'PERSON_NOT_FOUND', message: `no person with id ${person}`, violations: [] };
        throw error;
      }
      return { path: `/home/referent/Documents/Proxi/${who.displayName}.pdf` };
    },
    async listPeople(query) {
      if (!open) throw { code: 'STORE_LOCKED', message: 'the store is locked', violations: [] } satisfies ErrorReport;
      const words = fold(query.text).split(/\s+/).filter(Boolean);
      return people.filter(
        (p) =>
          (query.includeArchived || !p.archived) &&
          words.every((w) => fold(`${p.displayName} ${p.fullName}`).includes(w)),
      );
    },
  };
}
