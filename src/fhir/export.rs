//! A person's plan as a FHIR R4 Bundle (type `collection`) following the HL7 Belgium profiles.
//!
//! Every reference points at an entry of the same Bundle by its `urn:uuid:` full URL. Ids are stable:
//! the person's and the items' own ids, or (for a carer named in an action, a service, the referent)
//! a name-based UUID under the person's id, so that two exports of one plan name the same resources.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{profile, system};
use crate::app::Proxi;
use crate::domain::{ActionStatus, AgreedAction, NetworkRole, PlanDocument, PriorityStatus, Who};
use crate::error::{Error, Result};
use crate::store::AuditAction;
use crate::text::fold;

/// What an export needs besides the plan.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The referent who signs the plan (the store's author).
    pub referent: &'a str,
    /// The professional the file goes to, as named in the person's consent.
    pub recipient: &'a str,
    /// Directory services the actions point at: id → name.
    pub services: BTreeMap<String, String>,
    pub now: Timestamp,
    /// This Bundle's own id.
    pub bundle_id: Uuid,
}

/// The professional as the person's consent names them, when the person agreed to share their plan
/// with `professional` (names compared without case, accents or extra spaces).
pub fn consented<'a>(plan: &'a PlanDocument, professional: &str) -> Option<&'a str> {
    let wanted = fold(professional);
    let consent = plan.consent.as_ref().filter(|c| c.keep_plan)?;
    consent
        .professionals
        .iter()
        .find(|p| !wanted.is_empty() && fold(p) == wanted)
        .map(String::as_str)
}

/// The SNOMED CT code of a role, where one says it plainly.
fn snomed_role(role: NetworkRole) -> Option<(&'static str, &'static str)> {
    Some(match role {
        NetworkRole::Gp => ("62247001", "General practitioner"),
        NetworkRole::Nurse => ("106292003", "Professional nurse"),
        NetworkRole::Pharmacist => ("46255001", "Pharmacist"),
        NetworkRole::SocialWorker => ("106328005", "Social worker"),
        NetworkRole::Physiotherapist => ("36682004", "Physiotherapist"),
        NetworkRole::Psychologist => ("59944000", "Psychologist"),
        NetworkRole::InformalCarer => ("133932002", "Caregiver"),
        NetworkRole::Family => ("303071001", "Person in the family"),
        _ => return None,
    })
}

/// Proxi's code of a role (the `urn:proxi:network-role` system).
pub fn role_code(role: NetworkRole) -> &'static str {
    match role {
        NetworkRole::InformalCarer => "informalCarer",
        NetworkRole::Family => "family",
        NetworkRole::Gp => "gp",
        NetworkRole::Nurse => "nurse",
        NetworkRole::Pharmacist => "pharmacist",
        NetworkRole::SocialWorker => "socialWorker",
        NetworkRole::HomeHelp => "homeHelp",
        NetworkRole::Physiotherapist => "physiotherapist",
        NetworkRole::Psychologist => "psychologist",
        NetworkRole::HospitalReferent => "hospitalReferent",
        NetworkRole::Other => "other",
    }
}

/// The role a Proxi code names.
pub fn role_from_code(code: &str) -> Option<NetworkRole> {
    [
        NetworkRole::InformalCarer,
        NetworkRole::Family,
        NetworkRole::Gp,
        NetworkRole::Nurse,
        NetworkRole::Pharmacist,
        NetworkRole::SocialWorker,
        NetworkRole::HomeHelp,
        NetworkRole::Physiotherapist,
        NetworkRole::Psychologist,
        NetworkRole::HospitalReferent,
        NetworkRole::Other,
    ]
    .into_iter()
    .find(|r| role_code(*r) == code)
}

/// The role a SNOMED CT code names, for files that code roles that way only.
pub fn role_from_snomed(code: &str) -> Option<NetworkRole> {
    [
        NetworkRole::Gp,
        NetworkRole::Nurse,
        NetworkRole::Pharmacist,
        NetworkRole::SocialWorker,
        NetworkRole::Physiotherapist,
        NetworkRole::Psychologist,
        NetworkRole::InformalCarer,
        NetworkRole::Family,
    ]
    .into_iter()
    .find(|r| snomed_role(*r).is_some_and(|(c, _)| c == code))
}

fn role_concept(role: NetworkRole, text: &str) -> Value {
    let mut coding = vec![json!({ "system": system::PROXI_ROLE, "code": role_code(role) })];
    if let Some((code, display)) = snomed_role(role) {
        coding.push(json!({ "system": system::SNOMED, "code": code, "display": display }));
    }
    json!({ "coding": coding, "text": text })
}

