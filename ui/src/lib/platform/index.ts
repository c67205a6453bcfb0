// The only module that talks to the desktop shell. Everything else receives a `Platform`, so the UI
// also runs in a plain browser or a test against `mockPlatform`.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { PeopleQuery } from '../bindings/PeopleQuery';
import type { PersonSummary } from '../bindings/PersonSummary';
import type { SessionState } from '../bindings/SessionState';
import type { KeyringState } from '../bindings/KeyringState';
import type { LaunchUnlock } from '../bindings/LaunchUnlock';
import type { ErrorReport } from '../bindings/ErrorReport';
import type { SavedSheet } from '../bindings/SavedSheet';
import type { Printer } from '../bindings/Printer';
import type { SheetLanguage } from '../bindings/SheetLanguage';
import type { PersonInput } from '../bindings/PersonInput';
import type { PlanDocument } from '../bindings/PlanDocument';
import type { PlanEdit } from '../bindings/PlanEdit';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { AuditEntry } from '../bindings/AuditEntry';
import type { FollowUp } from '../bindings/FollowUp';
import type { PostalArea } from '../bindings/PostalArea';
import type { ServiceQuery } from '../bindings/ServiceQuery';
import type { SearchResult } from '../bindings/SearchResult';
import type { ServiceCard } from '../bindings/ServiceCard';
import type { TerritoryMap } from '../bindings/TerritoryMap';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { SyncReport } from '../bindings/SyncReport';
import type { TeamInfo } from '../bindings/TeamInfo';
import type { Strength } from '../bindings/Strength';
import type { Settings } from '../bindings/Settings';
import type { BackupInfo } from '../bindings/BackupInfo';
import type { BackupPlaces } from '../bindings/BackupPlaces';
import type { RestoreReport } from '../bindings/RestoreReport';
import type { LockReport } from '../bindings/LockReport';
import type { ExportedRecord } from '../bindings/ExportedRecord';
import type { ErasedReport } from '../bindings/ErasedReport';
import type { FoundFile } from '../bindings/FoundFile';
import type { ImportSummary } from '../bindings/ImportSummary';
import type { ImportReport } from '../bindings/ImportReport';
import type { HandoverSaved } from '../bindings/HandoverSaved';
import type { HandoverFrom } from '../bindings/HandoverFrom';
import type { SlotChoice } from '../bindings/SlotChoice';
import type { Group } from '../bindings/Group';
import type { Helpdesk } from '../bindings/Helpdesk';
import type { GuideSummary } from '../bindings/GuideSummary';
import type { Bassin } from '../bindings/Bassin';
import type { GuideView } from '../bindings/GuideView';
import type { GuideImport } from '../bindings/GuideImport';
import type { CommunityInput } from '../bindings/CommunityInput';
import type { CommunityResource } from '../bindings/CommunityResource';
import type { NeedsQuery } from '../bindings/NeedsQuery';
import type { NeedsTable } from '../bindings/NeedsTable';
import type { GroupEdit } from '../bindings/GroupEdit';
import type { GroupInput } from '../bindings/GroupInput';
import type { GroupSummary } from '../bindings/GroupSummary';

