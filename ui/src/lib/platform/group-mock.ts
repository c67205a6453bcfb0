// Diapason groups in memory, for the mock platform: the core's rules the screens depend on (required
// words, the follow-up list, undo of the last edit).
import type { Group } from '../bindings/Group';
import type { GroupEdit } from '../bindings/GroupEdit';
import type { GroupInput } from '../bindings/GroupInput';
import type { GroupSummary } from '../bindings/GroupSummary';
import type { RecommendationDue } from '../bindings/RecommendationDue';
import type { Recommendation } from '../bindings/Recommendation';
import type { ErrorCode } from '../bindings/ErrorCode';
import type { ErrorReport } from '../bindings/ErrorReport';

const finished = (r: Recommendation) => r.status === 'done' || r.status === 'dropped';

function fieldError(code: ErrorCode, field: string): ErrorReport {
  return { code, message: 'some fields need attention', violations: [{ code, field }] };
}

function notFound(kind: string): ErrorReport {
  return { code: 'ITEM_NOT_FOUND', message: `no such ${kind}`, violations: [] };
}

export function groupMock(newId: () => string, today: () => string, must: () => void) {
  const groups = new Map<string, Group>();
  const before = new Map<string, Group>();

  function get(id: string): Group {
    const g = groups.get(id);
    if (!g) throw notFound('group');
    return g;
  }

  function apply(g: Group, edit: GroupEdit): void {
    const rec = (id: string) => g.recommendations.find((r) => r.id === id) ?? (() => { throw notFound('recommendation'); })();
    switch (edit.kind) {
      case 'update':
        if (!edit.input.name.trim()) throw fieldError('GROUP_NAME_EMPTY', 'name');
        Object.assign(g, { name: edit.input.name.trim(), bassin: edit.input.bassin, problem: edit.input.problem.trim() });
        return;
      case 'setClosed':
        g.closed = edit.closed;
        return;
      case 'addMember':
        if (!edit.input.name.trim()) throw fieldError('MEMBER_NAME_EMPTY', 'name');
        g.members.push({ id: newId(), ...edit.input, name: edit.input.name.trim(), left: false });
        return;
      case 'editMember': {
        const m = g.members.find((x) => x.id === edit.id);
        if (!m) throw notFound('member');
        if (!edit.input.name.trim()) throw fieldError('MEMBER_NAME_EMPTY', 'name');
        Object.assign(m, edit.input);
        return;
      }
      case 'setMemberLeft': {
        const m = g.members.find((x) => x.id === edit.id);
        if (!m) throw notFound('member');
        m.left = edit.left;
        return;
      }
      case 'addMeeting':
        g.meetings.push({ id: newId(), date: edit.date, present: [], notes: '' });
        g.meetings.sort((a, b) => a.date.localeCompare(b.date));
        return;
      case 'editMeeting': {
        const m = g.meetings.find((x) => x.id === edit.id);
        if (!m) throw notFound('meeting');
        Object.assign(m, { date: edit.date, present: edit.present, notes: edit.notes });
        g.meetings.sort((a, b) => a.date.localeCompare(b.date));
        return;
      }
      case 'addObservation':
        if (!edit.text.trim()) throw fieldError('OBSERVATION_EMPTY', 'text');
        g.observations.push({ id: newId(), text: edit.text.trim(), meeting: edit.meeting, closed: false });
        return;
      case 'editObservation':
      case 'closeObservation': {
        const o = g.observations.find((x) => x.id === edit.id);
        if (!o) throw notFound('observation');
        if (edit.kind === 'closeObservation') o.closed = edit.closed;
        else if (!edit.text.trim()) throw fieldError('OBSERVATION_EMPTY', 'text');
        else o.text = edit.text.trim();
        return;
      }
      case 'addRecommendation':
        if (!edit.text.trim()) throw fieldError('RECOMMENDATION_EMPTY', 'text');
        g.recommendations.push({ id: newId(), text: edit.text.trim(), owner: edit.owner.trim(), status: 'proposed', followUps: [] });
        return;
      case 'editRecommendation': {
        if (!edit.text.trim()) throw fieldError('RECOMMENDATION_EMPTY', 'text');
        Object.assign(rec(edit.id), { text: edit.text.trim(), owner: edit.owner.trim() });
        return;
      }
      case 'setRecommendationStatus':
        rec(edit.id).status = edit.status;
        return;
      case 'addFollowUp': {
        const r = rec(edit.recommendation);
        r.followUps.push({ id: newId(), due: edit.due, note: '', doneOn: null });
        r.followUps.sort((a, b) => a.due.localeCompare(b.due));
        return;
      }
      case 'recordFollowUp': {
        const f = rec(edit.recommendation).followUps.find((x) => x.id === edit.id);
        if (!f) throw notFound('follow-up');
        f.doneOn = edit.done ? (f.doneOn ?? today()) : null;
        f.note = edit.note.trim();
        return;
      }
      case 'undo':
        return;
    }
  }

  function due(until: string): RecommendationDue[] {
    return [...groups.values()]
      .flatMap((g) =>
        g.recommendations.flatMap((r) => {
          const next = finished(r) ? undefined : r.followUps.filter((f) => f.doneOn === null).sort((a, b) => a.due.localeCompare(b.due))[0];
          return next && next.due <= until
            ? [{ groupId: g.id, groupName: g.name, recommendationId: r.id, text: r.text, owner: r.owner, status: r.status, due: next.due, overdue: next.due < today() }]
            : [];
        }),
      )
      .sort((a, b) => a.due.localeCompare(b.due));
  }

  const methods = {
    async groups(): Promise<GroupSummary[]> {
      must();
      return [...groups.values()]
        .map((g) => ({
          id: g.id,
          name: g.name,
          bassin: g.bassin,
          closed: g.closed,
          members: g.members.filter((m) => !m.left).length,
          meetings: g.meetings.length,
          openRecommendations: g.recommendations.filter((r) => !finished(r)).length,
        }))
        .sort((a, b) => Number(a.closed) - Number(b.closed) || a.name.localeCompare(b.name));
    },
    async group(id: string): Promise<Group> {
      must();
      return structuredClone(get(id));
    },
    async newGroup(input: GroupInput): Promise<string> {
      must();
      if (!input.name.trim()) throw fieldError('GROUP_NAME_EMPTY', 'name');
      const id = newId();
      groups.set(id, {
        id,
        name: input.name.trim(),
        bassin: input.bassin,
        problem: input.problem.trim(),
        members: [],
        meetings: [],
        observations: [],
        recommendations: [],
        closed: false,
        created: `${today()}T09:00:00Z`,
      });
      return id;
    },
    async editGroup(id: string, edit: GroupEdit): Promise<Group> {
      must();
      const g = get(id);
      if (edit.kind === 'undo') {
        const earlier = before.get(id);
        if (!earlier) throw { code: 'NOTHING_TO_UNDO', message: 'nothing to undo', violations: [] } satisfies ErrorReport;
        groups.set(id, earlier);
        before.delete(id);
        return structuredClone(earlier);
      }
      const copy = structuredClone(g);
      // As the shell would: the edit arrives serialised (the window hands in reactive proxies).
      apply(copy, JSON.parse(JSON.stringify(edit)) as GroupEdit);
      before.set(id, g);
      groups.set(id, copy);
      return structuredClone(copy);
    },
    async printGroup(id: string, lang: string) {
      must();
      return { path: `/home/test/Documents/Proxi/${get(id).name} rapport ${lang}.pdf` };
    },
  };
  return { methods, due };
}
