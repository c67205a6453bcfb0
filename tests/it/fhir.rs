//! The FHIR files on real stores: the export only with consent and audited, the import of a
//! discharge Bundle as proposals, the round trip, and bad files refused whole with the JSON path.

use jiff::civil::date;
use proxi::Proxi;
use proxi::domain::ConsentInput;
use proxi::error::ErrorCode;
use proxi::fhir::import::{ProposalStatus, ProposedItem};
use proxi::hospital::ItemSource;
use proxi::store::AuditAction;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::hospital::full_plan;
use crate::support::{new_store, someone};

#[test]
fn the_fhir_export_needs_consent_and_is_audited_either_way() {
    let (_dir, _path, mut app) = new_store();
    let person = full_plan(&mut app);

    let e = app
        .fhir_export(person, "Dr Inconnu")
        .expect_err("no consent for this one");
    assert_eq!(e.code(), ErrorCode::ShareNotConsented);
    let log = app.audit_log(Some(person), 10).expect("log");
    assert_eq!(log[0].action, AuditAction::ShareRefused);
    assert_eq!(log[0].party.as_deref(), Some("Dr Inconnu"));

    // Named as the consent names them, in any case and without accents.
    let bundle = app
        .fhir_export(person, "dr exemple-generaliste")
        .expect("allowed");
    let log = app.audit_log(Some(person), 10).expect("log");
    assert_eq!(log[0].action, AuditAction::Share);
    assert_eq!(log[0].party.as_deref(), Some("Dr Exemple-Généraliste"));

    assert_eq!(bundle["resourceType"], "Bundle");
    let kinds: Vec<&str> = entries(&bundle)
        .map(|r| r["resourceType"].as_str().expect("a type"))
        .collect();
    for kind in [
        "Patient",
        "Goal",
        "CarePlan",
        "CareTeam",
        "RelatedPerson",
        "Consent",
        "Practitioner",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    // Goals in the person's words, in their order.
    let goals: Vec<(&str, i64)> = entries(&bundle)
        .filter(|r| r["resourceType"] == "Goal")
        .map(|r| {
            (
                r["description"]["text"].as_str().expect("words"),
                r["extension"][0]["valueInteger"].as_i64().expect("rank"),
            )
        })
        .collect();
    assert_eq!(goals[0], ("Marcher jusqu'au marché du dimanche", 1));
    assert_eq!(goals.len(), 3);
    // Every reference resolves inside the Bundle.
    let urls: Vec<&str> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["fullUrl"].as_str().expect("fullUrl"))
        .collect();
    let text = bundle.to_string();
    for r in text.split("\"reference\":\"").skip(1) {
        let r = &r[..r.find('"').expect("end")];
        assert!(urls.contains(&r), "{r} resolves");
    }
    // Without a consent at all: refused as well.
    let other = app.create_person(someone("Odile")).expect("person");
    assert_eq!(
        app.fhir_export(other, "Dr Exemple-Généraliste")
            .expect_err("no consent")
            .code(),
        ErrorCode::ShareNotConsented
    );
}

fn entries(bundle: &Value) -> impl Iterator<Item = &Value> {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
}

/// What a Bundle says of the plan, without ids: goals (words, rank, status, due), activities (words,
/// status, due, owner's kind and name, goal's words), the team (names and role codes).
fn essence(bundle: &Value) -> (Vec<String>, Vec<String>, Vec<String>) {
    let by_url: std::collections::HashMap<&str, &Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["fullUrl"].as_str().expect("url"), &e["resource"]))
        .collect();
    let name = |r: &Value| {
        let r = by_url[r["reference"].as_str().expect("reference")];
        format!("{}:{}", r["resourceType"], r["name"][0]["text"])
    };
    let mut goals: Vec<String> = entries(bundle)
        .filter(|r| r["resourceType"] == "Goal")
        .map(|g| {
            format!(
                "{} #{} {} {}",
                g["description"]["text"],
                g["extension"][0]["valueInteger"],
                g["lifecycleStatus"],
                g["target"]
            )
        })
        .collect();
    goals.sort();
    let mut activities: Vec<String> = entries(bundle)
        .filter(|r| r["resourceType"] == "CarePlan")
        .flat_map(|cp| cp["activity"].as_array().cloned().unwrap_or_default())
        .map(|a| {
            let d = &a["detail"];
            let goal = d["goal"][0]["reference"]
                .as_str()
                .map(|g| by_url[g]["description"]["text"].to_string())
                .unwrap_or_default();
            format!(
                "{} {} {} {} {}",
                d["description"],
                d["status"],
                d["scheduledPeriod"]["end"],
                name(&d["performer"][0]),
                goal
            )
        })
        .collect();
    activities.sort();
    let mut team: Vec<String> = entries(bundle)
        .filter(|r| r["resourceType"] == "CareTeam")
        .flat_map(|t| t["participant"].as_array().cloned().unwrap_or_default())
        .map(|p| {
            format!(
                "{} {}",
                p["role"][0]["coding"][0]["code"],
                name(&p["member"])
            )
        })
        .collect();
    team.sort();
    (goals, activities, team)
}

