// What the open plan has not saved yet (picture-card drafts, half-typed fields), so that a lock,
// by the idle timer or by hand, loses none of it: the window hands it to the shell at the lock, the
// shell keeps it in the encrypted store, and gives it back once after the unlock.
export interface UnsavedDraft {
  card: string;
  kind: 'priority' | 'strength' | 'difficulty';
  words: string;
}

export interface Unsaved {
  person: string;
  drafts: UnsavedDraft[];
  /** Half-typed fields of the plan's forms, by name. */
  fields: Record<string, string>;
}

let current: Unsaved | null = null;
let toRestore: Unsaved | null = null;

/** The open plan says what it has not saved (null: nothing). */
export function reportUnsaved(u: Unsaved | null) {
  const empty = !u || (u.drafts.length === 0 && Object.values(u.fields).every((v) => !v.trim()));
  current = empty ? null : u;
}

export function unsavedNow(): Unsaved | null {
  return current;
}

/** After an unlock: what the lock kept, to be given back to the plan it belongs to. */
export function restoreLater(json: string): Unsaved | null {
  try {
    const u = JSON.parse(json) as Unsaved;
    toRestore = typeof u.person === 'string' && Array.isArray(u.drafts) ? u : null;
  } catch {
    toRestore = null;
  }
  return toRestore;
}

/** The plan of `person` takes back what was kept for it, once. */
export function takeRestored(person: string): Unsaved | null {
  if (toRestore?.person !== person) return null;
  const u = toRestore;
  toRestore = null;
  return u;
}
