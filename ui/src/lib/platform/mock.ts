// A platform in memory, for component tests and the browser build (`npm run build:mock`, used by the
// accessibility check). It follows the core's rules where the screens depend on them: ranks, undo of
// the last edit, follow-up dates, and the validation the forms show.
import type { Platform } from './index';
import type { PersonSummary } from '../bindings/PersonSummary';
import type { KeyringState } from '../bindings/KeyringState';
import type { ErrorReport } from '../bindings/ErrorReport';
import type { SheetLanguage } from '../bindings/SheetLanguage';
import type { PlanDocument } from '../bindings/PlanDocument';
import type { PlanEdit } from '../bindings/PlanEdit';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { PostalArea } from '../bindings/PostalArea';
import type { Statement } from '../bindings/Statement';
import type { MemberInput } from '../bindings/MemberInput';
import type { FieldChange } from '../bindings/FieldChange';
import type { PersonInput } from '../bindings/PersonInput';
import type { Violation } from '../bindings/Violation';
import type { AuditEntry } from '../bindings/AuditEntry';
import type { AuditAction } from '../bindings/AuditAction';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { Settings } from '../bindings/Settings';
import type { Printer } from '../bindings/Printer';
import type { BackupInfo } from '../bindings/BackupInfo';
import type { FoundFile } from '../bindings/FoundFile';
import type { Who } from '../bindings/Who';
import type { ProposedItem } from '../bindings/ProposedItem';
import type { Helpdesk } from '../bindings/Helpdesk';
import type { CommunityInput } from '../bindings/CommunityInput';
import type { CommunityResource } from '../bindings/CommunityResource';
import { cardMock, directoryFilesMock, importMock, mapMock, mockServices, searchMock } from './directory-mock';
import { groupMock } from './group-mock';
import { guideMock } from './guide-mock';
import { needsMock } from './needs-mock';

/** The sheet's languages as the core lists them (`src/sheet/lang/*.json`). */
const sheetLanguageList: SheetLanguage[] = (
  [
    ['ar', 'العربية', true],
    ['bg', 'Български', false],
    ['en', 'English', false],
    ['es', 'Español', false],
    ['fa', 'دری', true],
    ['fr', 'Français', false],
    ['it', 'Italiano', false],
    ['ln', 'Lingála', false],
    ['nl', 'Nederlands', false],
    ['pl', 'Polski', false],
    ['pt', 'Português', false],
    ['ro', 'Română', false],
    ['ru', 'Русский', false],
    ['sq', 'Shqip', false],
    ['tr', 'Türkçe', false],
    ['uk', 'Українська', false],
  ] as const
).map(([code, name, rtl]) => ({
  code,
  name,
  rightToLeft: rtl,
  alsoFor: code === 'ar' ? ['ary', 'arq', 'aeb', 'arz', 'apc'] : code === 'fa' ? ['prs', 'pes'] : [],
  status: 'toCheck',
  checkedBy: null,
}));

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const areas: PostalArea[] = [
  { postalCode: '1000', nis: '21004', communeFr: 'Bruxelles', communeNl: 'Brussel', bassin: 'centreOuest', source: 'test' },
  { postalCode: '1030', nis: '21015', communeFr: 'Schaerbeek', communeNl: 'Schaarbeek', bassin: 'nordEst', source: 'test' },
  { postalCode: '1070', nis: '21001', communeFr: 'Anderlecht', communeNl: 'Anderlecht', bassin: 'centreOuest', source: 'test' },
  { postalCode: '1090', nis: '21010', communeFr: 'Jette', communeNl: 'Jette', bassin: 'nord', source: 'test' },
];

const locked = (): ErrorReport => ({ code: 'STORE_LOCKED', message: 'the store is locked', violations: [] });
const invalid = (violations: Violation[]): ErrorReport => ({
  code: violations[0].code,
  message: 'some fields need attention',
  violations,
});

let counter = 0;
function newId(): string {
  counter += 1;
  return `00000000-0000-7000-9000-${String(counter).padStart(12, '0')}`;
}

/** An empty plan for `summary`, as the core creates it. */
export function emptyPlan(summary: PersonSummary, created = '2026-01-05T09:00:00Z'): PlanDocument {
  const [firstName, ...rest] = summary.fullName.split(' ');
  return {
    schema: 1,
    person: {
      id: summary.id,
      displayName: summary.displayName,
      firstName,
      lastName: rest.join(' '),
      birthYear: 1948,
      languages: ['fr'],
      interpreterNeeded: false,
      address: { street: 'Rue de l’Exemple 1', postalCode: summary.postalCode, commune: summary.commune, bassin: null, quartier: null },
      phone: '02 000 00 00',
      notes: '',
      niss: null,
      archived: summary.archived,
      created,
    },
    plan: { priorities: [], strengths: [], difficulties: [], actions: [], network: [], visits: [], reviewDate: summary.reviewDate, stays: [], proposals: [], concertations: [] },
    consent: null,
  };
}

/** What one change changed, as the core's `src/diff.rs` says it (the same rules, for the browser build). */
export function diffPlans(before: PlanDocument, after: PlanDocument): FieldChange[] {
  const out: FieldChange[] = [];
  const quiet = ['id', 'created', 'rank'];
  const fields = (item: string, label: string, prefix: string, old: unknown, now: unknown) => {
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObj(old) || !isObj(now)) {
      if (JSON.stringify(old) !== JSON.stringify(now)) out.push({ item, label, field: prefix.replace(/\.$/, ''), old: old ?? null, new: now ?? null });
      return;
    }
    for (const key of [...new Set([...Object.keys(now), ...Object.keys(old)])].sort()) {
      if (quiet.includes(key) || JSON.stringify(old[key]) === JSON.stringify(now[key])) continue;
      if (key === 'address') fields(item, label, `${prefix}${key}.`, old[key] ?? {}, now[key]);
      else out.push({ item, label, field: prefix + key, old: old[key] ?? null, new: now[key] ?? null });
    }
  };
  fields('person', after.person.displayName, '', before.person, after.person);
  fields('consent', '', '', before.consent, after.consent);
  if (before.plan.reviewDate !== after.plan.reviewDate)
    out.push({ item: 'plan', label: after.person.displayName, field: 'reviewDate', old: before.plan.reviewDate, new: after.plan.reviewDate });
  const lists = [
    ['priorities', 'priority', 'words'],
    ['strengths', 'strength', 'words'],
    ['difficulties', 'difficulty', 'words'],
    ['actions', 'action', 'what'],
    ['network', 'member', 'name'],
    ['visits', 'visit', 'date'],
  ] as const;
  for (const [list, item, name] of lists) {
    const olds = before.plan[list] as unknown as Record<string, unknown>[];
    for (const now of after.plan[list] as unknown as Record<string, unknown>[]) {
      const old = olds.find((o) => o.id === now.id);
      if (old) fields(item, String(old[name] ?? ''), '', old, now);
      else out.push({ item, label: String(now[name] ?? ''), field: '', old: null, new: now[name] ?? null });
    }
  }
  return out;
}