fn is_related(role: NetworkRole) -> bool {
    matches!(role, NetworkRole::InformalCarer | NetworkRole::Family)
}

fn urn(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

fn reference(id: Uuid) -> Value {
    json!({ "reference": urn(id) })
}

fn proxi_identifier(id: Uuid) -> Value {
    json!([{ "system": system::PROXI_ID, "value": id.to_string() }])
}

fn human_name(full: &str) -> Value {
    json!([{ "text": full.trim() }])
}

fn phone(phone: &str) -> Option<Value> {
    (!phone.trim().is_empty()).then(|| json!([{ "system": "phone", "value": phone.trim() }]))
}

/// The Bundle's resources, built one by one.
struct Builder<'a> {
    plan: &'a PlanDocument,
    ctx: &'a Context<'a>,
    entries: Vec<Value>,
    /// Resources already written, by id (a carer or service named by several actions is one).
    written: std::collections::BTreeSet<Uuid>,
}

impl Builder<'_> {
    fn derived(&self, kind: &str, name: &str) -> Uuid {
        Uuid::new_v5(
            &self.plan.person.id,
            format!("{kind}:{}", fold(name)).as_bytes(),
        )
    }

    fn push(&mut self, id: Uuid, mut resource: Value, profile: Option<&str>) {
        if !self.written.insert(id) {
            return;
        }
        resource["id"] = json!(id.to_string());
        if let Some(p) = profile {
            resource["meta"] = json!({ "profile": [p] });
        }
        self.entries
            .push(json!({ "fullUrl": urn(id), "resource": resource }));
    }

    fn patient(&mut self) -> Uuid {
        let p = &self.plan.person;
        let mut identifier = proxi_identifier(p.id);
        if let Some(niss) = &p.niss {
            identifier
                .as_array_mut()
                .expect("an array")
                .push(json!({ "use": "official", "system": system::SSIN, "value": niss }));
        }
        let full = format!("{} {}", p.first_name.trim(), p.last_name.trim());
        let text = if full.trim().is_empty() {
            p.display_name.trim()
        } else {
            full.trim()
        };
        let mut name = json!({ "text": text });
        if !p.last_name.trim().is_empty() {
            name["family"] = json!(p.last_name.trim());
        }
        if !p.first_name.trim().is_empty() {
            name["given"] = json!([p.first_name.trim()]);
        }
        let mut patient = json!({
            "resourceType": "Patient",
            "identifier": identifier,
            "active": !p.archived,
            "name": [name],
        });
        if let Some(t) = phone(&p.phone) {
            patient["telecom"] = t;
        }
        if let Some(year) = p.birth_year {
            patient["birthDate"] = json!(format!("{year:04}"));
        }
        let a = &p.address;
        if !(a.street.trim().is_empty() && a.postal_code.is_empty() && a.commune.is_empty()) {
            let mut address = json!({ "use": "home", "country": "BE" });
            if !a.street.trim().is_empty() {
                address["line"] = json!([a.street.trim()]);
            }
            if !a.postal_code.trim().is_empty() {
                address["postalCode"] = json!(a.postal_code.trim());
            }
            if !a.commune.trim().is_empty() {
                address["city"] = json!(a.commune.trim());
            }
            patient["address"] = json!([address]);
        }
        if !p.languages.is_empty() {
            patient["communication"] = p
                .languages
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "language": { "coding": [{ "system": system::BCP47, "code": l }] },
                        "preferred": i == 0,
                    })
                })
                .collect();
        }
        self.push(p.id, patient, Some(profile::PATIENT));
        p.id
    }

    fn practitioner(&mut self, id: Uuid, name: &str, phone_number: &str, org: &str) {
        let mut r = json!({
            "resourceType": "Practitioner",
            "identifier": proxi_identifier(id),
            "name": human_name(name),
        });
        if let Some(t) = phone(phone_number) {
            r["telecom"] = t;
        }
        if !org.trim().is_empty() {
            // BePractitioner has no organisation of its own: the organisation is said in words.
            r["name"][0]["suffix"] = json!([org.trim()]);
        }
        self.push(id, r, Some(profile::PRACTITIONER));
    }

    fn related(&mut self, id: Uuid, name: &str, phone_number: &str, role: NetworkRole) {
        let mut r = json!({
            "resourceType": "RelatedPerson",
            "identifier": proxi_identifier(id),
            "patient": reference(self.plan.person.id),
            "name": human_name(name),
            "relationship": [role_concept(role, role_code(role))],
        });
        if let Some(t) = phone(phone_number) {
            r["telecom"] = t;
        }
        self.push(id, r, Some(profile::RELATED_PERSON));
    }

    fn referent(&mut self) -> Uuid {
        let id = self.derived("referent", self.ctx.referent);
        let referent = self.ctx.referent.to_owned();
        self.practitioner(id, &referent, "", "");
        id
    }

    /// The resource that carries out `action`, written if needed.
    fn owner(&mut self, action: &AgreedAction) -> Uuid {
        match &action.who {
            Who::Person => self.plan.person.id,
            Who::Referent => self.referent(),
            Who::InformalCarer { name } => {
                let id = self.derived("carer", name);
                self.related(id, name, "", NetworkRole::InformalCarer);
                id
            }
            Who::Member { id } => *id,
            Who::Service { id: service } => {
                let id = self.derived("service", service);
                let name = self
                    .ctx
                    .services
                    .get(service)
                    .cloned()
                    .unwrap_or_else(|| service.clone());
                let org = json!({
                    "resourceType": "Organization",
                    "identifier": [{ "system": system::PROXI_SERVICE, "value": service }],
                    "name": name,
                });
                self.push(id, org, Some(profile::ORGANIZATION));
                id
            }
            // A helper of the quartier, private to the team: named as the person knows them (no id
            // of the team's leaves), like an informal carer.
            Who::Community { id: resource } => {
                let name = self
                    .ctx
                    .services
                    .get(&resource.to_string())
                    .cloned()
                    .unwrap_or_default();
                let id = self.derived("community", &resource.to_string());
                self.related(id, &name, "", NetworkRole::Other);
                id
            }
        }
    }
}