export interface Platform {
  sessionState(): Promise<SessionState>;
  /** Opens the store with the passphrase; keeps its key in this computer's keyring, or takes it out, as `remember` says. */
  unlock(passphrase: string, remember: boolean): Promise<KeyringState>;
  /** At launch: opens the store with the key this computer's keyring keeps, if the referent chose so. */
  openRemembered(): Promise<LaunchUnlock>;
  keyringStatus(): Promise<KeyringState>;
  /** The passphrase is asked again at the next launch. */
  forgetRemembered(): Promise<KeyringState>;
  /** Locks; writes the automatic backup first when the referent chose a folder for it. */
  lock(unsaved?: string | null): Promise<LockReport>;
  /** What the window had not saved when it locked (JSON), given back once. */
  takeUnsaved(): Promise<string | null>;
  /** How hard the passphrase being chosen is to guess. */
  passphraseStrength(passphrase: string, author: string): Promise<Strength>;
  /** Creates and opens the referent's store; gives the recovery key, to be shown once. */
  createStore(passphrase: string, author: string): Promise<string>;
  /** Opens the demo store of fictional people, apart from the real one. */
  openDemo(): Promise<void>;
  leaveDemo(): Promise<void>;
  saveSettings(settings: Settings): Promise<Settings>;
  /** Where backups can go (USB sticks, documents) and the backups found there. */
  backupPlaces(): Promise<BackupPlaces>;
  backupNow(folder: string): Promise<BackupInfo>;
  inspectBackup(file: string): Promise<BackupInfo>;
  /** Shows the desktop reminders of what is due now; gives how many were shown. */
  remindNow(): Promise<number>;
  /** Calls `handler` when a desktop reminder is clicked: the plan to open, or `null` for the follow-up list. */
  onReminderOpen(handler: (person: string | null) => void): Promise<() => void>;
  /** Checks a backup whole, keeps the current store aside, and opens the restored one. */
  restoreBackup(file: string, passphrase: string): Promise<RestoreReport>;
  listPeople(query: PeopleQuery): Promise<PersonSummary[]>;
  /** Makes and saves the sheet: the person's (in `lang`, by default theirs) or, with no person, the blank one. */
  printSheet(person: string | null, lang?: string | null, fallback?: string | null): Promise<SavedSheet>;
  /** Reads the person's sheet aloud in `lang` (by default theirs); returns while the voice goes on. */
  readSheetAloud(person: string, lang?: string | null): Promise<void>;
  /** Stops the voice reading a sheet. */
  stopReading(): Promise<void>;
  /** The languages the sheet is printed in, with whether a native speaker checked each. */
  sheetLanguages(): Promise<SheetLanguage[]>;
  /** This computer's printers (CUPS), the default one first. */
  listPrinters(): Promise<Printer[]>;
  /** Sends a saved sheet to a printer; gives the print job's id. */
  sendToPrinter(path: string, printer: string): Promise<string>;
  /** Opens a saved sheet in the system's PDF viewer. */
  openSheet(path: string): Promise<void>;
  /** The recovery key's page as a PDF to print (kept in a private folder until discarded). */
  recoveryPage(key: string, lang: string): Promise<SavedSheet>;
  discardRecoveryPage(): Promise<void>;
  createPerson(input: PersonInput): Promise<string>;
  /** Everything about the person, saved as JSON and as a readable PDF in their language. */
  /** Everything about the person, as JSON and a PDF (in their language, else the window's `lang`). */
  exportPerson(person: string, lang?: string): Promise<ExportedRecord>;
  /** Erases the person here now, and on the team's laptops and the relay at their next sync. */
  erasePerson(person: string): Promise<ErasedReport>;
  /** The plan as a FHIR file for a professional the person agreed to share with; where it was saved. */
  fhirExport(person: string, to: string): Promise<string>;
  /** The one-page liaison sheet for the hospital ward, in French or Dutch (the hospital's language). */
  printLiaison(person: string, lang: string): Promise<SavedSheet>;
  /** FHIR files found where files from hospitals arrive (Downloads, Documents, USB sticks), newest first. */
  hospitalFiles(): Promise<FoundFile[]>;
  /** A hospital's discharge file read into proposals for the plan (all or nothing). */
  fhirImport(person: string, file: string): Promise<ImportSummary>;
  /** The whole plan sealed for a colleague: where the file is, and the one-time code to tell them. */
  handoverOut(person: string, to: string): Promise<HandoverSaved>;
  /** Handover files found where files arrive, newest first. */
  handoverFiles(): Promise<FoundFile[]>;
  /** Who handed the plan over, as the file says. */
  handoverPeek(file: string): Promise<HandoverFrom>;
  /** A colleague's plan taken in with the code they told; the person's id. */
  handoverIn(file: string, code: string): Promise<string>;
  /** A concertation's offered times, those that gather the most first, with who is missing. */
  concertationTimes(person: string, concertation: string): Promise<SlotChoice[]>;
  /** A concertation's report (or its attendance sheet), in French or Dutch, saved. */
  printConcertation(person: string, concertation: string, attendance: boolean, lang: string): Promise<SavedSheet>;
  /** The invitation (iCalendar), for everyone or one participant, saved; where. */
  saveInvitation(person: string, concertation: string, participant: string | null, lang: string): Promise<string>;
  /** The team's community resources, open ones first. */
  communityList(): Promise<CommunityResource[]>;
  /** Records a community resource; the list as it now is. */
  addCommunity(input: CommunityInput): Promise<CommunityResource[]>;
  /** Changes a resource (closed: no longer available); the list as it now is. */
  editCommunity(id: string, input: CommunityInput, closed: boolean): Promise<CommunityResource[]>;
  /** One table of the bassin's needs watch, small counts hidden. */
  needsWatch(query: NeedsQuery): Promise<NeedsTable>;
  /** The same table saved as CSV for the bassin's coordination; where. */
  saveNeedsCsv(query: NeedsQuery): Promise<string>;
  /** The Focus guides, by title, with whether each was checked over a year ago. */
  guides(): Promise<GuideSummary[]>;
  /** One guide, with the directory's services of `bassin` (else the person's bassin) first. */
  guide(id: string, person: string | null, bassin: Bassin | null): Promise<GuideView>;
  /** Saves the guide in `lang` (fr or nl) in the sheets folder. */
  printGuide(id: string, person: string | null, bassin: Bassin | null, lang: string): Promise<SavedSheet>;
  /** Focus guide files found where files arrive, the newest first. */
  guideFiles(): Promise<FoundFile[]>;
  /** Imports a guide file: a new guide, or a newer version of one. */
  importGuide(path: string): Promise<GuideImport>;
  /** The organisation's helpdesk, when one was set. */
  helpdesk(): Promise<Helpdesk | null>;
  /** Sets the helpdesk (null: takes it away); gives it back as kept. */
  setHelpdesk(helpdesk: Helpdesk | null): Promise<Helpdesk | null>;
  /** The team's Diapason groups, open ones first. */
  groups(): Promise<GroupSummary[]>;
  group(id: string): Promise<Group>;
  /** Starts a group; its id. */
  newGroup(input: GroupInput): Promise<string>;
  /** Applies one edit to a group, saved before the promise resolves; gives back the group as it now is. */
  editGroup(id: string, edit: GroupEdit): Promise<Group>;
  /** A group's report, in French or Dutch, saved. */
  printGroup(id: string, lang: string): Promise<SavedSheet>;
  openPlan(person: string): Promise<PlanDocument>;
  /** Applies one edit, saved before the promise resolves; gives back the plan as it now is. */
  editPlan(person: string, edit: PlanEdit): Promise<PlanDocument>;
  planHistory(person: string): Promise<HistoryEntry[]>;
  /** Who opened, printed, exported or erased this person's plan, newest first. */
  auditLog(person: string): Promise<AuditEntry[]>;
  followUp(): Promise<FollowUp>;
  postalAreas(): Promise<PostalArea[]>;
  /** The directory: services matching words and filters, best first. */
  searchServices(query: ServiceQuery): Promise<SearchResult>;
  /** Every language the directory's services declare (ISO 639 codes). */
  directoryLanguages(): Promise<string[]>;
  serviceCard(id: string): Promise<ServiceCard>;
  /** HSDS files and folders of CSV tables found where files arrive, the newest first. */
  directoryFiles(): Promise<FoundFile[]>;
  /** Imports one directory file or folder, all or nothing; what it did and what was missing. */
  importDirectory(path: string): Promise<ImportReport>;
  /** The quartiers' outlines, for the directory's map. */
  territoryMap(): Promise<TerritoryMap>;
  /** The team, the last sync, what waits and what went wrong. */
  syncStatus(): Promise<SyncStatus>;
  /** One sync with the team's relay (off the window's thread: the UI stays usable). */
  syncNow(): Promise<SyncReport>;
  /** Joins a team with an invitation code handed over by a colleague, then syncs once. */
  joinTeam(code: string, name: string): Promise<TeamInfo>;
  /** A one-time invitation code for a colleague's computer (valid 30 minutes). */
  inviteToTeam(): Promise<string>;
  /** Removes a colleague's computer from the team: the relay refuses it at once, the team key rotates. */
  revokeDevice(device: string): Promise<void>;
}

