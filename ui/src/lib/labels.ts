// Words for the values the core sends (card ids, roles, statuses, bassins, history actions), as
// catalogue keys, so that a missing word is a type error and not a blank on screen.
import type { ChecklistItem } from './bindings/ChecklistItem';
import type { Key } from './i18n';
import type { ActionStatus } from './bindings/ActionStatus';
import type { Bassin } from './bindings/Bassin';
import type { NetworkRole } from './bindings/NetworkRole';
import type { OrientationStep } from './bindings/OrientationStep';
import type { ErrorCode } from './bindings/ErrorCode';
import type { AuditAction } from './bindings/AuditAction';
import type { Weakness } from './bindings/Weakness';

export const cardKeys: Record<string, Key> = {
  health: 'card.health', pain: 'card.pain', medication: 'card.medication', sleep: 'card.sleep',
  food: 'card.food', moving: 'card.moving', home: 'card.home', money: 'card.money',
  paperwork: 'card.paperwork', family: 'card.family', friends: 'card.friends',
  loneliness: 'card.loneliness', mood: 'card.mood', memory: 'card.memory', leisure: 'card.leisure',
  transport: 'card.transport', safety: 'card.safety', 'help-at-home': 'card.help-at-home',
  carer: 'card.carer', language: 'card.language', hygiene: 'card.hygiene', breathing: 'card.breathing',
  sight: 'card.sight', hearing: 'card.hearing', shopping: 'card.shopping', pet: 'card.pet',
  faith: 'card.faith', work: 'card.work',
};

export const statusKeys: Record<ActionStatus, Key> = {
  planned: 'status.planned', doing: 'status.doing', done: 'status.done', dropped: 'status.dropped',
};

export const bassinKeys: Record<Bassin, Key> = {
  nord: 'bassin.nord', nordEst: 'bassin.nordEst', centreOuest: 'bassin.centreOuest', sud: 'bassin.sud',
  sudEst: 'bassin.sudEst',
};

export const orientationKeys: Record<OrientationStep, Key> = {
  proposed: 'orientation.proposed', contacted: 'orientation.contacted', appointment: 'orientation.appointment',
  seen: 'orientation.seen', refused: 'orientation.refused', noPlace: 'orientation.noPlace',
  noServiceFound: 'orientation.noServiceFound',
};

export const roleKeys: Record<NetworkRole, Key> = {
  informalCarer: 'role.informalCarer', family: 'role.family', gp: 'role.gp', nurse: 'role.nurse',
  pharmacist: 'role.pharmacist', socialWorker: 'role.socialWorker', homeHelp: 'role.homeHelp',
  physiotherapist: 'role.physiotherapist', psychologist: 'role.psychologist',
  hospitalReferent: 'role.hospitalReferent', other: 'role.other',
};

const historyKeys: Record<string, Key> = {
  'person.create': 'history.action.person.create', 'person.update': 'history.action.person.update',
  'person.archive': 'history.action.person.archive', 'person.restore': 'history.action.person.restore',
  'consent.record': 'history.action.consent.record', 'plan.review': 'history.action.plan.review',
  'priority.add': 'history.action.priority.add', 'priority.edit': 'history.action.priority.edit',
  'priority.status': 'history.action.priority.status', 'priority.reorder': 'history.action.priority.reorder',
  'strength.add': 'history.action.strength.add', 'strength.edit': 'history.action.strength.edit',
  'strength.close': 'history.action.strength.close', 'strength.reorder': 'history.action.strength.reorder',
  'difficulty.add': 'history.action.difficulty.add', 'difficulty.edit': 'history.action.difficulty.edit',
  'difficulty.close': 'history.action.difficulty.close',
  'difficulty.reorder': 'history.action.difficulty.reorder',
  'action.add': 'history.action.action.add', 'action.edit': 'history.action.action.edit',
  'action.status': 'history.action.action.status', 'action.orientation': 'history.action.action.orientation', 'network.add': 'history.action.network.add',
  'network.edit': 'history.action.network.edit', 'network.close': 'history.action.network.close',
  'visit.add': 'history.action.visit.add', 'visit.edit': 'history.action.visit.edit',
  'stay.admit': 'history.action.stay.admit', 'stay.edit': 'history.action.stay.edit',
  'stay.checklist': 'history.action.stay.checklist', 'hospital.import': 'history.action.hospital.import',
  'hospital.accept': 'history.action.hospital.accept', 'hospital.reject': 'history.action.hospital.reject',
  'concertation.add': 'history.action.concertation.add', 'concertation.participant': 'history.action.concertation.participant',
  'concertation.slot': 'history.action.concertation.slot', 'concertation.available': 'history.action.concertation.available',
  'concertation.choose': 'history.action.concertation.choose',
  'concertation.meeting': 'history.action.concertation.meeting',
  undo: 'history.action.undo',
};

