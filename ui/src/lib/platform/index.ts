// The only module that talks to the desktop shell. Everything else receives a `Platform`, so the UI
// also runs in a plain browser or a test against `mockPlatform`.
import { invoke } from '@tauri-apps/api/core';
import type { PeopleQuery } from '../bindings/PeopleQuery';
import type { PersonSummary } from '../bindings/PersonSummary';
import type { SessionState } from '../bindings/SessionState';
import type { ErrorReport } from '../bindings/ErrorReport';
import type { SavedSheet } from '../bindings/SavedSheet';

export interface Platform {
  sessionState(): Promise<SessionState>;
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  listPeople(query: PeopleQuery): Promise<PersonSummary[]>;
  printSheet(person: string): Promise<SavedSheet>;
}

export function isErrorReport(e: unknown): e is ErrorReport {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export const tauriPlatform: Platform = {
  sessionState: () => invoke<SessionState>('session_state'),
  unlock: (passphrase) => invoke<void>('unlock', { passphrase }),
  lock: () => invoke<void>('lock'),
  listPeople: (query) => invoke<PersonSummary[]>('list_people', { query }),
  printSheet: (person) => invoke<SavedSheet>('print_sheet', { person }),
};

/** The shell's platform inside the desktop window; none elsewhere. */
export function platform(): Platform {
  const inTauri = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
  if (!inTauri) {
    throw new Error('Proxi runs in its desktop window: start it with `make run`.');
  }
  return tauriPlatform;
}
