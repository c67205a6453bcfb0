//! Hospital liaison on real stores: stays and their return-home checklist, the follow-up list, the
//! FHIR export (only with consent, audited), the import of a discharge Bundle as proposals, the round
//! trip, and bad files refused whole with the JSON path.

use jiff::civil::{Date, date};
use proxi::Proxi;
use proxi::domain::{ActionInput, ConsentInput, MemberInput, NetworkRole, PriorityInput, Who};
use proxi::error::ErrorCode;
use proxi::fhir::import::{ProposalStatus, ProposedItem};
use proxi::hospital::{ChecklistItem, ItemSource, StayInput};
use proxi::store::AuditAction;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{new_store, reopen, someone};

fn stay(admitted: Date, discharge_on: Option<Date>) -> StayInput {
    StayInput {
        admitted,
        hospital: "Hôpital Fictif".into(),
        hospital_service: None,
        ward: "Gériatrie".into(),
        hospital_contact: "Mme Liaison-Exemple 02 000 00 99".into(),
        reason: "Chute à domicile".into(),
        told: "Le médecin traitant, la fille".into(),
        discharge_on,
        discharge_to: String::new(),
        discharged: false,
    }
}

fn action(what: &str, who: Who, due: Option<Date>) -> ActionInput {
    ActionInput {
        what: what.into(),
        who,
        due,
        priority_id: None,
        outcome: String::new(),
    }
}

#[test]
fn a_stay_from_admission_to_a_prepared_return_home() {
    let (_dir, path, mut app) = new_store();
    let person = app.create_person(someone("Zénobe")).expect("person");

    // Wrong stays are refused field by field, and nothing is stored.
    let mut bad = stay(date(2026, 11, 20), Some(date(2026, 11, 19)));
    bad.hospital = "  ".into();
    let e = app.admit(person, bad).expect_err("refused");
    let codes: Vec<_> = e
        .violations()
        .iter()
        .map(|v| (v.code, v.field.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (ErrorCode::HospitalEmpty, "hospital"),
            (ErrorCode::DischargeBeforeAdmission, "dischargeOn")
        ]
    );
    let mut left = stay(date(2026, 11, 20), None);
    left.discharged = true;
    assert_eq!(
        app.admit(person, left).expect_err("refused").code(),
        ErrorCode::DischargeDateMissing
    );
    assert!(app.plan(person).expect("plan").plan.stays.is_empty());

    // Admitted on the 20th (the clock says 2026-11-23): in hospital, listed.
    let id = app
        .admit(person, stay(date(2026, 11, 20), None))
        .expect("admitted");
    let f = app.follow_up(7, 14).expect("follow-up");
    assert_eq!(f.in_hospital.len(), 1);
    assert_eq!(f.in_hospital[0].hospital, "Hôpital Fictif");
    assert_eq!(f.in_hospital[0].checklist_open, 6);
    assert!(f.discharges.is_empty());

    // The discharge planned in 3 days: listed in the discharges to prepare.
    let mut planned = stay(date(2026, 11, 20), Some(date(2026, 11, 26)));
    planned.discharge_to = "Domicile".into();
    app.edit_stay(person, id, planned.clone()).expect("planned");
    let f = app.follow_up(7, 14).expect("follow-up");
    assert_eq!(f.discharges.len(), 1);
    assert_eq!(f.discharges[0].discharge_on, Some(date(2026, 11, 26)));
    // The history says what the change changed.
    let last = &app.history(person).expect("history")[0];
    assert_eq!(last.action, "stay.edit");
    let changed: Vec<(&str, &str, &str)> = last
        .changes
        .iter()
        .map(|c| (c.item.as_str(), c.label.as_str(), c.field.as_str()))
        .collect();
    assert_eq!(
        changed,
        [
            ("stay", "Hôpital Fictif", "dischargeOn"),
            ("stay", "Hôpital Fictif", "dischargeTo")
        ]
    );

    // Two checklist items become actions with owners and dates; one is not needed.
    let nurse = app
        .checklist_action(
            person,
            id,
            ChecklistItem::HomeNursing,
            action(
                "Infirmière à domicile pour les pansements",
                Who::Referent,
                Some(date(2026, 11, 26)),
            ),
        )
        .expect("an action");
    app.checklist_action(
        person,
        id,
        ChecklistItem::FirstTwoDays,
        action(
            "Passer le premier soir",
            Who::InformalCarer {
                name: "Sophie (fille)".into(),
            },
            Some(date(2026, 11, 26)),
        ),
    )
    .expect("an action");
    app.set_checklist_not_needed(person, id, ChecklistItem::Meals, true)
        .expect("set aside");
    // An unknown stay is refused.
    assert_eq!(
        app.checklist_action(
            person,
            Uuid::nil(),
            ChecklistItem::Meals,
            action("x", Who::Referent, None)
        )
        .expect_err("no such stay")
        .code(),
        ErrorCode::ItemNotFound
    );

    let mut app = reopen_with(app, &path);
    let plan = app.plan(person).expect("plan");
    let a = plan
        .plan
        .actions
        .iter()
        .find(|a| a.id == nurse)
        .expect("the action");
    assert_eq!(
        a.source,
        Some(ItemSource::Checklist {
            stay: id,
            item: ChecklistItem::HomeNursing
        })
    );
    assert_eq!(
        proxi::hospital::checklist_open(&plan.plan.stays[0], &plan.plan.actions),
        [
            ChecklistItem::Equipment,
            ChecklistItem::HomeHelp,
            ChecklistItem::MedicationReview
        ]
    );
    let f = app.follow_up(7, 14).expect("follow-up");
    assert_eq!(f.discharges[0].checklist_open, 3);
    // The checklist's actions are in the follow-up's due actions too.
    assert!(f.actions.iter().any(|d| d.action_id == nurse));

    // The person's record (their right of access) holds the stay.
    let record = app.record(person, Some("fr")).expect("record");
    let file = record_file(&record);
    let text = tool("pdftotext", &[file.path().to_str().expect("path"), "-"]);
    assert!(
        text.contains("Séjours à l’hôpital")
            && text.contains("Hôpital Fictif — entrée 20 novembre 2026"),
        "{text}"
    );

    // Left on the 26th: no longer in hospital.
    planned.discharged = true;
    app.edit_stay(person, id, planned).expect("discharged");
    let f = app.follow_up(7, 14).expect("follow-up");
    assert!(f.in_hospital.is_empty());
    // Undo brings the stay back as it was.
    app.undo(person).expect("undo");
    assert!(!app.plan(person).expect("plan").plan.stays[0].discharged);
}