fn goal_status(status: PriorityStatus) -> (&'static str, Option<&'static str>) {
    match status {
        PriorityStatus::Active => ("active", None),
        PriorityStatus::Achieved => ("completed", Some("achieved")),
        PriorityStatus::LetGo => ("cancelled", None),
    }
}

fn activity_status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Planned => "scheduled",
        ActionStatus::Doing => "in-progress",
        ActionStatus::Done => "completed",
        ActionStatus::Dropped => "cancelled",
    }
}

/// The plan as a FHIR R4 Bundle. Does not check consent: [`Proxi::fhir_export`] does.
pub fn bundle(plan: &PlanDocument, ctx: &Context<'_>) -> Value {
    let mut b = Builder {
        plan,
        ctx,
        entries: Vec::new(),
        written: std::collections::BTreeSet::new(),
    };
    let patient = b.patient();
    let referent = b.referent();

    // The network first: the actions' owners may be members.
    let mut participants = vec![json!({
        "role": [{ "coding": [{ "system": system::PROXI_ROLE, "code": "proximityReferent" }],
                   "text": "référent de proximité" }],
        "member": reference(referent),
    })];
    for m in plan.plan.network.iter().filter(|m| !m.closed) {
        if is_related(m.role) {
            b.related(m.id, &m.name, &m.phone, m.role);
        } else {
            b.practitioner(m.id, &m.name, &m.phone, &m.organisation);
        }
        participants.push(json!({
            "role": [role_concept(m.role, role_code(m.role))],
            "member": reference(m.id),
        }));
    }
    let team = b.derived("care-team", "network");
    b.push(
        team,
        json!({
            "resourceType": "CareTeam",
            "status": "active",
            "name": format!("Réseau de {}", plan.person.display_name.trim()),
            "subject": reference(patient),
            "participant": participants,
        }),
        Some(profile::CARE_TEAM),
    );

    let mut priorities: Vec<_> = plan.plan.priorities.iter().collect();
    priorities.sort_by_key(|p| (p.status != PriorityStatus::Active, p.rank));
    for p in &priorities {
        let (lifecycle, achievement) = goal_status(p.status);
        let mut goal = json!({
            "resourceType": "Goal",
            "identifier": proxi_identifier(p.id),
            "extension": [{ "url": system::RANK_EXTENSION, "valueInteger": p.rank }],
            "lifecycleStatus": lifecycle,
            "description": { "text": p.words },
            "subject": reference(patient),
            "expressedBy": reference(patient),
            "startDate": p.created.to_zoned(crate::clock::brussels()).date().to_string(),
        });
        if let Some(a) = achievement {
            goal["achievementStatus"] = json!({ "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": a }] });
        }
        if let Some(d) = p.review_date {
            goal["target"] = json!([{ "dueDate": d.to_string() }]);
        }
        b.push(p.id, goal, Some(profile::GOAL));
    }

    let mut activities = Vec::new();
    for a in &plan.plan.actions {
        let owner = b.owner(a);
        let mut detail = json!({
            "status": activity_status(a.status),
            "description": a.what,
            "performer": [reference(owner)],
        });
        if let Some(due) = a.due {
            detail["scheduledPeriod"] = json!({ "end": due.to_string() });
        }
        if let Some(p) = a
            .priority_id
            .filter(|p| plan.plan.priorities.iter().any(|x| x.id == *p))
        {
            detail["goal"] = json!([reference(p)]);
        }
        if !a.outcome.trim().is_empty() {
            detail["statusReason"] = json!({ "text": a.outcome });
        }
        activities.push(json!({
            "extension": [{ "url": system::PROXI_ID, "valueString": a.id.to_string() }],
            "detail": detail,
        }));
    }
    let care_plan = b.derived("care-plan", "plan");
    let mut cp = json!({
        "resourceType": "CarePlan",
        "status": if plan.person.archived { "completed" } else { "active" },
        "intent": "plan",
        "title": "Plan d'accompagnement",
        "subject": reference(patient),
        "period": { "start": plan.person.created.to_zoned(crate::clock::brussels()).date().to_string() },
        "author": reference(referent),
        "careTeam": [reference(team)],
        "goal": priorities.iter().map(|p| reference(p.id)).collect::<Vec<_>>(),
    });
    if !activities.is_empty() {
        cp["activity"] = Value::Array(activities);
    }
    b.push(care_plan, cp, Some(profile::CARE_PLAN));

    if let Some(c) = &plan.consent {
        let recipient = b.derived("recipient", ctx.recipient);
        let member = plan
            .plan
            .network
            .iter()
            .find(|m| fold(&m.name) == fold(ctx.recipient))
            .map(|m| m.id);
        let recipient = member.unwrap_or_else(|| {
            b.practitioner(recipient, ctx.recipient, "", "");
            recipient
        });
        let consent = b.derived("consent", ctx.recipient);
        b.push(
            consent,
            json!({
                "resourceType": "Consent",
                "status": "active",
                "scope": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                         "code": "patient-privacy" }] },
                "category": [{ "coding": [{ "system": "http://loinc.org", "code": "59284-0",
                                            "display": "Patient Consent" }] }],
                "patient": reference(patient),
                "dateTime": c.recorded_on.to_string(),
                "performer": [reference(patient)],
                "policyRule": { "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN" }] },
                "provision": {
                    "type": "permit",
                    "actor": [{
                        "role": { "coding": [{
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                            "code": "IRCP", "display": "information recipient" }] },
                        "reference": reference(recipient),
                    }],
                },
            }),
            Some(profile::CONSENT),
        );
    }

    json!({
        "resourceType": "Bundle",
        "id": ctx.bundle_id.to_string(),
        "identifier": { "system": "urn:ietf:rfc:3986", "value": urn(ctx.bundle_id) },
        "type": "collection",
        "timestamp": ctx.now.to_string(),
        "entry": b.entries,
    })
}