#[test]
fn export_then_import_into_an_empty_person_then_export_gives_the_same_plan() {
    let (_dir, _path, mut app) = new_store();
    let person = full_plan(&mut app);
    let first = app
        .fhir_export(person, "Dr Exemple-Généraliste")
        .expect("export");

    let empty = app
        .create_person(someone("Hervé"))
        .expect("the same person elsewhere");
    let bytes = serde_json::to_vec(&first).expect("bytes");
    let summary = app.fhir_import(empty, &bytes).expect("imported");
    assert_eq!(summary.already_in_plan, 0);
    // 3 goals, 2 network members (the referent is us), 4 activities.
    assert_eq!(summary.proposed, 9);
    let plan = app.plan(empty).expect("plan");
    assert!(plan.plan.priorities.is_empty(), "nothing enters unasked");
    assert!(
        plan.plan
            .proposals
            .iter()
            .all(|p| p.status == ProposalStatus::Pending)
    );

    // Accept everything: goals first (in rank order), then the network, then the activities.
    let order = |p: &proxi::fhir::import::Proposal| match &p.item {
        ProposedItem::Goal { rank, .. } => (0, *rank),
        ProposedItem::Member { .. } => (1, 0),
        ProposedItem::Activity { .. } => (2, 0),
    };
    let mut proposals = plan.plan.proposals.clone();
    proposals.sort_by_key(order);
    for p in &proposals {
        app.accept_proposal(empty, p.id).expect("accepted");
    }
    let plan = app.plan(empty).expect("plan");
    assert!(plan.plan.priorities.iter().all(|p| matches!(
        &p.source,
        Some(ItemSource::Hospital { resource, .. }) if resource.starts_with("Goal/")
    )));
    app.record_consent(
        empty,
        ConsentInput {
            recorded_on: date(2026, 11, 23),
            keep_plan: true,
            share_with_team: false,
            professionals: vec!["Dr Exemple-Généraliste".into()],
        },
    )
    .expect("consent");
    let second = app
        .fhir_export(empty, "Dr Exemple-Généraliste")
        .expect("export");
    let (a, b) = (essence(&first), essence(&second));
    assert_eq!(a.0, b.0, "goals");
    assert_eq!(a.1, b.1, "activities");
    assert_eq!(a.2, b.2, "team");
    assert_eq!(a.0.len(), 3);
    assert_eq!(a.1.len(), 4);
    assert_eq!(a.2.len(), 3);

    // The same file again: everything is already there, nothing proposed twice.
    let again = app.fhir_import(empty, &bytes).expect("imported");
    assert_eq!((again.proposed, again.already_in_plan), (0, 9));
}

#[test]
fn proposals_are_decided_once_and_rejected_ones_leave_the_plan_alone() {
    let (_dir, _path, mut app) = new_store();
    let person = full_plan(&mut app);
    let bundle = app
        .fhir_export(person, "Dr Exemple-Généraliste")
        .expect("export");
    let other = app.create_person(someone("Odile")).expect("person");
    app.fhir_import(other, &serde_json::to_vec(&bundle).expect("bytes"))
        .expect("imported");
    let proposals = app.plan(other).expect("plan").plan.proposals;
    let (a, b) = (proposals[0].id, proposals[1].id);
    app.reject_proposal(other, a).expect("rejected");
    app.accept_proposal(other, b).expect("accepted");
    assert_eq!(
        app.accept_proposal(other, a).expect_err("decided").code(),
        ErrorCode::ProposalDecided
    );
    assert_eq!(
        app.reject_proposal(other, b).expect_err("decided").code(),
        ErrorCode::ProposalDecided
    );
    let plan = app.plan(other).expect("plan");
    assert_eq!(plan.plan.priorities.len(), 1, "only the accepted one");
    // Undo takes the acceptance back: the proposal waits again.
    app.undo(other).expect("undo");
    let plan = app.plan(other).expect("plan");
    assert!(plan.plan.priorities.is_empty());
    assert_eq!(
        plan.plan
            .proposals
            .iter()
            .find(|p| p.id == b)
            .expect("b")
            .status,
        ProposalStatus::Pending
    );
    let log = app.audit_log(Some(other), 5).expect("log");
    assert!(log.iter().any(|e| e.action == AuditAction::Import));
}

