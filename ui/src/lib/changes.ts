// One history line's details in words: "Action « Appeler le CPAS » : échéance 2 décembre 2026 → 9 décembre 2026".
import type { FieldChange } from './bindings/FieldChange';
import type { ActionStatus } from './bindings/ActionStatus';
import type { NetworkRole } from './bindings/NetworkRole';
import type { PriorityStatus } from './bindings/PriorityStatus';
import { cardKeys, checklistKeys, orientationKeys, roleKeys, statusKeys } from './labels';
import type { ChecklistItem } from './bindings/ChecklistItem';
import type { OrientationStep } from './bindings/OrientationStep';
import { formatDate, languageName, translate, type Key, type Lang } from './i18n';

const itemKeys: Record<string, Key> = {
  person: 'change.item.person',
  plan: 'change.item.plan',
  consent: 'change.item.consent',
  priority: 'change.item.priority',
  strength: 'change.item.strength',
  difficulty: 'change.item.difficulty',
  action: 'change.item.action',
  member: 'change.item.member',
  visit: 'change.item.visit',
  stay: 'change.item.stay',
};

const fieldKeys: Record<string, Key> = {
  displayName: 'change.field.displayName',
  firstName: 'change.field.firstName',
  lastName: 'change.field.lastName',
  birthYear: 'change.field.birthYear',
  languages: 'change.field.languages',
  interpreterNeeded: 'change.field.interpreterNeeded',
  'address.street': 'change.field.street',
  'address.postalCode': 'change.field.postalCode',
  'address.commune': 'change.field.commune',
  phone: 'change.field.phone',
  notes: 'change.field.notes',
  archived: 'change.field.archived',
  words: 'change.field.words',
  card: 'change.field.card',
  status: 'change.field.status',
  reviewDate: 'change.field.reviewDate',
  closed: 'change.field.closed',
  what: 'change.field.what',
  who: 'change.field.who',
  due: 'change.field.due',
  priorityId: 'change.field.priorityId',
  outcome: 'change.field.outcome',
  role: 'change.field.role',
  name: 'change.field.name',
  organisation: 'change.field.organisation',
  email: 'change.field.email',
  date: 'change.field.date',
  place: 'change.field.place',
  nextVisit: 'change.field.nextVisit',
  keepPlan: 'change.field.keepPlan',
  shareWithTeam: 'change.field.shareWithTeam',
  professionals: 'change.field.professionals',
  recordedOn: 'change.field.recordedOn',
  recordedBy: 'change.field.recordedBy',
  orientation: 'change.field.orientation',
  admitted: 'change.field.admitted',
  hospital: 'change.field.hospital',
  hospitalService: 'change.field.hospitalService',
  ward: 'change.field.ward',
  hospitalContact: 'change.field.hospitalContact',
  reason: 'change.field.reason',
  told: 'change.field.told',
  dischargeOn: 'change.field.dischargeOn',
  dischargeTo: 'change.field.dischargeTo',
  discharged: 'change.field.discharged',
  notNeeded: 'change.field.notNeeded',
};

const priorityStatusKeys: Record<PriorityStatus, Key> = { active: 'priority.active', achieved: 'priority.achieved', letGo: 'priority.letGo' };

/** A value as the referent reads it. */
function value(lang: Lang, c: FieldChange, v: unknown): string {
  const t = (key: Key) => translate(lang, key);
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'change.yes' : 'change.no');
  if (c.field === 'status' && typeof v === 'string')
    return t(c.item === 'priority' ? priorityStatusKeys[v as PriorityStatus] : statusKeys[v as ActionStatus]) ?? v;
  if (c.field === 'role' && typeof v === 'string') return roleKeys[v as NetworkRole] ? t(roleKeys[v as NetworkRole]) : v;
  if (c.field === 'card' && typeof v === 'string') return cardKeys[v] ? t(cardKeys[v]) : v;
  if (c.field === 'priorityId') return t('change.linked');
  if (c.field === 'notNeeded' && Array.isArray(v))
    return v.map((i) => (checklistKeys[i as ChecklistItem] ? t(checklistKeys[i as ChecklistItem]) : String(i))).join(', ') || '—';
  if (c.field === 'languages' && Array.isArray(v)) return v.map((l) => languageName(lang, String(l))).join(', ') || '—';
  if (c.field === 'orientation' && typeof v === 'object') {
    const o = v as { step: OrientationStep; appointment: string | null };
    const step = orientationKeys[o.step] ? t(orientationKeys[o.step]) : o.step;
    return o.appointment ? `${step} (${formatDate(lang, o.appointment)})` : step;
  }
  if (c.field === 'who' && typeof v === 'object') {
    const who = v as { kind: string; name?: string };
    const kinds: Record<string, Key> = {
      person: 'who.person',
      referent: 'who.referent',
      informalCarer: 'who.informalCarer',
      member: 'who.member',
      service: 'who.service',
      community: 'who.community',
    };
    return who.name ? who.name : kinds[who.kind] ? t(kinds[who.kind]) : who.kind;
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(lang, v);
  if (Array.isArray(v)) return v.join(', ') || '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The sentence for one field that one change set. */
export function describeChange(lang: Lang, c: FieldChange): string {
  const t = (key: Key, values: Record<string, string | number> = {}) => translate(lang, key, values);
  const item = itemKeys[c.item] ? t(itemKeys[c.item]) : c.item;
  const label = c.item === 'visit' && /^\d{4}-\d{2}-\d{2}$/.test(c.label) ? formatDate(lang, c.label) : c.label;
  if (c.field === '') return t('change.added', { item, label: value(lang, { ...c, field: c.item === 'visit' ? 'date' : '' }, label) });
  const field = fieldKeys[c.field] ? t(fieldKeys[c.field]) : c.field;
  const values = { item, label, field, old: value(lang, c, c.old), new: value(lang, c, c.new) };
  return label && c.item !== 'person' && c.item !== 'plan' ? t('change.line', values) : t('change.lineNoLabel', values);
}