fn reopen_with(app: Proxi, path: &std::path::Path) -> Proxi {
    drop(app);
    reopen(path)
}

/// A plan with every kind of owner: the person, the referent, a carer, a network member, ranked
/// priorities (one achieved), a consent to share with the GP.
fn full_plan(app: &mut Proxi) -> Uuid {
    let person = app.create_person(someone("Hervé")).expect("person");
    let words = [
        "Marcher jusqu'au marché du dimanche",
        "Voir mes petits-enfants plus souvent",
        "Moins de douleur au dos le matin",
    ];
    let mut priorities = Vec::new();
    for w in words {
        priorities.push(
            app.add_priority(
                person,
                PriorityInput {
                    words: w.into(),
                    card: Some("moving".into()),
                    review_date: Some(date(2027, 1, 18)),
                },
            )
            .expect("priority"),
        );
    }
    app.set_priority_status(
        person,
        priorities[2],
        proxi::domain::PriorityStatus::Achieved,
    )
    .expect("achieved");
    let gp = app
        .add_member(
            person,
            MemberInput {
                role: NetworkRole::Gp,
                name: "Dr Exemple-Généraliste".into(),
                organisation: "Maison médicale Fictive".into(),
                phone: "02 000 00 01".into(),
                email: String::new(),
            },
        )
        .expect("gp");
    app.add_member(
        person,
        MemberInput {
            role: NetworkRole::InformalCarer,
            name: "Sophie (fille)".into(),
            organisation: String::new(),
            phone: "0470 00 00 02".into(),
            email: String::new(),
        },
    )
    .expect("carer");
    let owners = [
        Who::Person,
        Who::Referent,
        Who::Member { id: gp },
        Who::InformalCarer {
            name: "Voisin Exemple".into(),
        },
    ];
    for (i, who) in owners.into_iter().enumerate() {
        let mut a = action(
            &format!("Action {i} du plan"),
            who,
            Some(date(2026, 12, 1 + i as i8)),
        );
        a.priority_id = Some(priorities[i % 2]);
        app.add_action(person, a).expect("action");
    }
    app.record_consent(
        person,
        ConsentInput {
            recorded_on: date(2026, 11, 23),
            keep_plan: true,
            share_with_team: false,
            professionals: vec!["Dr Exemple-Généraliste".into()],
        },
    )
    .expect("consent");
    person
}

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

