//! Hospital stays on real stores: admission and discharge, the return-home checklist that becomes
//! actions, the follow-up list, the history's words and the person's record; the liaison sheet; the
//! national number. (The FHIR files are in `fhir.rs`, handing a plan over in `handover.rs`.)

use jiff::civil::{Date, date};
use proxi::Proxi;
use proxi::domain::{ActionInput, ConsentInput, MemberInput, NetworkRole, PriorityInput, Who};
use proxi::error::ErrorCode;
use proxi::hospital::{ChecklistItem, ItemSource, StayInput};
use proxi::store::AuditAction;
use uuid::Uuid;

use crate::support::{new_store, pdf_file, reopen, someone, tool};

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

pub(crate) fn action(what: &str, who: Who, due: Option<Date>) -> ActionInput {
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
    let file = pdf_file(&record);
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

pub(crate) fn reopen_with(app: Proxi, path: &std::path::Path) -> Proxi {
    drop(app);
    reopen(path)
}

/// A plan with every kind of owner: the person, the referent, a carer, a network member, ranked
/// priorities (one achieved), a consent to share with the GP.
pub(crate) fn full_plan(app: &mut Proxi) -> Uuid {
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