/** The words for a history action; an action this version does not know shows as its code. */
export function historyKey(action: string): Key | null {
  return historyKeys[action] ?? null;
}

// Every code has its sentence: the type checker refuses a code left out.
const errorKeys: Record<ErrorCode, Key> = {
  DISPLAY_NAME_EMPTY: 'error.DISPLAY_NAME_EMPTY', TEXT_TOO_LONG: 'error.TEXT_TOO_LONG',
  BIRTH_YEAR_OUT_OF_RANGE: 'error.BIRTH_YEAR_OUT_OF_RANGE', LANGUAGE_CODE_INVALID: 'error.LANGUAGE_CODE_INVALID',
  POSTAL_CODE_INVALID: 'error.POSTAL_CODE_INVALID', PHONE_INVALID: 'error.PHONE_INVALID',
  EMAIL_INVALID: 'error.EMAIL_INVALID', WORDS_EMPTY: 'error.WORDS_EMPTY', CARD_UNKNOWN: 'error.CARD_UNKNOWN',
  REVIEW_DATE_BEFORE_CREATION: 'error.REVIEW_DATE_BEFORE_CREATION', ACTION_WHAT_EMPTY: 'error.ACTION_WHAT_EMPTY',
  ACTION_DUE_IN_PAST: 'error.ACTION_DUE_IN_PAST', ACTION_MEMBER_UNKNOWN: 'error.ACTION_MEMBER_UNKNOWN',
  ACTION_SERVICE_EMPTY: 'error.ACTION_SERVICE_EMPTY', MEMBER_NAME_EMPTY: 'error.MEMBER_NAME_EMPTY',
  NEXT_VISIT_NOT_AFTER_VISIT: 'error.NEXT_VISIT_NOT_AFTER_VISIT', NOTHING_TO_UNDO: 'error.NOTHING_TO_UNDO',
  PERSON_ARCHIVED: 'error.PERSON_ARCHIVED', CONSENT_DATE_IN_FUTURE: 'error.CONSENT_DATE_IN_FUTURE', STORE_LOCKED: 'error.STORE_LOCKED',
  KEYRING_UNAVAILABLE: 'error.KEYRING_UNAVAILABLE',
  DIRECTORY_FILE_INVALID: 'error.DIRECTORY_FILE_INVALID', SERVICE_NOT_FOUND: 'error.SERVICE_NOT_FOUND',
  DIRECTORY_INDEX_FAILED: 'error.DIRECTORY_INDEX_FAILED',
  NO_TEAM: 'error.NO_TEAM', ALREADY_IN_TEAM: 'error.ALREADY_IN_TEAM', DEVICE_REVOKED: 'error.DEVICE_REVOKED',
  INVITATION_INVALID: 'error.INVITATION_INVALID', RELAY_UNREACHABLE: 'error.RELAY_UNREACHABLE',
  RELAY_REFUSED: 'error.RELAY_REFUSED', RELAY_ANSWER_INVALID: 'error.RELAY_ANSWER_INVALID',
  TEAM_KEY_MISSING: 'error.TEAM_KEY_MISSING', TEAM_RECORD_DAMAGED: 'error.TEAM_RECORD_DAMAGED',
  SEAL_FAILED: 'error.SEAL_FAILED',
  ACTION_PRIORITY_UNKNOWN: 'error.ACTION_PRIORITY_UNKNOWN',
  REORDER_MISMATCH: 'error.REORDER_MISMATCH',
  PERSON_NOT_FOUND: 'error.PERSON_NOT_FOUND',
  ITEM_NOT_FOUND: 'error.ITEM_NOT_FOUND',
  WRONG_PASSPHRASE: 'error.WRONG_PASSPHRASE',
  WRONG_RECOVERY_KEY: 'error.WRONG_RECOVERY_KEY',
  STORE_NOT_FOUND: 'error.STORE_NOT_FOUND',
  STORE_EXISTS: 'error.STORE_EXISTS',
  STORE_TOO_NEW: 'error.STORE_TOO_NEW',
  KEY_FILE_MISSING: 'error.KEY_FILE_MISSING',
  KEY_FILE_INVALID: 'error.KEY_FILE_INVALID',
  STORE_CORRUPT: 'error.STORE_CORRUPT',
  STORAGE: 'error.STORAGE',
  DOCUMENT_INVALID: 'error.DOCUMENT_INVALID',
  SHEET_FAILED: 'error.SHEET_FAILED',
  SHEET_LANGUAGE_MISSING: 'error.SHEET_LANGUAGE_MISSING',
  SHEET_SCRIPT_MISSING: 'error.SHEET_SCRIPT_MISSING',
  SPEECH_UNAVAILABLE: 'error.SPEECH_UNAVAILABLE',
  BACKUP_INVALID: 'error.BACKUP_INVALID',
  BACKUP_TOO_NEW: 'error.BACKUP_TOO_NEW',
  PASSPHRASE_TOO_WEAK: 'error.PASSPHRASE_TOO_WEAK', AUTHOR_EMPTY: 'error.AUTHOR_EMPTY',
  NO_PRINTER: 'error.NO_PRINTER', PRINT_FAILED: 'error.PRINT_FAILED',
  NOTIFICATIONS_UNAVAILABLE: 'error.NOTIFICATIONS_UNAVAILABLE',
  APPOINTMENT_DATE_MISSING: 'error.APPOINTMENT_DATE_MISSING',
  QUARTIER_UNKNOWN: 'error.QUARTIER_UNKNOWN',
  NISS_INVALID: 'error.NISS_INVALID', HOSPITAL_EMPTY: 'error.HOSPITAL_EMPTY',
  DISCHARGE_BEFORE_ADMISSION: 'error.DISCHARGE_BEFORE_ADMISSION', DISCHARGE_DATE_MISSING: 'error.DISCHARGE_DATE_MISSING',
  SHARE_NOT_CONSENTED: 'error.SHARE_NOT_CONSENTED', FHIR_FILE_INVALID: 'error.FHIR_FILE_INVALID',
  PROPOSAL_DECIDED: 'error.PROPOSAL_DECIDED', HANDOVER_INVALID: 'error.HANDOVER_INVALID',
  HANDOVER_CODE_WRONG: 'error.HANDOVER_CODE_WRONG', CONCERTATION_LENGTH_INVALID: 'error.CONCERTATION_LENGTH_INVALID',
  SLOT_NOT_IN_BRUSSELS: 'error.SLOT_NOT_IN_BRUSSELS', CONCERTATION_NO_TIME: 'error.CONCERTATION_NO_TIME',
  GROUP_NAME_EMPTY: 'error.GROUP_NAME_EMPTY', OBSERVATION_EMPTY: 'error.OBSERVATION_EMPTY', RECOMMENDATION_EMPTY: 'error.RECOMMENDATION_EMPTY',
  GUIDE_FILE_INVALID: 'error.GUIDE_FILE_INVALID', ACTION_COMMUNITY_UNKNOWN: 'error.ACTION_COMMUNITY_UNKNOWN', GUIDE_NOT_FOUND: 'error.GUIDE_NOT_FOUND',
};