fn tool(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed: {e}"));
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_liaison_sheet_holds_the_stay_the_plan_and_the_return_home_on_one_page_in_french_and_dutch() {
    let (dir, _path, mut app) = new_store();
    let person = full_plan(&mut app);
    let stay = app
        .admit(person, stay(date(2026, 11, 20), Some(date(2026, 11, 27))))
        .expect("admitted");
    app.checklist_action(
        person,
        stay,
        ChecklistItem::HomeNursing,
        action(
            "Infirmière pour les pansements",
            Who::Referent,
            Some(date(2026, 11, 27)),
        ),
    )
    .expect("action");
    app.set_checklist_not_needed(person, stay, ChecklistItem::Meals, true)
        .expect("not needed");
    let squash = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (lang, words) in [
        (
            "fr",
            [
                "Fiche de liaison pour l’hôpital — Hervé Exemple",
                "Hôpital Fictif — entrée le 20 novembre 2026",
                "Référent hospitalier : Mme Liaison-Exemple 02 000 00 99",
                "1. Marcher jusqu'au marché du dimanche",
                "Soins infirmiers à domicile : Infirmière pour les pansements (Test Referent, 27 novembre 2026)",
                "Repas : pas nécessaire",
                "Matériel : à organiser",
            ],
        ),
        (
            "nl",
            [
                "Verbindingsfiche voor het ziekenhuis — Hervé Exemple",
                "Hôpital Fictif — opgenomen op 20 november 2026",
                "Ziekenhuisreferent: Mme Liaison-Exemple 02 000 00 99",
                "1. Marcher jusqu'au marché du dimanche",
                "Thuisverpleging: Infirmière pour les pansements (Test Referent, 27 november 2026)",
                "Maaltijden: niet nodig",
                "Materiaal: te regelen",
            ],
        ),
    ] {
        let pdf = app.liaison_sheet(person, lang).expect("the sheet");
        let file = dir.path().join(format!("liaison-{lang}.pdf"));
        std::fs::write(&file, pdf).expect("write");
        let file = file.to_str().expect("path");
        tool("qpdf", &["--check", file]);
        let info = tool("pdfinfo", &[file]);
        assert!(
            info.lines()
                .any(|l| l.split_whitespace().eq(["Pages:", "1"])),
            "{info}"
        );
        // French puts a narrow no-break space before the colon; pdftotext reads it as a space.
        let text = squash(tool("pdftotext", &[file, "-"])).replace('\u{202f}', " ");
        for w in words {
            assert!(text.contains(w), "{lang}: {w:?} in {text}");
        }
    }
    // A language hospitals do not write in here: refused, in words.
    assert_eq!(
        app.liaison_sheet(person, "ar")
            .expect_err("no liaison words")
            .code(),
        ErrorCode::SheetFailed
    );
    let log = app.audit_log(Some(person), 3).expect("log");
    assert_eq!(log[0].action, AuditAction::Print);
}

#[test]
fn a_plan_handed_over_to_a_colleague_keeps_its_history_and_later_edits_merge() {
    let (_a_dir, _a_path, mut anna) = new_store();
    let (_b_dir, b_path, mut bert) = new_store();
    let person = full_plan(&mut anna);
    let history = anna.history(person).expect("history").len();

    let handed = anna.handover_out(person, "Bert Collègue").expect("sealed");
    assert_eq!(
        handed.code.len(),
        24,
        "five groups of four: {}",
        handed.code
    );
    let log = anna.audit_log(Some(person), 1).expect("log");
    assert_eq!(log[0].action, AuditAction::Handover);
    assert_eq!(log[0].party.as_deref(), Some("Bert Collègue"));
    // The file holds no word of the plan in clear.
    let text = String::from_utf8_lossy(&handed.file);
    assert!(
        !text.contains("Hervé") && !text.contains("marché"),
        "{text}"
    );
    assert_eq!(
        proxi::handover::peek(&handed.file).expect("header").to,
        "Bert Collègue"
    );

    // A wrong code, a changed header, a damaged file: refused, nothing written.
    let wrong = "0000-0000-0000-0000-0000";
    assert_eq!(
        bert.handover_in(&handed.file, wrong)
            .expect_err("wrong code")
            .code(),
        ErrorCode::HandoverCodeWrong
    );
    let mut header: Value = serde_json::from_slice(&handed.file).expect("JSON");
    header["to"] = json!("Quelqu'un d'autre");
    assert_eq!(
        bert.handover_in(&serde_json::to_vec(&header).expect("bytes"), &handed.code)
            .expect_err("changed header")
            .code(),
        ErrorCode::HandoverCodeWrong
    );
    assert_eq!(
        bert.handover_in(b"{\"format\":\"proxi.person/1\"}", &handed.code)
            .expect_err("not a handover")
            .code(),
        ErrorCode::HandoverInvalid
    );
    assert!(bert.plan(person).is_err(), "nothing written");

    // The right code, typed in lower case with spaces: the same plan and its whole history.
    let typed = handed.code.to_lowercase().replace('-', " ");
    assert_eq!(
        bert.handover_in(&handed.file, &typed).expect("opened"),
        person
    );
    let mut bert = reopen_with(bert, &b_path);
    assert_eq!(
        bert.plan(person).expect("plan"),
        anna.plan(person).expect("plan")
    );
    assert_eq!(
        bert.history(person).expect("history").len(),
        history + 1 - 1
    );

    // Later edits on both sides merge: Anna rewords a priority, Bert adds an action; each hands the
    // plan to the other again.
    let first = anna.plan(person).expect("plan").plan.priorities[0].id;
    anna.edit_priority(
        person,
        first,
        PriorityInput {
            words: "Marcher jusqu'au marché, même lentement".into(),
            card: None,
            review_date: None,
        },
    )
    .expect("reworded");
    bert.add_action(person, action("Appeler la mutuelle", Who::Referent, None))
        .expect("added");
    let to_anna = bert.handover_out(person, "Anna").expect("sealed");
    anna.handover_in(&to_anna.file, &to_anna.code)
        .expect("merged");
    let to_bert = anna.handover_out(person, "Bert Collègue").expect("sealed");
    bert.handover_in(&to_bert.file, &to_bert.code)
        .expect("merged");
    let (a, b) = (
        anna.plan(person).expect("plan"),
        bert.plan(person).expect("plan"),
    );
    assert_eq!(a, b);
    assert_eq!(
        a.plan.priorities[0].words,
        "Marcher jusqu'au marché, même lentement"
    );
    assert!(
        a.plan
            .actions
            .iter()
            .any(|x| x.what == "Appeler la mutuelle")
    );
}

fn record_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("a file");
    std::fs::write(file.path(), pdf).expect("write");
    file
}

#[test]
fn a_national_number_is_checked_by_its_check_digits_and_never_required() {
    let (_dir, _path, mut app) = new_store();
    let mut input = someone("Zénobe");
    // Born from 2000: the check number counts a 2 in front of the nine first digits.
    for (given, kept) in [
        ("85.07.30-033.28", "85073003328"),
        ("00010100105", "00010100105"),
    ] {
        input.niss = Some(given.into());
        let id = app.create_person(input.clone()).expect(given);
        assert_eq!(
            app.plan(id).expect("plan").person.niss.as_deref(),
            Some(kept)
        );
    }
    for wrong in ["85073003329", "8507300332", "85O73003328"] {
        input.niss = Some(wrong.into());
        let e = app.create_person(input.clone()).expect_err(wrong);
        assert_eq!(e.violations()[0].code, ErrorCode::NissInvalid, "{wrong}");
        assert_eq!(e.violations()[0].field, "niss");
    }
    input.niss = Some("  ".into());
    let id = app.create_person(input).expect("empty is none");
    assert_eq!(app.plan(id).expect("plan").person.niss, None);
}