impl Proxi {
    /// The plan of `person` as a FHIR R4 Bundle for `professional`: only when the person agreed to
    /// share their plan with that professional. Allowed or refused, the attempt is audited with the
    /// professional's name.
    ///
    /// # Errors
    /// [`Error::ShareNotConsented`]; [`Error::PersonNotFound`]; [`Error::Storage`].
    pub fn fhir_export(&mut self, person: Uuid, professional: &str) -> Result<Value> {
        let plan = self.plan(person)?;
        let now = self.now();
        let Some(recipient) = consented(&plan, professional).map(str::to_owned) else {
            self.store().audit_with(
                now,
                AuditAction::ShareRefused,
                person,
                Some(professional.trim()),
            )?;
            return Err(Error::ShareNotConsented(professional.trim().to_owned()));
        };
        let mut services = BTreeMap::new();
        for a in &plan.plan.actions {
            if let Who::Service { id } = &a.who
                && let Ok(card) = self.service(id)
            {
                services.insert(id.clone(), card.name);
            }
        }
        for r in self.community().unwrap_or_default() {
            if plan
                .plan
                .actions
                .iter()
                .any(|a| a.who == Who::Community { id: r.id })
            {
                services.insert(r.id.to_string(), r.name);
            }
        }
        let referent = self.store().author().to_owned();
        let ctx = Context {
            referent: &referent,
            recipient: &recipient,
            services,
            now,
            bundle_id: crate::clock::new_id(now),
        };
        let out = bundle(&plan, &ctx);
        self.store()
            .audit_with(now, AuditAction::Share, person, Some(&recipient))?;
        Ok(out)
    }
}