/** The sentence for an error code, which says what to do (null only for a code newer than this UI). */
export function errorKey(code: ErrorCode): Key | null {
  return errorKeys[code] ?? null;
}

/** Languages offered first when creating a person: those most spoken in Brussels homes. */
export const commonLanguages = ['fr', 'nl', 'en', 'ar', 'tr', 'es', 'pt', 'it', 'pl', 'ro', 'ru', 'bg', 'ln', 'sw', 'uk', 'de'];

export const auditKeys: Record<AuditAction, Key> = {
  open: 'audit.open', print: 'audit.print', export: 'audit.export', erase: 'audit.erase',
  share: 'audit.share', shareRefused: 'audit.shareRefused', handover: 'audit.handover', import: 'audit.import',
};

/** The return-home checklist, in the order it is gone through. */
export const checklistItems: ChecklistItem[] = ['equipment', 'homeNursing', 'homeHelp', 'medicationReview', 'meals', 'firstTwoDays'];

export const checklistKeys: Record<ChecklistItem, Key> = {
  equipment: 'stay.item.equipment', homeNursing: 'stay.item.homeNursing', homeHelp: 'stay.item.homeHelp',
  medicationReview: 'stay.item.medicationReview', meals: 'stay.item.meals', firstTwoDays: 'stay.item.firstTwoDays',
};

/** The directory's themes (the taxonomy Proxi's demo and the Brussels referents use). */
export const themeKeys: Record<string, Key> = {
  diabetes: 'theme.diabetes', palliative: 'theme.palliative', mental_health: 'theme.mental_health',
  home_help: 'theme.home_help', home_nursing: 'theme.home_nursing', social_aid: 'theme.social_aid',
  interpreting: 'theme.interpreting', housing: 'theme.housing', debts: 'theme.debts',
  isolation: 'theme.isolation', carers: 'theme.carers', meals: 'theme.meals', transport: 'theme.transport',
  pain: 'theme.pain',
};

/** Why a new passphrase is refused, in words that say what to do. */
export const weaknessKeys: Record<Weakness, Key> = {
  tooShort: 'weakness.tooShort', common: 'weakness.common', pattern: 'weakness.pattern', dates: 'weakness.dates',
  names: 'weakness.names', singleWord: 'weakness.singleWord', guessable: 'weakness.guessable',
};
