//! A discharge Bundle from a hospital, read into proposals.
//!
//! The whole file is checked before anything is kept: it must be a FHIR R4 Bundle, every resource
//! must have what FHIR requires of it (for the resources Proxi reads), and every reference must point
//! inside the file. A file that breaks a rule is refused with the JSON path and the rule; nothing is
//! half-imported. Its Goals, CarePlan activities and CareTeam participants become proposals in the
//! plan (`super::proposal`), which the referent accepts or rejects one by one.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::export::{role_from_code, role_from_snomed};
pub use super::proposal::{Proposal, ProposalStatus, ProposedItem, ProposedOwner};
use super::{MAX_FILE_BYTES, system};
use crate::app::Proxi;
use crate::domain::{ActionStatus, NetworkRole, PlanDocument, PriorityStatus};
use crate::error::{Error, Result};
use crate::store::AuditAction;
use crate::text::fold;

/// What an import proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportSummary {
    pub bundle: String,
    /// New proposals.
    pub proposed: u32,
    /// Items of the file the plan already has (same id or same words): not proposed again.
    pub already_in_plan: u32,
}

fn refuse(path: &str, rule: impl Into<String>) -> Error {
    Error::FhirFile {
        path: if path.is_empty() {
            "$".to_owned()
        } else {
            path.to_owned()
        },
        rule: rule.into(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn get<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a Value> {
    v.get(key)
        .ok_or_else(|| refuse(&join(path, key), "missing required element"))
}

fn string<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a str> {
    get(v, path, key)?
        .as_str()
        .ok_or_else(|| refuse(&join(path, key), "must be a string"))
}

fn opt_string<'a>(v: &'a Value, path: &str, key: &str) -> Result<Option<&'a str>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(refuse(&join(path, key), "must be a string")),
    }
}

fn array<'a>(v: &'a Value, path: &str, key: &str) -> Result<&'a [Value]> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(refuse(&join(path, key), "must be an array")),
    }
}

/// A FHIR date or dateTime, as its day.
fn date(v: &Value, path: &str, key: &str) -> Result<Option<Date>> {
    let Some(text) = opt_string(v, path, key)? else {
        return Ok(None);
    };
    text.get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .map(Some)
        .ok_or_else(|| {
            refuse(
                &join(path, key),
                format!("\"{text}\" is not a date (YYYY-MM-DD)"),
            )
        })
}

fn one_of<'a>(v: &'a Value, path: &str, key: &str, allowed: &[&str]) -> Result<&'a str> {
    let s = string(v, path, key)?;
    if allowed.contains(&s) {
        Ok(s)
    } else {
        Err(refuse(
            &join(path, key),
            format!("\"{s}\" is not one of {}", allowed.join(", ")),
        ))
    }
}