fn refused(app: &mut Proxi, person: Uuid, bytes: &[u8]) -> String {
    let before = app.history(person).expect("history").len();
    let e = app.fhir_import(person, bytes).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::FhirFileInvalid, "{e}");
    assert_eq!(
        app.history(person).expect("history").len(),
        before,
        "nothing stored"
    );
    assert!(app.plan(person).expect("plan").plan.proposals.is_empty());
    e.to_string()
}

#[test]
fn bad_bundles_are_refused_whole_with_their_path_and_rule() {
    let (_dir, _path, mut app) = new_store();
    let source = full_plan(&mut app);
    let good = app
        .fhir_export(source, "Dr Exemple-Généraliste")
        .expect("export");
    let person = app.create_person(someone("Odile")).expect("person");
    let goal_at = good["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .position(|e| e["resource"]["resourceType"] == "Goal")
        .expect("a goal");
    let plan_at = good["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .position(|e| e["resource"]["resourceType"] == "CarePlan")
        .expect("a care plan");
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut b = good.clone();
        change(&mut b);
        serde_json::to_vec(&b).expect("bytes")
    };

    let e = refused(
        &mut app,
        person,
        &broken(&|b| b["resourceType"] = json!("Patient")),
    );
    assert_eq!(
        e,
        "resourceType: must be \"Bundle\" (this file holds a Patient); nothing was imported"
    );

    let e = refused(
        &mut app,
        person,
        &broken(&|b| {
            b["entry"][plan_at]["resource"]["goal"][0]["reference"] = json!("Goal/nowhere")
        }),
    );
    assert_eq!(
        e,
        format!(
            "entry[{plan_at}].resource.goal[0].reference: points at \"Goal/nowhere\", which is not in the file; nothing was imported"
        )
    );

    // A reference to a contained resource: not read, refused (and never a crash).
    let e = refused(
        &mut app,
        person,
        &broken(&|b| {
            let team = b["entry"]
                .as_array_mut()
                .expect("entries")
                .iter_mut()
                .find(|e| e["resource"]["resourceType"] == "CareTeam")
                .expect("a team");
            team["resource"]["participant"][1]["member"]["reference"] = json!("#someone");
        }),
    );
    assert!(
        e.contains("points at \"#someone\", which is not in the file"),
        "{e}"
    );

    let e = refused(
        &mut app,
        person,
        &broken(&|b| {
            b["entry"][goal_at]["resource"]
                .as_object_mut()
                .expect("goal")
                .remove("description");
        }),
    );
    assert_eq!(
        e,
        format!(
            "entry[{goal_at}].resource.description: missing required element; nothing was imported"
        )
    );

    let e = refused(
        &mut app,
        person,
        &broken(&|b| {
            b["entry"][plan_at]["resource"]["activity"][1]["detail"]
                .as_object_mut()
                .expect("detail")
                .remove("status");
        }),
    );
    assert!(
        e.starts_with(&format!(
            "entry[{plan_at}].resource.activity[1].detail.status: missing required element"
        )),
        "{e}"
    );

    let e = refused(
        &mut app,
        person,
        &broken(&|b| b["entry"][goal_at]["resource"]["target"][0]["dueDate"] = json!("soon")),
    );
    assert!(
        e.contains("target[0].dueDate: \"soon\" is not a date"),
        "{e}"
    );

    // 50 MB: refused before it is read.
    let mut big =
        br#"{"resourceType":"Bundle","type":"collection","entry":[],"padding":""#.to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    big.extend_from_slice(b"\"}");
    let e = refused(&mut app, person, &big);
    assert!(
        e.starts_with("$: the file is 50 MB; a discharge file is at most 5 MB"),
        "{e}"
    );

    // Nested 10,000 deep: refused, not a crash.
    let deep = format!(
        "{{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"x\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = refused(&mut app, person, deep.as_bytes());
    assert!(e.starts_with("$: nested too deep"), "{e}");

    // Not JSON at all, and JSON that is not an object.
    let e = refused(&mut app, person, b"<Bundle/>");
    assert!(e.starts_with("$: not JSON (line 1, column 1)"), "{e}");
    let e = refused(&mut app, person, b"[1, 2]");
    assert!(e.starts_with("$: a FHIR file is a JSON object"), "{e}");
}