export function isErrorReport(e: unknown): e is ErrorReport {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e && Array.isArray((e as ErrorReport).violations);
}

export const tauriPlatform: Platform = {
  sessionState: () => invoke<SessionState>('session_state'),
  unlock: (passphrase, remember) => invoke<KeyringState>('unlock', { passphrase, remember }),
  openRemembered: () => invoke<LaunchUnlock>('open_remembered'),
  keyringStatus: () => invoke<KeyringState>('keyring_status'),
  forgetRemembered: () => invoke<KeyringState>('forget_remembered'),
  lock: (unsaved = null) => invoke<LockReport>('lock', { unsaved }),
  takeUnsaved: () => invoke<string | null>('take_unsaved'),
  passphraseStrength: (passphrase, author) => invoke<Strength>('passphrase_strength', { passphrase, author }),
  createStore: (passphrase, author) => invoke<string>('create_store', { passphrase, author }),
  openDemo: () => invoke<void>('open_demo'),
  leaveDemo: () => invoke<void>('leave_demo'),
  saveSettings: (settings) => invoke<Settings>('save_settings', { settings }),
  backupPlaces: () => invoke<BackupPlaces>('backup_places'),
  backupNow: (folder) => invoke<BackupInfo>('backup_now', { folder }),
  inspectBackup: (file) => invoke<BackupInfo>('inspect_backup', { file }),
  remindNow: () => invoke<number>('remind_now'),
  onReminderOpen: (handler) => listen<string | null>('reminder-open', (event) => handler(event.payload)),
  restoreBackup: (file, passphrase) => invoke<RestoreReport>('restore_backup', { file, passphrase }),
  listPeople: (query) => invoke<PersonSummary[]>('list_people', { query }),
  printSheet: (person, lang = null, fallback = null) => invoke<SavedSheet>('print_sheet', { person, lang, fallback }),
  sheetLanguages: () => invoke<SheetLanguage[]>('sheet_languages'),
  readSheetAloud: (person, lang = null) => invoke<void>('read_sheet_aloud', { person, lang }),
  stopReading: () => invoke<void>('stop_reading'),
  listPrinters: () => invoke<Printer[]>('list_printers'),
  sendToPrinter: (path, printer) => invoke<string>('send_to_printer', { path, printer }),
  openSheet: (path) => invoke<void>('open_sheet', { path }),
  recoveryPage: (key, lang) => invoke<SavedSheet>('recovery_page', { key, lang }),
  discardRecoveryPage: () => invoke<void>('discard_recovery_page'),
  createPerson: (input) => invoke<string>('create_person', { input }),
  exportPerson: (person, lang) => invoke<ExportedRecord>('export_person', { person, lang: lang ?? null }),
  erasePerson: (person) => invoke<ErasedReport>('erase_person', { person }),
  fhirExport: (person, to) => invoke<string>('fhir_export', { person, to }),
  printLiaison: (person, lang) => invoke<SavedSheet>('print_liaison', { person, lang }),
  hospitalFiles: () => invoke<FoundFile[]>('hospital_files'),
  fhirImport: (person, file) => invoke<ImportSummary>('fhir_import', { person, file }),
  handoverOut: (person, to) => invoke<HandoverSaved>('handover_out', { person, to }),
  handoverFiles: () => invoke<FoundFile[]>('handover_files'),
  handoverPeek: (file) => invoke<HandoverFrom>('handover_peek', { file }),
  handoverIn: (file, code) => invoke<string>('handover_in', { file, code }),
  concertationTimes: (person, concertation) => invoke<SlotChoice[]>('concertation_times', { person, concertation }),
  printConcertation: (person, concertation, attendance, lang) => invoke<SavedSheet>('print_concertation', { person, concertation, attendance, lang }),
  saveInvitation: (person, concertation, participant, lang) => invoke<string>('save_invitation', { person, concertation, participant, lang }),
  communityList: () => invoke<CommunityResource[]>('community_list'),
  addCommunity: (input) => invoke<CommunityResource[]>('add_community', { input }),
  editCommunity: (id, input, closed) => invoke<CommunityResource[]>('edit_community', { id, input, closed }),
  needsWatch: (query) => invoke<NeedsTable>('needs_watch', { query }),
  saveNeedsCsv: (query) => invoke<string>('save_needs_csv', { query }),
  guides: () => invoke<GuideSummary[]>('guides'),
  guide: (id, person, bassin) => invoke<GuideView>('guide', { id, person, bassin }),
  printGuide: (id, person, bassin, lang) => invoke<SavedSheet>('print_guide', { id, person, bassin, lang }),
  guideFiles: () => invoke<FoundFile[]>('guide_files'),
  importGuide: (path) => invoke<GuideImport>('import_guide', { path }),
  helpdesk: () => invoke<Helpdesk | null>('helpdesk'),
  setHelpdesk: (helpdesk) => invoke<Helpdesk | null>('set_helpdesk', { helpdesk }),
  groups: () => invoke<GroupSummary[]>('groups'),
  group: (id) => invoke<Group>('group', { id }),
  newGroup: (input) => invoke<string>('new_group', { input }),
  editGroup: (id, edit) => invoke<Group>('edit_group', { id, edit }),
  printGroup: (id, lang) => invoke<SavedSheet>('print_group', { id, lang }),
  openPlan: (person) => invoke<PlanDocument>('open_plan', { person }),
  editPlan: (person, edit) => invoke<PlanDocument>('edit_plan', { person, edit }),
  planHistory: (person) => invoke<HistoryEntry[]>('plan_history', { person }),
  auditLog: (person) => invoke<AuditEntry[]>('audit_log', { person }),
  followUp: () => invoke<FollowUp>('follow_up'),
  postalAreas: () => invoke<PostalArea[]>('postal_areas'),
  searchServices: (query) => invoke<SearchResult>('search_services', { query }),
  directoryLanguages: () => invoke<string[]>('directory_languages'),
  serviceCard: (id) => invoke<ServiceCard>('service_card', { id }),
  directoryFiles: () => invoke<FoundFile[]>('directory_files'),
  importDirectory: (path) => invoke<ImportReport>('import_directory', { path }),
  territoryMap: () => invoke<TerritoryMap>('territory_map'),
  syncStatus: () => invoke<SyncStatus>('sync_status'),
  syncNow: () => invoke<SyncReport>('sync_now'),
  joinTeam: (code, name) => invoke<TeamInfo>('join_team', { code, name }),
  inviteToTeam: () => invoke<string>('invite_to_team'),
  revokeDevice: (device) => invoke<void>('revoke_device', { device }),
};

/** The shell's platform inside the desktop window; none elsewhere. */
export function platform(): Platform {
  const inTauri = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
  if (!inTauri) {
    throw new Error('Proxi runs in its desktop window: start it with `make run`.');
  }
  return tauriPlatform;
}