/// The words of a CodeableConcept: its text, else its first coding's display.
fn concept_text(v: &Value) -> Option<String> {
    v.get("text")
        .and_then(Value::as_str)
        .or_else(|| v.pointer("/coding/0/display").and_then(Value::as_str))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn name_of(resource: &Value) -> String {
    if let Some(name) = resource.get("name") {
        if let Some(s) = name.as_str() {
            return s.trim().to_owned();
        }
        if let Some(first) = name.get(0) {
            if let Some(text) = first.get("text").and_then(Value::as_str) {
                return text.trim().to_owned();
            }
            let given: Vec<&str> = first
                .get("given")
                .and_then(Value::as_array)
                .map(|g| g.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let family = first.get("family").and_then(Value::as_str).unwrap_or("");
            return format!("{} {family}", given.join(" ")).trim().to_owned();
        }
    }
    String::new()
}

fn role_of(concept: Option<&Value>) -> Option<NetworkRole> {
    let codings = concept?.get("coding")?.as_array()?;
    codings.iter().find_map(|c| {
        let code = c.get("code")?.as_str()?;
        match c.get("system")?.as_str()? {
            s if s == system::PROXI_ROLE => role_from_code(code),
            s if s == system::SNOMED => role_from_snomed(code),
            _ => None,
        }
    })
}

/// Every `reference` in `v`, with its path.
fn references(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let p = join(path, k);
                if k == "reference"
                    && let Value::String(r) = x
                {
                    out.push((p, r.clone()));
                } else {
                    references(x, &p, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                references(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The checked file: its resources by every name a reference can use.
struct Bundle<'a> {
    name: String,
    resources: Vec<(String, &'a Value)>,
    by_ref: BTreeMap<String, usize>,
}

impl<'a> Bundle<'a> {
    fn check(root: &'a Value) -> Result<Self> {
        if !root.is_object() {
            return Err(refuse("$", "a FHIR file is a JSON object"));
        }
        let kind = string(root, "", "resourceType")?;
        if kind != "Bundle" {
            return Err(refuse(
                "resourceType",
                format!("must be \"Bundle\" (this file holds a {kind})"),
            ));
        }
        string(root, "", "type")?;
        let name = root
            .pointer("/identifier/value")
            .and_then(Value::as_str)
            .or_else(|| root.get("id").and_then(Value::as_str))
            .unwrap_or("bundle")
            .to_owned();
        let mut resources = Vec::new();
        let mut by_ref = BTreeMap::new();
        for (i, entry) in array(root, "", "entry")?.iter().enumerate() {
            let path = format!("entry[{i}]");
            let resource = get(entry, &path, "resource")?;
            let rpath = format!("{path}.resource");
            if !resource.is_object() {
                return Err(refuse(&rpath, "must be an object"));
            }
            let kind = string(resource, &rpath, "resourceType")?;
            if let Some(full) = opt_string(entry, &path, "fullUrl")? {
                by_ref.insert(full.to_owned(), i);
            }
            if let Some(id) = opt_string(resource, &rpath, "id")? {
                by_ref.insert(format!("{kind}/{id}"), i);
            }
            resources.push((rpath, resource));
        }
        let bundle = Bundle {
            name,
            resources,
            by_ref,
        };
        for (path, resource) in &bundle.resources {
            let mut refs = Vec::new();
            references(resource, path, &mut refs);
            for (at, r) in refs {
                // Contained resources ("#…") are not read: such a reference is refused like any
                // other that does not point at an entry of the file.
                if bundle.resolve(&r).is_none() {
                    return Err(refuse(
                        &at,
                        format!("points at \"{r}\", which is not in the file"),
                    ));
                }
            }
        }
        Ok(bundle)
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let i = *self.by_ref.get(reference).or_else(|| {
            // "Patient/1" also finds "http://hospital/fhir/Patient/1".
            self.by_ref
                .iter()
                .find(|(k, _)| k.ends_with(&format!("/{reference}")))
                .map(|(_, i)| i)
        })?;
        Some(self.resources[i].1)
    }

    fn of_kind(&self, kind: &'a str) -> impl Iterator<Item = &(String, &'a Value)> + '_ {
        self.resources
            .iter()
            .filter(move |(_, r)| r.get("resourceType").and_then(Value::as_str) == Some(kind))
    }
}

fn label(resource: &Value, fallback: &str) -> String {
    let kind = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("?");
    match resource.get("id").and_then(Value::as_str) {
        Some(id) => format!("{kind}/{id}"),
        None => fallback.to_owned(),
    }
}

fn proxi_id(resource: &Value) -> Option<Uuid> {
    resource
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("system").and_then(Value::as_str) == Some(system::PROXI_ID))?
        .get("value")?
        .as_str()?
        .parse()
        .ok()
}

/// Reads `bytes` as a discharge Bundle and lists what it proposes for `plan`.
///
/// # Errors
/// [`Error::FhirFile`] with the JSON path and the rule, for the first problem of the file.
pub fn proposals(
    bytes: &[u8],
    plan: &PlanDocument,
    now: jiff::Timestamp,
) -> Result<(String, Vec<Proposal>, u32)> {
    let today = now.to_zoned(crate::clock::brussels()).date();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse(
            "$",
            format!(
                "the file is {} MB; a discharge file is at most {} MB",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            refuse(
                "$",
                format!(
                    "nested too deep (line {}); a FHIR file is not that deep",
                    e.line()
                ),
            )
        } else {
            refuse(
                "$",
                format!("not JSON (line {}, column {}): {e}", e.line(), e.column()),
            )
        }
    })?;
    let bundle = Bundle::check(&root)?;
    let mut out = Vec::new();
    let mut already = 0u32;
    let known_words: BTreeSet<String> = plan
        .plan
        .priorities
        .iter()
        .map(|p| fold(&p.words))
        .collect();
    let known_actions: BTreeSet<String> = plan.plan.actions.iter().map(|a| fold(&a.what)).collect();
    let known_ids: BTreeSet<Uuid> = plan
        .plan
        .priorities
        .iter()
        .map(|p| p.id)
        .chain(plan.plan.actions.iter().map(|a| a.id))
        .chain(plan.plan.network.iter().map(|m| m.id))
        .collect();
    let proposal = |resource: String, item: ProposedItem| Proposal {
        id: crate::clock::new_id(now),
        bundle: bundle.name.clone(),
        resource,
        received: today,
        status: ProposalStatus::Pending,
        item,
        accepted_as: None,
    };

    // Goals, with the proposal each became (for the activities that serve them).
    let mut goal_proposals: BTreeMap<*const Value, Uuid> = BTreeMap::new();
    let mut goals: Vec<(u32, usize, String, &Value)> = Vec::new();
    for (i, (path, goal)) in bundle.of_kind("Goal").enumerate() {
        one_of(
            goal,
            path,
            "lifecycleStatus",
            &[
                "proposed",
                "planned",
                "accepted",
                "active",
                "on-hold",
                "completed",
                "cancelled",
                "entered-in-error",
                "rejected",
            ],
        )?;
        get(goal, path, "subject")?;
        let description = get(goal, path, "description")?;
        let words = concept_text(description)
            .ok_or_else(|| refuse(&join(path, "description.text"), "a goal needs its words"))?;
        let rank = array(goal, path, "extension")?
            .iter()
            .find(|e| e.get("url").and_then(Value::as_str) == Some(system::RANK_EXTENSION))
            .and_then(|e| e.get("valueInteger"))
            .and_then(Value::as_u64)
            .map_or(u32::MAX, |r| u32::try_from(r).unwrap_or(u32::MAX));
        goals.push((rank, i, words, goal));
    }
    goals.sort_by_key(|(rank, i, _, _)| (*rank, *i));
    for (order, (rank, _, words, goal)) in goals.into_iter().enumerate() {
        let path = bundle
            .resources
            .iter()
            .find(|(_, r)| std::ptr::eq(*r, goal))
            .map(|(p, _)| p.clone())
            .unwrap_or_default();
        if proxi_id(goal).is_some_and(|id| known_ids.contains(&id))
            || known_words.contains(&fold(&words))
        {
            already += 1;
            continue;
        }
        let status = match goal.get("lifecycleStatus").and_then(Value::as_str) {
            Some("completed") => PriorityStatus::Achieved,
            Some("cancelled" | "rejected") => PriorityStatus::LetGo,
            _ => PriorityStatus::Active,
        };
        let review_date = match goal.pointer("/target/0") {
            Some(t) => date(t, &join(&path, "target[0]"), "dueDate")?,
            None => None,
        };
        let p = proposal(
            label(goal, &path),
            ProposedItem::Goal {
                words,
                rank: if rank == u32::MAX {
                    order as u32 + 1
                } else {
                    rank
                },
                status,
                review_date,
            },
        );
        goal_proposals.insert(std::ptr::from_ref(goal), p.id);
        out.push(p);
    }

    // The care team: who is the proximity referent (not proposed: it is us), who the others are.
    let mut referents: BTreeSet<*const Value> = BTreeSet::new();
    let mut roles: BTreeMap<*const Value, NetworkRole> = BTreeMap::new();
    let known_names: BTreeSet<String> = plan.plan.network.iter().map(|m| fold(&m.name)).collect();
    let mut members = Vec::new();
    for (path, team) in bundle.of_kind("CareTeam") {
        for (k, part) in array(team, path, "participant")?.iter().enumerate() {
            let ppath = format!("{path}.participant[{k}]");
            let Some(member) = part.get("member") else {
                continue;
            };
            let target = bundle
                .resolve(string(member, &join(&ppath, "member"), "reference")?)
                .expect("references were checked");
            let role_concept = part.pointer("/role/0");
            let is_referent = role_concept
                .and_then(|c| c.get("coding"))
                .and_then(Value::as_array)
                .is_some_and(|cs| {
                    cs.iter().any(|c| {
                        c.get("system").and_then(Value::as_str) == Some(system::PROXI_ROLE)
                            && c.get("code").and_then(Value::as_str) == Some("proximityReferent")
                    })
                });
            if is_referent {
                referents.insert(std::ptr::from_ref(target));
                continue;
            }
            let kind = target
                .get("resourceType")
                .and_then(Value::as_str)
                .unwrap_or("");
            if kind == "Patient" {
                continue;
            }
            let role = role_of(role_concept)
                .or_else(|| role_of(target.pointer("/relationship/0")))
                .unwrap_or(if kind == "RelatedPerson" {
                    NetworkRole::InformalCarer
                } else {
                    NetworkRole::Other
                });
            roles.insert(std::ptr::from_ref(target), role);
            members.push((
                format!("{}#participant[{k}]", label(team, path)),
                target,
                role,
            ));
        }
    }
    for (resource, target, role) in members {
        let name = name_of(target);
        if name.is_empty() {
            continue;
        }
        if proxi_id(target).is_some_and(|id| known_ids.contains(&id))
            || known_names.contains(&fold(&name))
        {
            already += 1;
            continue;
        }
        let phone = target
            .pointer("/telecom/0/value")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        out.push(proposal(
            resource,
            ProposedItem::Member { role, name, phone },
        ));
    }

    // The activities of every care plan.
    for (path, cp) in bundle.of_kind("CarePlan") {
        one_of(
            cp,
            path,
            "status",
            &[
                "draft",
                "active",
                "on-hold",
                "revoked",
                "completed",
                "entered-in-error",
                "unknown",
            ],
        )?;
        string(cp, path, "intent")?;
        get(cp, path, "subject")?;
        for (j, activity) in array(cp, path, "activity")?.iter().enumerate() {
            let apath = format!("{path}.activity[{j}]");
            let Some(detail) = activity.get("detail") else {
                continue;
            };
            let dpath = join(&apath, "detail");
            let status = match one_of(
                detail,
                &dpath,
                "status",
                &[
                    "not-started",
                    "scheduled",
                    "in-progress",
                    "on-hold",
                    "completed",
                    "cancelled",
                    "stopped",
                    "unknown",
                    "entered-in-error",
                ],
            )? {
                "in-progress" => ActionStatus::Doing,
                "completed" => ActionStatus::Done,
                "cancelled" | "stopped" | "entered-in-error" => ActionStatus::Dropped,
                _ => ActionStatus::Planned,
            };
            let what = opt_string(detail, &dpath, "description")?
                .map(|s| s.trim().to_owned())
                .or_else(|| detail.get("code").and_then(concept_text))
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    refuse(&join(&dpath, "description"), "an activity needs its words")
                })?;
            if known_actions.contains(&fold(&what))
                || array(activity, &apath, "extension")?.iter().any(|e| {
                    e.get("url").and_then(Value::as_str) == Some(system::PROXI_ID)
                        && e.get("valueString")
                            .and_then(Value::as_str)
                            .and_then(|v| v.parse::<Uuid>().ok())
                            .is_some_and(|id| known_ids.contains(&id))
                })
            {
                already += 1;
                continue;
            }
            let due = match detail.get("scheduledPeriod") {
                Some(period) => date(period, &join(&dpath, "scheduledPeriod"), "end")?,
                None => date(detail, &dpath, "scheduledString")?,
            };
            let owner = match detail
                .pointer("/performer/0/reference")
                .and_then(Value::as_str)
            {
                None => ProposedOwner::Referent,
                Some(r) => {
                    let target = bundle.resolve(r).expect("references were checked");
                    let key = std::ptr::from_ref(target);
                    match target
                        .get("resourceType")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                    {
                        "Patient" => ProposedOwner::Person,
                        _ if referents.contains(&key) => ProposedOwner::Referent,
                        "Organization" => match target
                            .get("identifier")
                            .and_then(Value::as_array)
                            .and_then(|ids| {
                                ids.iter().find(|i| {
                                    i.get("system").and_then(Value::as_str)
                                        == Some(system::PROXI_SERVICE)
                                })
                            })
                            .and_then(|i| i.get("value"))
                            .and_then(Value::as_str)
                        {
                            Some(id) => ProposedOwner::Service {
                                id: id.to_owned(),
                                name: name_of(target),
                            },
                            None => ProposedOwner::Named {
                                name: name_of(target),
                                role: NetworkRole::Other,
                            },
                        },
                        "RelatedPerson" if !roles.contains_key(&key) => ProposedOwner::Carer {
                            name: name_of(target),
                        },
                        _ => ProposedOwner::Named {
                            name: name_of(target),
                            role: roles.get(&key).copied().unwrap_or(NetworkRole::Other),
                        },
                    }
                }
            };
            let goal = detail
                .pointer("/goal/0/reference")
                .and_then(Value::as_str)
                .and_then(|r| bundle.resolve(r))
                .and_then(|g| goal_proposals.get(&std::ptr::from_ref(g)).copied());
            let outcome = detail
                .get("statusReason")
                .and_then(concept_text)
                .unwrap_or_default();
            out.push(proposal(
                format!("{}#activity[{j}]", label(cp, path)),
                ProposedItem::Activity {
                    what,
                    owner,
                    due,
                    status,
                    goal,
                    outcome,
                },
            ));
        }
    }
    Ok((bundle.name, out, already))
}

impl Proxi {
    /// Reads a hospital's discharge Bundle into proposals for `person`'s plan, in one change (all
    /// or nothing). Audited as an import, naming the file's Bundle.
    ///
    /// # Errors
    /// [`Error::FhirFile`] with the path and the rule (nothing stored); [`Error::PersonNotFound`];
    /// [`Error::PersonArchived`]; [`Error::Storage`].
    pub fn fhir_import(&mut self, person: Uuid, bytes: &[u8]) -> Result<ImportSummary> {
        let plan = self.plan(person)?;
        let (bundle, proposals, already) = proposals(bytes, &plan, self.now())?;
        let proposed = proposals.len() as u32;
        if proposed > 0 {
            self.change(person, "hospital.import", |plan, _, _| {
                plan.plan.proposals.extend(proposals);
                Ok(())
            })?;
        }
        let now = self.now();
        self.store()
            .audit_with(now, AuditAction::Import, person, Some(&bundle))?;
        Ok(ImportSummary {
            bundle,
            proposed,
            already_in_plan: already,
        })
    }
}