/** The mock, plus what a test does on the desktop around the window. */
export type MockPlatform = Platform & {
  /** A desktop reminder is clicked. */
  clickReminder(person: string | null): void;
};

export function mockPlatform(
  people: PersonSummary[],
  passphrase = 'demo',
  unlocked = false,
  idleSeconds = 300,
  plans: PlanDocument[] = [],
  today = '2026-11-23',
  /** The team side: whether the relay answers (tests flip it), and the sync state at start. */
  options: {
    online: boolean;
    sync?: SyncStatus;
    keyring?: KeyringState;
    storeExists?: boolean;
    printers?: Printer[];
    /** No notification service on this desktop. */
    noNotifications?: boolean;
    /** FHIR files found where hospitals' files arrive, and what each proposes when read. */
    hospitalFiles?: FoundFile[];
    hospitalBundles?: Record<string, ProposedItem[]>;
  } = { online: true },
): MockPlatform {
  let open = unlocked;
  // The first run: no store yet until one is created or restored.
  let storeExists = options.storeExists ?? true;
  let demo = false;
  let settings: Settings = {
    language: null,
    idleMinutes: Math.max(1, Math.round(idleSeconds / 60)),
    backupFolder: null,
    backupKeep: 10,
    reminders: true,
    reminderTime: '09:00',
    stuckDays: 14,
  };
  // Who listens to clicks on desktop reminders (the window, once started).
  const reminderHandlers: ((person: string | null) => void)[] = [];
  const backups: BackupInfo[] = [];
  // What the window had not saved at its last lock.
  let stash: string | null = null;
  // This computer's keyring, as the shell reports it.
  let keyring: KeyringState = options.keyring ?? 'notRemembered';
  const sync: SyncStatus = structuredClone(options.sync ?? { team: null, lastOk: null, lastTry: null, problem: null, waiting: 0, private: 0 });
  const docs = new Map<string, PlanDocument>(people.map((p) => [p.id, structuredClone(plans.find((x) => x.person.id === p.id) ?? emptyPlan(p))]));
  // Every state of every plan, oldest first: the last edit is undone by going back one state.
  const states = new Map<string, { plan: PlanDocument; action: string; at: string }[]>();
  for (const [id, plan] of docs) states.set(id, [{ plan: structuredClone(plan), action: 'person.create', at: plan.person.created }]);
  const audit: AuditEntry[] = [];
  // Plans handed over in this session: the file's path → the person and the code.
  const handed = new Map<string, { person: string; code: string }>();
  const audited = (action: AuditAction, personId: string) =>
    audit.unshift({ at: new Date().toISOString(), author: 'Test Referent', action, personId, displayName: docs.get(personId)?.person.displayName ?? null, party: null });
  const must = () => {
    if (!open) throw locked();
  };
  const diapason = groupMock(newId, () => today, must);
  const focus = guideMock(() => today, (id) => docs.get(id)?.person.address.bassin ?? null, must);
  let helpdesk: Helpdesk | null = null;
  let community: CommunityResource[] = [];
  const checkCommunity = (input: CommunityInput) => {
    const violations: Violation[] = [];
    if (!input.name.trim()) violations.push({ code: 'MEMBER_NAME_EMPTY', field: 'name' });
    if (input.phone.trim() && !/^\+?[\d\s./()-]{6,}$/.test(input.phone.trim())) violations.push({ code: 'PHONE_INVALID', field: 'phone' });
    if (violations.length) throw invalid(violations);
  };
  const communityOrder = () =>
    [...community].sort((a, b) => Number(a.closed) - Number(b.closed) || (a.bassin ?? '').localeCompare(b.bassin ?? '') || (a.quartier ?? 0) - (b.quartier ?? 0) || a.name.localeCompare(b.name));
  const plan = (id: string) => {
    const doc = docs.get(id);
    if (!doc) throw { code: 'PERSON_NOT_FOUND', message: `no person with id ${id}`, violations: [] } satisfies ErrorReport;
    return doc;
  };
  const summary = (doc: PlanDocument): PersonSummary => {
    const area = areas.find((a) => a.postalCode === doc.person.address.postalCode);
    const openActions = doc.plan.actions.filter((a) => a.status === 'planned' || a.status === 'doing');
    return {
      id: doc.person.id,
      displayName: doc.person.displayName,
      fullName: `${doc.person.firstName} ${doc.person.lastName}`.trim() || doc.person.displayName,
      postalCode: doc.person.address.postalCode,
      commune: doc.person.address.commune,
      archived: doc.person.archived,
      reviewDate: doc.plan.reviewDate,
      activePriorities: doc.plan.priorities.filter((p) => p.status === 'active').length,
      openActions: openActions.length,
      overdueActions: openActions.filter((a) => a.due !== null && a.due < today).length,
      bassin: doc.person.address.bassin ?? area?.bassin ?? null,
    };
  };
  const checkWords = (words: string, card: string | null) => {
    const v: Violation[] = [];
    if (!words.trim()) v.push({ code: 'WORDS_EMPTY', field: 'words' });
    if (card !== null && !/^[a-z-]+$/.test(card)) v.push({ code: 'CARD_UNKNOWN', field: 'card' });
    if (v.length) throw invalid(v);
  };
  // The core's rules for a network member (src/domain.rs `check_member`), as far as the window shows them.
  const checkMember = (input: MemberInput) => {
    const v: Violation[] = [];
    if (!input.name.trim()) v.push({ code: 'MEMBER_NAME_EMPTY', field: 'name' });
    if (input.email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email.trim())) v.push({ code: 'EMAIL_INVALID', field: 'email' });
    if (v.length) throw invalid(v);
  };
  const checkPerson = (input: PersonInput) => {
    const v: Violation[] = [];
    if (!input.displayName.trim()) v.push({ code: 'DISPLAY_NAME_EMPTY', field: 'displayName' });
    if (input.birthYear !== null && (input.birthYear < 1900 || input.birthYear > 2026)) {
      v.push({ code: 'BIRTH_YEAR_OUT_OF_RANGE', field: 'birthYear' });
    }
    if (input.address.postalCode && !/^\d{4}$/.test(input.address.postalCode)) {
      v.push({ code: 'POSTAL_CODE_INVALID', field: 'address.postalCode' });
    }
    if (v.length) throw invalid(v);
  };
  const rerank = (list: { id: string; rank: number }[], order: string[]) => {
    order.forEach((id, i) => {
      const item = list.find((x) => x.id === id);
      if (item) item.rank = i + 1;
    });
  };
  const next = (list: { rank: number }[]) => Math.max(0, ...list.map((x) => x.rank)) + 1;
  const stamp = () => new Date().toISOString();
  const listOf = (doc: PlanDocument, list: 'strengths' | 'difficulties'): Statement[] => doc.plan[list];

  function apply(doc: PlanDocument, edit: PlanEdit): string {
    const p = doc.plan;
    switch (edit.kind) {
      case 'updatePerson':
        checkPerson(edit.input);
        Object.assign(doc.person, edit.input);
        return 'person.update';
      case 'setArchived':
        doc.person.archived = edit.archived;
        return edit.archived ? 'person.archive' : 'person.restore';
      case 'setReviewDate':
        p.reviewDate = edit.date;
        return 'plan.review';
      case 'addPriority':
        checkWords(edit.input.words, edit.input.card);
        p.priorities.push({ id: newId(), words: edit.input.words.trim(), card: edit.input.card, rank: next(p.priorities.filter((x) => x.status === 'active')), status: 'active', created: today, reviewDate: edit.input.reviewDate, source: null });
        return 'priority.add';
      case 'editPriority': {
        checkWords(edit.input.words, edit.input.card);
        const item = p.priorities.find((x) => x.id === edit.id);
        if (item) Object.assign(item, { words: edit.input.words.trim(), card: edit.input.card, reviewDate: edit.input.reviewDate });
        return 'priority.edit';
      }
      case 'setPriorityStatus': {
        const item = p.priorities.find((x) => x.id === edit.id);
        if (item) item.status = edit.status;
        return 'priority.status';
      }
      case 'reorderPriorities':
        rerank(p.priorities, edit.order);
        return 'priority.reorder';
      case 'addStatement': {
        checkWords(edit.input.words, edit.input.card);
        const list = listOf(doc, edit.list);
        list.push({ id: newId(), words: edit.input.words.trim(), card: edit.input.card, rank: next(list), closed: false, created: today });
        return `${edit.list === 'strengths' ? 'strength' : 'difficulty'}.add`;
      }
      case 'editStatement': {
        checkWords(edit.input.words, edit.input.card);
        const item = listOf(doc, edit.list).find((x) => x.id === edit.id);
        if (item) Object.assign(item, { words: edit.input.words.trim(), card: edit.input.card });
        return `${edit.list === 'strengths' ? 'strength' : 'difficulty'}.edit`;
      }
      case 'closeStatement': {
        const item = listOf(doc, edit.list).find((x) => x.id === edit.id);
        if (item) item.closed = edit.closed;
        return `${edit.list === 'strengths' ? 'strength' : 'difficulty'}.close`;
      }
      case 'reorderStatements':
        rerank(listOf(doc, edit.list), edit.order);
        return `${edit.list === 'strengths' ? 'strength' : 'difficulty'}.reorder`;
      case 'addAction':
      case 'editAction': {
        const v: Violation[] = [];
        if (!edit.input.what.trim()) v.push({ code: 'ACTION_WHAT_EMPTY', field: 'what' });
        if (edit.input.due !== null && edit.input.due < today) v.push({ code: 'ACTION_DUE_IN_PAST', field: 'due' });
        const who = edit.input.who;
        if (who.kind === 'community' && !community.some((r) => r.id === who.id && !r.closed)) v.push({ code: 'ACTION_COMMUNITY_UNKNOWN', field: 'who' });
        if (v.length) throw invalid(v);
        if (edit.kind === 'addAction') {
          const orientation =
            edit.input.who.kind === 'service' ? { step: 'proposed' as const, since: today, appointment: null, note: '', theme: null } : null;
          p.actions.push({ id: newId(), ...edit.input, what: edit.input.what.trim(), status: 'planned', created: today, orientation, source: null });
          return 'action.add';
        }
        const item = p.actions.find((x) => x.id === edit.id);
        if (item) Object.assign(item, edit.input);
        return 'action.edit';
      }
      case 'setActionStatus': {
        const item = p.actions.find((x) => x.id === edit.id);
        if (item) {
          item.status = edit.status;
          if (edit.outcome !== null) item.outcome = edit.outcome;
        }
        return 'action.status';
      }
      case 'setOrientation': {
        // The core's rules (src/app.rs `set_orientation`).
        if (edit.input.step === 'appointment' && !edit.input.appointment) throw invalid([{ code: 'APPOINTMENT_DATE_MISSING', field: 'appointment' }]);
        const item = p.actions.find((x) => x.id === edit.id);
        if (item) {
          const since = item.orientation && item.orientation.step === edit.input.step ? item.orientation.since : today;
          item.orientation = { ...edit.input, since, theme: edit.input.theme ?? item.orientation?.theme ?? null };
          const final = ['seen', 'refused', 'noPlace', 'noServiceFound'].includes(edit.input.step);
          if (edit.input.step === 'contacted' || edit.input.step === 'appointment') item.status = 'doing';
          if (final) item.status = edit.input.step === 'seen' ? 'done' : 'dropped';
          if (final && !item.outcome) item.outcome = edit.input.note;
        }
        return 'action.orientation';
      }
      case 'addMember':
        checkMember(edit.input);
        p.network.push({ id: newId(), ...edit.input, closed: false, source: null });
        return 'network.add';
      case 'editMember': {
        checkMember(edit.input);
        const item = p.network.find((x) => x.id === edit.id);
        if (item) Object.assign(item, edit.input);
        return 'network.edit';
      }
      case 'closeMember': {
        const item = p.network.find((x) => x.id === edit.id);
        if (item) item.closed = edit.closed;
        return 'network.close';
      }
      case 'addVisit':
        p.visits.push({ id: newId(), ...edit.input });
        return 'visit.add';
      case 'editVisit': {
        const item = p.visits.find((x) => x.id === edit.id);
        if (item) Object.assign(item, edit.input);
        return 'visit.edit';
      }
      case 'recordConsent':
        if (edit.input.recordedOn > today) throw invalid([{ code: 'CONSENT_DATE_IN_FUTURE', field: 'recordedOn' }]);
        doc.consent = { ...edit.input, recordedBy: 'Test Referent', professionals: edit.input.professionals.map((p) => p.trim()) };
        return 'consent.record';
      // Hospital stays and proposals: the core's rules (src/hospital.rs, src/fhir/import.rs).
      case 'admitStay':
      case 'editStay': {
        const v: Violation[] = [];
        if (!edit.input.hospital.trim()) v.push({ code: 'HOSPITAL_EMPTY', field: 'hospital' });
        if (edit.input.dischargeOn !== null && edit.input.dischargeOn < edit.input.admitted) v.push({ code: 'DISCHARGE_BEFORE_ADMISSION', field: 'dischargeOn' });
        if (edit.input.discharged && edit.input.dischargeOn === null) v.push({ code: 'DISCHARGE_DATE_MISSING', field: 'dischargeOn' });
        if (v.length) throw invalid(v);
        const fields = { ...edit.input, hospital: edit.input.hospital.trim(), hospitalService: edit.input.hospitalService || null };
        if (edit.kind === 'admitStay') {
          p.stays.push({ id: newId(), ...fields, notNeeded: [], created: stamp() });
          return 'stay.admit';
        }
        const stay = p.stays.find((x) => x.id === edit.id);
        if (stay) Object.assign(stay, fields);
        return 'stay.edit';
      }
      case 'checklistAction': {
        if (!edit.input.what.trim()) throw invalid([{ code: 'ACTION_WHAT_EMPTY', field: 'what' }]);
        if (edit.input.due !== null && edit.input.due < today) throw invalid([{ code: 'ACTION_DUE_IN_PAST', field: 'due' }]);
        const source = { kind: 'checklist' as const, stay: edit.stay, item: edit.item };
        p.actions.push({ id: newId(), ...edit.input, what: edit.input.what.trim(), status: 'planned', created: today, orientation: null, source });
        return 'action.add';
      }
      case 'setChecklistNotNeeded': {
        const stay = p.stays.find((x) => x.id === edit.stay);
        if (stay) stay.notNeeded = [...stay.notNeeded.filter((i) => i !== edit.item), ...(edit.notNeeded ? [edit.item] : [])];
        return 'stay.checklist';
      }
      case 'acceptProposal':
      case 'rejectProposal': {
        const proposal = p.proposals.find((x) => x.id === edit.id);
        if (!proposal) throw { code: 'ITEM_NOT_FOUND', message: 'no such proposal', violations: [] } satisfies ErrorReport;
        if (proposal.status !== 'pending') throw { code: 'PROPOSAL_DECIDED', message: `already ${proposal.status}`, violations: [] } satisfies ErrorReport;
        if (edit.kind === 'rejectProposal') {
          proposal.status = 'rejected';
          return 'hospital.reject';
        }
        const source = { kind: 'hospital' as const, bundle: proposal.bundle, resource: proposal.resource, acceptedOn: today };
        const id = newId();
        const item = proposal.item;
        if (item.kind === 'goal') {
          p.priorities.push({ id, words: item.words, card: null, rank: next(p.priorities), status: item.status, created: stamp(), reviewDate: item.reviewDate, source });
        } else if (item.kind === 'member') {
          p.network.push({ id, role: item.role, name: item.name, organisation: '', phone: item.phone, email: '', closed: false, source });
        } else {
          const owner = item.owner;
          const who =
            owner.kind === 'carer'
              ? { kind: 'informalCarer' as const, name: owner.name }
              : owner.kind === 'service'
                ? { kind: 'service' as const, id: owner.id }
                : owner.kind === 'named'
                  ? { kind: 'member' as const, id: p.network.find((m) => m.name === owner.name)?.id ?? id }
                  : { kind: owner.kind };
          p.actions.push({ id, what: item.what, who, due: item.due, status: item.status, priorityId: null, outcome: item.outcome, created: stamp(), orientation: null, source });
        }
        proposal.status = 'accepted';
        proposal.acceptedAs = id;
        return 'hospital.accept';
      }
      // Concertations: the core's rules (src/concertation.rs).
      case 'newConcertation': {
        const v: Violation[] = [];
        if (!edit.input.title.trim()) v.push({ code: 'WORDS_EMPTY', field: 'title' });
        if (edit.input.minutes < 15 || edit.input.minutes > 480) v.push({ code: 'CONCERTATION_LENGTH_INVALID', field: 'minutes' });
        if (v.length) throw invalid(v);
        p.concertations.push({ id: newId(), ...edit.input, title: edit.input.title.trim(), participants: [], slots: [], chosen: null, notes: [], nextDate: null, created: stamp() });
        return 'concertation.add';
      }
      case 'addParticipant': {
        if (!edit.input.name.trim()) throw invalid([{ code: 'MEMBER_NAME_EMPTY', field: 'name' }]);
        const c = p.concertations.find((x) => x.id === edit.concertation);
        c?.participants.push({ id: newId(), ...edit.input, name: edit.input.name.trim(), available: [], present: null });
        return 'concertation.participant';
      }
      case 'removeParticipant': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        if (c) c.participants = c.participants.filter((x) => x.id !== edit.id);
        return 'concertation.participant';
      }
      case 'addSlot': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        if (c && !c.slots.some((x) => x.start === edit.start)) {
          c.slots.push({ id: newId(), start: edit.start });
          c.slots.sort((a, b) => a.start.localeCompare(b.start));
        }
        return 'concertation.slot';
      }
      case 'removeSlot': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        if (c) {
          c.slots = c.slots.filter((x) => x.id !== edit.slot);
          for (const x of c.participants) x.available = x.available.filter((s) => s !== edit.slot);
          if (c.chosen === edit.slot) c.chosen = null;
        }
        return 'concertation.slot';
      }
      case 'setAvailable': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        const who = c?.participants.find((x) => x.id === edit.participant);
        if (who) who.available = [...who.available.filter((s) => s !== edit.slot), ...(edit.available ? [edit.slot] : [])];
        return 'concertation.available';
      }
      case 'recordMeeting': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        if (c) {
          for (const who of c.participants) who.present = edit.input.present.includes(who.id);
          c.notes = edit.input.notes.filter((n) => n.note.trim());
          c.nextDate = edit.input.nextDate;
        }
        return 'concertation.meeting';
      }
      case 'decide': {
        if (!edit.what.trim()) throw invalid([{ code: 'ACTION_WHAT_EMPTY', field: 'what' }]);
        const c = p.concertations.find((x) => x.id === edit.concertation);
        const owner = c?.participants.find((x) => x.id === edit.owner);
        if (!c || !owner) throw { code: 'ITEM_NOT_FOUND', message: 'no such participant', violations: [] } satisfies ErrorReport;
        let who: Who;
        if (owner.kind.kind === 'person') who = { kind: 'person' };
        else if (owner.kind.kind === 'member') who = { kind: 'member', id: owner.kind.id };
        else {
          const id = newId();
          p.network.push({ id, role: 'other', name: owner.name, organisation: owner.role, phone: owner.phone, email: owner.email, closed: false, source: null });
          who = { kind: 'member', id };
        }
        p.actions.push({ id: newId(), what: edit.what.trim(), who, due: edit.due, status: 'planned', priorityId: null, outcome: '', created: today, orientation: null, source: { kind: 'concertation', concertation: c.id } });
        return 'action.add';
      }
      case 'chooseSlot': {
        const c = p.concertations.find((x) => x.id === edit.concertation);
        if (c) c.chosen = edit.slot;
        return 'concertation.choose';
      }
      case 'undo':
        return 'undo';
    }
  }

  return {
    ...diapason.methods,
    ...focus,
    async helpdesk() {
      must();
      return helpdesk;
    },
    async communityList() {
      must();
      return communityOrder();
    },
    async addCommunity(input) {
      must();
      checkCommunity(input);
      community.push({ id: newId(), ...input, name: input.name.trim(), closed: false, created: `${today}T09:00:00Z` });
      return communityOrder();
    },
    async editCommunity(id, input, closed) {
      must();
      checkCommunity(input);
      community = community.map((r) => (r.id === id ? { ...r, ...input, closed } : r));
      return communityOrder();
    },
    async needsWatch(query) {
      must();
      return needsMock(query);
    },
    async saveNeedsCsv(query) {
      must();
      const t = needsMock(query);
      return `/home/test/Documents/Proxi/besoins ${t.kind} ${t.level} ${t.period}.csv`;
    },
    async setHelpdesk(next) {
      must();
      if (next) {
        const violations: Violation[] = [];
        if (!next.name.trim()) violations.push({ code: 'MEMBER_NAME_EMPTY', field: 'name' });
        if (!/^\+?[\d\s./()-]{6,}$/.test(next.phone.trim())) violations.push({ code: 'PHONE_INVALID', field: 'phone' });
        if (violations.length) throw invalid(violations);
      }
      helpdesk = next;
      return helpdesk;
    },
    async sessionState() {
      return { storePath: '/tmp/mock.db', unlocked: open, idleSeconds, storeExists, demo, settings: { ...settings } };
    },
    async lock(unsaved = null) {
      if (open && unsaved) stash = unsaved;
      open = false;
      if (settings.backupFolder && !demo) {
        const info = { path: `${settings.backupFolder}/proxi-${backups.length + 1}.proxibackup`, created: '2026-11-23T09:00:00Z', bytes: 81920 };
        backups.push(info);
        return { backup: info, backupProblem: null };
      }
      return { backup: null, backupProblem: null };
    },
    async takeUnsaved() {
      must();
      const taken = stash;
      stash = null;
      return taken;
    },
    async passphraseStrength(given) {
      // The mock's rule of thumb; the shell asks zxcvbn.
      const words = given.trim().split(/\s+/).length;
      if (given.length < 10) return { score: 0, enough: false, weakness: 'tooShort' };
      if (/^(password|motdepasse|azerty|qwerty)/i.test(given)) return { score: 1, enough: false, weakness: 'common' };
      return words >= 3 ? { score: 4, enough: true, weakness: null } : { score: 2, enough: false, weakness: 'guessable' };
    },
    async createStore(given, author) {
      if (!author.trim()) throw { code: 'AUTHOR_EMPTY', message: 'write the name', violations: [] } satisfies ErrorReport;
      const strength = await this.passphraseStrength(given, author);
      if (!strength.enough) throw { code: 'PASSPHRASE_TOO_WEAK', message: 'too easy to guess', violations: [] } satisfies ErrorReport;
      passphrase = given;
      storeExists = true;
      open = true;
      demo = false;
      return 'A1B2-C3D4-E5F6-0718-293A-4B5C-6D7E-8F90-1A2B-3C4D';
    },
    async openDemo() {
      demo = true;
      open = true;
    },
    async leaveDemo() {
      demo = false;
      open = false;
    },
    clickReminder(person) {
      for (const handler of reminderHandlers) handler(person);
    },
    async onReminderOpen(handler) {
      reminderHandlers.push(handler);
      return () => reminderHandlers.splice(reminderHandlers.indexOf(handler), 1);
    },
    async remindNow() {
      if (options.noNotifications)
        throw { code: 'NOTIFICATIONS_UNAVAILABLE', message: 'no notification service', violations: [] } satisfies ErrorReport;
      if (!settings.reminders) return 0;
      const due = [...docs.values()].filter(
        (doc) => !doc.person.archived && doc.plan.actions.some((a) => (a.status === 'planned' || a.status === 'doing') && a.due !== null && a.due <= today),
      );
      // Locked: one notice of counts; open: one per person (three at most).
      if (!open) return due.length > 0 ? 1 : 0;
      return Math.min(3, due.length);
    },
    async saveSettings(given) {
      settings = {
        ...given,
        idleMinutes: Math.min(120, Math.max(1, given.idleMinutes)),
        stuckDays: Math.min(90, Math.max(1, given.stuckDays)),
      };
      return { ...settings };
    },
    async backupPlaces() {
      return {
        places: [
          { path: '/media/referent/CLE-USB', label: 'CLE-USB', removable: true },
          { path: '/home/referent/Documents/Proxi/Sauvegardes', label: 'Sauvegardes', removable: false },
        ],
        found: [...backups].reverse(),
      };
    },
    async backupNow(folder) {
      must();
      const info = { path: `${folder}/proxi-${backups.length + 1}.proxibackup`, created: '2026-11-23T09:00:00Z', bytes: 81920 };
      backups.push(info);
      return info;
    },
    async inspectBackup(file) {
      const found = backups.find((b) => b.path === file);
      if (!found) throw { code: 'BACKUP_INVALID', message: 'this file is not a Proxi backup', violations: [] } satisfies ErrorReport;
      return found;
    },
    async restoreBackup(file, given) {
      const found = await this.inspectBackup(file);
      if (given !== passphrase) throw { code: 'WRONG_PASSPHRASE', message: 'this passphrase does not open the store', violations: [] } satisfies ErrorReport;
      const keptAside = storeExists ? '/tmp/mock.db.before-restore-20261123-090000' : null;
      storeExists = true;
      open = true;
      demo = false;
      return { backup: found, keptAside };
    },
    async unlock(given, remember) {
      if (given !== passphrase) {
        const error: ErrorReport = { code: 'WRONG_PASSPHRASE', message: 'this passphrase does not open the store', violations: [] };
        throw error;
      }
      open = true;
      if (keyring !== 'unavailable') keyring = remember ? 'remembered' : 'notRemembered';
      return keyring;
    },
    async openRemembered() {
      if (keyring === 'remembered') open = true;
      return { opened: open, keyring };
    },
    async keyringStatus() {
      return keyring;
    },
    async forgetRemembered() {
      if (keyring === 'unavailable') throw { code: 'KEYRING_UNAVAILABLE', message: "this computer's keyring could not be used", violations: [] } satisfies ErrorReport;
      keyring = 'notRemembered';
      return keyring;
    },
    async readSheetAloud(person, lang = null) {
      must();
      plan(person);
      if (lang === 'ln') throw { code: 'SPEECH_UNAVAILABLE', message: 'no voice reads "ln" aloud on this computer', violations: [] } satisfies ErrorReport;
    },
    async stopReading() {},
    async sheetLanguages() {
      return sheetLanguageList;
    },
    async printSheet(person, lang = null, fallback = null) {
      if (person === null) return { path: `/home/referent/Documents/Proxi/fiche vierge ${lang ?? 'fr'}.pdf` };
      must();
      const doc = plan(person);
      if (lang === null && doc.person.languages.length === 0 && fallback !== null) lang = fallback;
      if (lang === null && !doc.person.languages.some((l) => sheetLanguageList.some((s) => s.code === l || s.alsoFor.includes(l))))
        throw { code: 'SHEET_LANGUAGE_MISSING', message: 'the sheet speaks none of these languages', violations: [] } satisfies ErrorReport;
      audited('print', person);
      return { path: `/home/referent/Documents/Proxi/${doc.person.displayName}${lang ? ' ' + lang : ''}.pdf` };
    },
    async listPrinters() {
      return options.printers ?? [{ name: 'Bureau', isDefault: true }];
    },
    async sendToPrinter(_path, printer) {
      if (!(options.printers ?? [{ name: 'Bureau', isDefault: true }]).some((p) => p.name === printer))
        throw { code: 'NO_PRINTER', message: 'no such printer', violations: [] } satisfies ErrorReport;
      return `${printer}-1`;
    },
    async openSheet() {},
    async recoveryPage() {
      return { path: '/run/user/1000/proxi-recovery-1/proxi-recovery-key.pdf' };
    },
    async discardRecoveryPage() {},
    async listPeople(query) {
      must();
      const words = fold(query.text).split(/\s+/).filter(Boolean);
      return [...docs.values()]
        .map(summary)
        .filter(
          (p) =>
            (query.includeArchived || !p.archived) &&
            words.every((w) => fold(`${p.displayName} ${p.fullName}`).includes(w)) &&
            (query.bassin === null || p.bassin === query.bassin) &&
            (!query.reviewDue || (p.reviewDate !== null && p.reviewDate <= today)) &&
            (!query.overdue || p.overdueActions > 0),
        )
        .sort((a, b) => fold(a.fullName).localeCompare(fold(b.fullName)));
    },
    async fhirExport(person, to) {
      must();
      const doc = plan(person);
      const ok = doc.consent?.keepPlan && doc.consent.professionals.some((p) => p.toLowerCase() === to.trim().toLowerCase());
      if (!ok) {
        audit.unshift({ at: stamp(), author: 'Test Referent', action: 'shareRefused', personId: person, displayName: doc.person.displayName, party: to.trim() });
        throw { code: 'SHARE_NOT_CONSENTED', message: `the person did not agree to share their plan with "${to}"`, violations: [] } satisfies ErrorReport;
      }
      audit.unshift({ at: stamp(), author: 'Test Referent', action: 'share', personId: person, displayName: doc.person.displayName, party: to.trim() });
      return `/home/test/Documents/Proxi/${doc.person.displayName} plan pour l’hôpital ${today}.json`;
    },
    async printLiaison(person, lang) {
      must();
      audited('print', person);
      return { path: `/home/test/Documents/Proxi/${plan(person).person.firstName} liaison ${today} ${lang}.pdf` };
    },
    async hospitalFiles() {
      must();
      return options.hospitalFiles ?? [];
    },
    async fhirImport(person, file) {
      must();
      const bundle = options.hospitalBundles?.[file];
      if (!bundle) throw { code: 'FHIR_FILE_INVALID', message: '$: not JSON (line 1, column 1); nothing was imported', violations: [] } satisfies ErrorReport;
      const doc = plan(person);
      const proposals = bundle.map((item) => ({ id: newId(), bundle: 'urn:uuid:mock-bundle', resource: `Goal/${newId()}`, received: today, status: 'pending' as const, item, acceptedAs: null }));
      doc.plan.proposals.push(...proposals);
      audit.unshift({ at: stamp(), author: 'Test Referent', action: 'import', personId: person, displayName: doc.person.displayName, party: 'urn:uuid:mock-bundle' });
      return { bundle: 'urn:uuid:mock-bundle', proposed: proposals.length, alreadyInPlan: 0 };
    },
    async handoverOut(person, to) {
      must();
      if (!to.trim()) throw invalid([{ code: 'MEMBER_NAME_EMPTY', field: 'to' }]);
      const doc = plan(person);
      audit.unshift({ at: stamp(), author: 'Test Referent', action: 'handover', personId: person, displayName: doc.person.displayName, party: to.trim() });
      handed.set(`/home/test/Documents/Proxi/${doc.person.displayName} pour ${to.trim()}.proxihandover`, { person, code: 'K7QM-2XPA-9HND-4RTV-B3WE' });
      return { path: `/home/test/Documents/Proxi/${doc.person.displayName} pour ${to.trim()}.proxihandover`, code: 'K7QM-2XPA-9HND-4RTV-B3WE' };
    },
    async handoverFiles() {
      must();
      return [...handed.keys()].map((path) => ({ path, name: path.split('/').pop() ?? path, modified: stamp() }));
    },
    async handoverPeek(file) {
      if (!handed.has(file)) throw { code: 'HANDOVER_INVALID', message: 'this is not a Proxi handover file', violations: [] } satisfies ErrorReport;
      return { from: 'Test Referent', to: 'Bert', created: stamp() };
    },
    async handoverIn(file, code) {
      must();
      const h = handed.get(file);
      if (!h) throw { code: 'HANDOVER_INVALID', message: 'this is not a Proxi handover file', violations: [] } satisfies ErrorReport;
      if (code.replace(/[\s-]/g, '').toUpperCase() !== h.code.replace(/-/g, '')) throw { code: 'HANDOVER_CODE_WRONG', message: 'this code does not open the file', violations: [] } satisfies ErrorReport;
      return h.person;
    },
    async concertationTimes(person, concertation) {
      must();
      const c = plan(person).plan.concertations.find((x) => x.id === concertation);
      if (!c) throw { code: 'ITEM_NOT_FOUND', message: 'no such concertation', violations: [] } satisfies ErrorReport;
      // The core's rule (src/concertation.rs `rank_slots`): most present first, the earlier among equals.
      return c.slots
        .map((s) => ({
          slot: s.id,
          start: s.start,
          present: c.participants.filter((x) => x.available.includes(s.id)).map((x) => x.name),
          missing: c.participants.filter((x) => !x.available.includes(s.id)).map((x) => x.name),
        }))
        .sort((a, b) => b.present.length - a.present.length || a.start.localeCompare(b.start));
    },
    async printConcertation(person, _concertation, attendance, lang) {
      must();
      audited('print', person);
      return { path: `/home/test/Documents/Proxi/${plan(person).person.displayName} concertation ${attendance ? 'présences' : 'compte rendu'} ${lang}.pdf` };
    },
    async saveInvitation(person, concertation) {
      must();
      const c = plan(person).plan.concertations.find((x) => x.id === concertation);
      if (!c?.chosen) throw { code: 'CONCERTATION_NO_TIME', message: 'choose the time first', violations: [] } satisfies ErrorReport;
      return `/home/test/Documents/Proxi/${plan(person).person.displayName} invitation ${today}.ics`;
    },
    async exportPerson(person) {
      must();
      const doc = plan(person);
      audited('export', person);
      const stem = `/home/referent/Documents/Proxi/${doc.person.displayName} dossier ${today}`;
      return { json: `${stem}.json`, pdf: `${stem}.pdf` };
    },
    async erasePerson(person) {
      must();
      plan(person);
      docs.delete(person);
      states.delete(person);
      audited('erase', person);
      return { inTeam: sync.team !== null };
    },
    async createPerson(given) {
      must();
      // What crosses the IPC is JSON: reactive proxies and shared references do not.
      const input: PersonInput = JSON.parse(JSON.stringify(given));
      checkPerson(input);
      const id = newId();
      const doc: PlanDocument = {
        schema: 1,
        person: { id, ...input, archived: false, created: stamp() },
        plan: { priorities: [], strengths: [], difficulties: [], actions: [], network: [], visits: [], reviewDate: null, stays: [], proposals: [], concertations: [] },
        consent: null,
      };
      docs.set(id, doc);
      states.set(id, [{ plan: structuredClone(doc), action: 'person.create', at: stamp() }]);
      return id;
    },
    async openPlan(person) {
      must();
      const doc = structuredClone(plan(person));
      audited('open', person);
      return doc;
    },
    async editPlan(person, given) {
      must();
      const edit: PlanEdit = JSON.parse(JSON.stringify(given));
      const history = states.get(person) ?? [];
      if (edit.kind === 'undo') {
        if (history.length < 2) throw { code: 'NOTHING_TO_UNDO', message: 'nothing to undo', violations: [] } satisfies ErrorReport;
        const before = structuredClone(history[history.length - 2].plan);
        docs.set(person, before);
        history.push({ plan: structuredClone(before), action: 'undo', at: stamp() });
        return structuredClone(before);
      }
      const draft = structuredClone(plan(person));
      const action = apply(draft, edit);
      docs.set(person, draft);
      history.push({ plan: structuredClone(draft), action, at: stamp() });
      return structuredClone(draft);
    },
    async planHistory(person) {
      must();
      plan(person);
      const list = states.get(person) ?? [];
      return list
        .map(
          (s, i): HistoryEntry => ({
            change: `c${i}`,
            at: s.at,
            author: 'Test Referent',
            device: 'a1b2c3d4e5f60718',
            deviceName: null,
            action: s.action,
            changes: i === 0 ? [] : diffPlans(list[i - 1].plan, s.plan),
          }),
        )
        .reverse();
    },
    async auditLog(person) {
      must();
      return audit.filter((a) => a.personId === person);
    },
    async followUp() {
      must();
      const until = new Date(`${today}T12:00:00Z`);
      until.setUTCDate(until.getUTCDate() + 7);
      const last = until.toISOString().slice(0, 10);
      const actions = [...docs.values()].flatMap((doc) =>
        doc.person.archived
          ? []
          : doc.plan.actions
              .filter((a) => (a.status === 'planned' || a.status === 'doing') && a.due !== null && a.due <= last)
              .map((a) => ({ personId: doc.person.id, displayName: doc.person.displayName, actionId: a.id, what: a.what, due: a.due as string, overdue: (a.due as string) < today })),
      );
      actions.sort((a, b) => a.due.localeCompare(b.due));
      const reviews = [...docs.values()]
        .map(summary)
        .filter((p) => !p.archived && p.reviewDate !== null && p.reviewDate <= last)
        .sort((a, b) => (a.reviewDate ?? '').localeCompare(b.reviewDate ?? ''));
      const stuckSince = new Date(`${today}T12:00:00Z`);
      stuckSince.setUTCDate(stuckSince.getUTCDate() - settings.stuckDays);
      const before = stuckSince.toISOString().slice(0, 10);
      const stuck = [...docs.values()].flatMap((doc) =>
        doc.person.archived
          ? []
          : doc.plan.actions
              .filter(
                (a) =>
                  (a.status === 'planned' || a.status === 'doing') &&
                  a.orientation !== null &&
                  ['proposed', 'contacted', 'appointment'].includes(a.orientation.step) &&
                  a.orientation.since <= before,
              )
              .map((a) => ({
                personId: doc.person.id,
                displayName: doc.person.displayName,
                actionId: a.id,
                what: a.what,
                step: a.orientation!.step,
                since: a.orientation!.since,
              })),
      );
      const live = [...docs.values()].filter((doc) => !doc.person.archived);
      const staySummary = (doc: PlanDocument, s: PlanDocument['plan']['stays'][number]) => ({
        personId: doc.person.id,
        displayName: doc.person.displayName,
        stayId: s.id,
        hospital: s.hospital,
        admitted: s.admitted,
        dischargeOn: s.dischargeOn,
        checklistOpen: 6 - s.notNeeded.length - doc.plan.actions.filter((a) => a.source?.kind === 'checklist' && a.source.stay === s.id && a.status !== 'dropped').length,
      });
      const inHospital = live.flatMap((doc) =>
        doc.plan.stays.filter((s) => s.admitted <= today && !s.discharged && (s.dischargeOn === null || s.dischargeOn >= today)).map((s) => staySummary(doc, s)),
      );
      const discharges = live.flatMap((doc) =>
        doc.plan.stays.filter((s) => s.dischargeOn !== null && s.dischargeOn >= today && s.dischargeOn <= last).map((s) => staySummary(doc, s)),
      );
      return { today, until: last, actions, reviews, stuck, stuckAfterDays: settings.stuckDays, inHospital, discharges, recommendations: diapason.due(last) };
    },
    async postalAreas() {
      return areas;
    },
    async searchServices(query) {
      must();
      return searchMock(query);
    },
    async directoryLanguages() {
      must();
      return [...new Set(mockServices.flatMap((c) => c.languages))].sort();
    },
    async serviceCard(id) {
      must();
      return cardMock(id);
    },
    async territoryMap() {
      return mapMock;
    },
    async directoryFiles() {
      must();
      return directoryFilesMock;
    },
    async importDirectory(path) {
      must();
      return importMock(path);
    },
    async syncStatus() {
      must();
      return structuredClone(sync);
    },
    async syncNow() {
      must();
      if (!sync.team) throw { code: 'NO_TEAM', message: 'no team', violations: [] } satisfies ErrorReport;
      sync.lastTry = Date.parse('2026-11-23T10:42:00Z');
      if (!options.online) {
        sync.problem = { code: 'RELAY_UNREACHABLE', message: 'the relay could not be reached' };
        throw { code: 'RELAY_UNREACHABLE', message: 'the relay could not be reached', violations: [] } satisfies ErrorReport;
      }
      const sent = sync.waiting;
      sync.waiting = 0;
      sync.problem = null;
      sync.lastOk = sync.lastTry;
      return { pushed: sent, pulled: 2, applied: 2, pulledBytes: 4_096, refused: [] };
    },
    async joinTeam(code, name) {
      must();
      if (!code.includes('#')) throw { code: 'INVITATION_INVALID', message: 'no #', violations: [] } satisfies ErrorReport;
      if (sync.team && !sync.team.revoked) throw { code: 'ALREADY_IN_TEAM', message: 'already in a team', violations: [] } satisfies ErrorReport;
      sync.problem = null;
      const me = { device: '00000000-0000-4000-8000-000000000002', name, invited: false, revoked: false, me: true };
      sync.team = {
        team: '00000000-0000-4000-8000-0000000000aa',
        device: me.device,
        name,
        relay: code.split('#')[0],
        epoch: 1,
        revoked: false,
        members: [{ device: '00000000-0000-4000-8000-000000000001', name: 'Anna (Exemple)', invited: false, revoked: false, me: false }, me],
      };
      return structuredClone(sync.team);
    },
    async inviteToTeam() {
      must();
      if (!sync.team) throw { code: 'NO_TEAM', message: 'no team', violations: [] } satisfies ErrorReport;
      return `${sync.team.relay}#ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-M`;
    },
    async revokeDevice(device) {
      must();
      if (!sync.team) throw { code: 'NO_TEAM', message: 'no team', violations: [] } satisfies ErrorReport;
      if (!options.online) throw { code: 'RELAY_UNREACHABLE', message: 'the relay could not be reached', violations: [] } satisfies ErrorReport;
      const member = sync.team.members.find((m) => m.device === device && !m.revoked);
      if (!member) throw { code: 'ITEM_NOT_FOUND', message: 'no such device', violations: [] } satisfies ErrorReport;
      member.revoked = true;
      sync.team.epoch += 1;
    },
  };
}
