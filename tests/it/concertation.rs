//! Concertations around a person on real stores: participants, the slots that gather the most
//! (a property over random availabilities, and examples with ties and nobody available), and the
//! invitation in Brussels time on both sides of a clock change.

use jiff::civil::{DateTime, date};
use proptest::prelude::*;
use proxi::concertation::{
    Concertation, ConcertationInput, MeetingSlot, Participant, ParticipantInput, ParticipantKind,
    rank_slots,
};
use proxi::domain::{MemberInput, NetworkRole};
use proxi::error::ErrorCode;
use uuid::Uuid;

use crate::support::{new_store, pdf_file, reopen, someone, tool};

fn at(d: i8, h: i8) -> DateTime {
    date(2027, 3, d).at(h, 0, 0, 0)
}

fn concertation(available: &[Vec<usize>], slots: usize) -> Concertation {
    Concertation {
        id: Uuid::nil(),
        title: "Concertation".into(),
        place: String::new(),
        video_link: String::new(),
        minutes: 60,
        slots: (0..slots)
            .map(|i| MeetingSlot {
                id: Uuid::from_u128(100 + i as u128),
                start: at(1 + (i % 27) as i8, 9 + (i / 27) as i8),
            })
            .collect(),
        participants: available
            .iter()
            .enumerate()
            .map(|(n, can)| Participant {
                id: Uuid::from_u128(n as u128 + 1),
                kind: ParticipantKind::Other,
                name: format!("P{n}"),
                role: String::new(),
                email: String::new(),
                phone: String::new(),
                riziv: String::new(),
                available: can
                    .iter()
                    .map(|i| Uuid::from_u128(100 + *i as u128))
                    .collect(),
                present: None,
            })
            .collect(),
        chosen: None,
        notes: Vec::new(),
        next_date: None,
        created: jiff::Timestamp::UNIX_EPOCH,
    }
}

proptest! {
    /// The slot proposed first gathers at least as many participants as any other offered slot, every
    /// slot is listed once, and each lists everyone once, present or missing.
    #[test]
    fn the_first_slot_gathers_at_least_as_many_as_any_other(
        slots in 1usize..12,
        available in proptest::collection::vec(proptest::collection::vec(0usize..12, 0..12), 0..10),
    ) {
        let available: Vec<Vec<usize>> = available
            .into_iter()
            .map(|v| v.into_iter().filter(|i| *i < slots).collect())
            .collect();
        let c = concertation(&available, slots);
        let ranked = rank_slots(&c);
        prop_assert_eq!(ranked.len(), slots);
        let best = ranked[0].present.len();
        for choice in &ranked {
            prop_assert!(best >= choice.present.len());
            prop_assert_eq!(choice.present.len() + choice.missing.len(), available.len());
            // Counted by hand from the availabilities.
            let index = c.slots.iter().position(|s| s.id == choice.slot).expect("offered");
            let can = available.iter().filter(|a| a.contains(&index)).count();
            prop_assert_eq!(choice.present.len(), can);
        }
        // In order: more present first; among equals, the earlier first.
        for w in ranked.windows(2) {
            prop_assert!(
                w[0].present.len() > w[1].present.len()
                    || (w[0].present.len() == w[1].present.len() && w[0].start <= w[1].start)
            );
        }
    }
}

#[test]
fn ties_go_to_the_earlier_time_and_nobody_available_lists_everyone_missing() {
    // Slots 0 and 2 both gather two; slot 0 is earlier.
    let c = concertation(&[vec![0, 2], vec![2, 0], vec![1]], 3);
    let ranked = rank_slots(&c);
    assert_eq!(ranked[0].slot, Uuid::from_u128(100));
    assert_eq!(ranked[1].slot, Uuid::from_u128(102));
    assert_eq!(ranked[0].missing, ["P2"]);
    let nobody = concertation(&[vec![], vec![]], 2);
    let ranked = rank_slots(&nobody);
    assert!(
        ranked
            .iter()
            .all(|s| s.present.is_empty() && s.missing == ["P0", "P1"])
    );
    assert_eq!(
        ranked[0].start,
        at(1, 9),
        "the earliest first when nobody can come"
    );
    assert!(rank_slots(&concertation(&[vec![]], 0)).is_empty());
}

#[test]
fn a_concertation_is_organised_kept_and_invited_to_in_brussels_time() {
    let (_dir, path, mut app) = new_store();
    let person = app.create_person(someone("Zénobe")).expect("person");
    app.add_priority(
        person,
        proxi::domain::PriorityInput {
            words: "Rester chez moi".into(),
            card: None,
            review_date: None,
        },
    )
    .expect("priority");
    let gp = app
        .add_member(
            person,
            MemberInput {
                role: NetworkRole::Gp,
                name: "Dr Exemple".into(),
                organisation: String::new(),
                phone: String::new(),
                email: "dr.exemple@exemple.be".into(),
            },
        )
        .expect("gp");
    // Wrong inputs: refused by rule.
    let bad = app
        .new_concertation(
            person,
            ConcertationInput {
                title: " ".into(),
                place: String::new(),
                video_link: String::new(),
                minutes: 5,
            },
        )
        .expect_err("refused");
    let codes: Vec<_> = bad.violations().iter().map(|v| v.code).collect();
    assert_eq!(
        codes,
        [ErrorCode::WordsEmpty, ErrorCode::ConcertationLengthInvalid]
    );
    let id = app
        .new_concertation(
            person,
            ConcertationInput {
                title: "Concertation autour de Zénobe".into(),
                place: "Maison médicale Fictive".into(),
                video_link: "https://visio.exemple/zenobe".into(),
                minutes: 90,
            },
        )
        .expect("new");
    let invite = |app: &mut proxi::Proxi, kind, name: &str, email: &str| {
        app.add_participant(
            person,
            id,
            ParticipantInput {
                kind,
                name: name.into(),
                role: String::new(),
                email: email.into(),
                phone: String::new(),
                riziv: String::new(),
            },
        )
    };
    assert_eq!(
        invite(
            &mut app,
            ParticipantKind::Member { id: Uuid::nil() },
            "X",
            ""
        )
        .expect_err("not in the network")
        .code(),
        ErrorCode::ActionMemberUnknown
    );
    assert_eq!(
        invite(&mut app, ParticipantKind::Other, "Y", "not-an-email")
            .expect_err("bad email")
            .code(),
        ErrorCode::EmailInvalid
    );
    let zenobe = invite(&mut app, ParticipantKind::Person, "Zénobe", "").expect("person");
    let doctor = invite(
        &mut app,
        ParticipantKind::Member { id: gp },
        "Dr Exemple",
        "dr.exemple@exemple.be",
    )
    .expect("gp");
    let nurse = invite(
        &mut app,
        ParticipantKind::Other,
        "Inès Infirmière",
        "ines@exemple.be",
    )
    .expect("nurse");

    // Brussels moves to summer time on 28 March 2027 at 02:00: 02:30 does not exist that day.
    assert_eq!(
        app.add_slot(
            person,
            id,
            at(28, 2).with().minute(30).build().expect("time")
        )
        .expect_err("no such time")
        .code(),
        ErrorCode::SlotNotInBrussels
    );
    let before = app
        .add_slot(person, id, at(26, 10))
        .expect("Friday before the change");
    let after = app.add_slot(person, id, at(29, 10)).expect("Monday after");
    for (who, slot) in [
        (zenobe, before),
        (zenobe, after),
        (doctor, after),
        (nurse, before),
    ] {
        app.set_available(person, id, who, slot, true)
            .expect("available");
    }
    let mut app = {
        drop(app);
        reopen(&path)
    };
    let plan = app.plan(person).expect("plan");
    let ranked = rank_slots(&plan.plan.concertations[0]);
    assert_eq!(ranked[0].slot, before, "two each: the earlier first");
    assert_eq!(ranked[0].missing, ["Dr Exemple"]);
    assert_eq!(
        app.invitation(person, id, None, "fr")
            .expect_err("no time yet")
            .code(),
        ErrorCode::ConcertationNoTime
    );
    app.choose_slot(person, id, Some(after)).expect("chosen");
    let ics = app.invitation(person, id, None, "fr").expect("invitation");
    for line in [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Brussels",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "DTSTART;TZID=Europe/Brussels:20270329T100000",
        "DTEND;TZID=Europe/Brussels:20270329T113000",
        "ATTENDEE;CN=\"Dr Exemple\";ROLE=REQ-PARTICIPANT:mailto:dr.exemple@exemple.be",
    ] {
        assert!(ics.contains(line), "{line} in {ics}");
    }
    assert!(ics.contains("SUMMARY:Concertation autour de Zénobe"));
    // The invitation may travel by ordinary email: no word of the plan in it.
    assert!(
        !ics.contains("Rester chez moi")
            && !ics.contains("Rue de l'Exemple")
            && !ics.contains("02 000 00 00")
    );
    // One participant's invitation names them alone.
    let one = app.invitation(person, id, Some(nurse), "nl").expect("one");
    assert!(one.contains("mailto:ines@exemple.be") && !one.contains("mailto:dr.exemple"));
    assert!(one.contains("Agenda:"));
}

#[test]
fn the_meeting_is_recorded_and_its_decisions_become_actions_linked_to_it() {
    let (_dir, path, mut app) = new_store();
    let person = app.create_person(someone("Zénobe")).expect("person");
    let id = app
        .new_concertation(
            person,
            ConcertationInput {
                title: "Concertation".into(),
                place: String::new(),
                video_link: String::new(),
                minutes: 60,
            },
        )
        .expect("new");
    let add = |app: &mut proxi::Proxi, kind, name: &str, role: &str| {
        app.add_participant(
            person,
            id,
            ParticipantInput {
                kind,
                name: name.into(),
                role: role.into(),
                email: String::new(),
                phone: String::new(),
                riziv: "1-23456-78-901".into(),
            },
        )
        .expect("invited")
    };
    let zenobe = add(&mut app, ParticipantKind::Person, "Zénobe", "");
    let social = add(
        &mut app,
        ParticipantKind::Other,
        "Assistante sociale Exemple",
        "CPAS",
    );
    app.record_meeting(
        person,
        id,
        proxi::concertation::MeetingInput {
            present: vec![zenobe],
            notes: vec![proxi::concertation::PointNote {
                point: proxi::concertation::AgendaPoint::Actions,
                note: "Le kiné ne passe plus depuis deux semaines.".into(),
            }],
            next_date: Some(date(2027, 1, 15)),
        },
    )
    .expect("recorded");
    // A decision without words, or for someone not invited: refused, nothing added.
    assert_eq!(
        app.decide(person, id, zenobe, " ".into(), None)
            .expect_err("no words")
            .code(),
        ErrorCode::ActionWhatEmpty
    );
    assert_eq!(
        app.decide(person, id, Uuid::nil(), "x".into(), None)
            .expect_err("not invited")
            .code(),
        ErrorCode::ItemNotFound
    );
    let first = app
        .decide(
            person,
            id,
            zenobe,
            "Appeler le kiné".into(),
            Some(date(2026, 12, 1)),
        )
        .expect("decided");
    let second = app
        .decide(person, id, social, "Demander l'aide au CPAS".into(), None)
        .expect("decided");
    let app = {
        drop(app);
        reopen(&path)
    };
    let mut app = app;
    let plan = app.plan(person).expect("plan");
    let c = &plan.plan.concertations[0];
    assert_eq!(c.participants[0].present, Some(true));
    assert_eq!(c.participants[1].present, Some(false));
    assert_eq!(c.next_date, Some(date(2027, 1, 15)));
    assert_eq!(c.notes.len(), 1);
    for action in [first, second] {
        let a = plan
            .plan
            .actions
            .iter()
            .find(|a| a.id == action)
            .expect("in the plan");
        assert_eq!(
            a.source,
            Some(proxi::hospital::ItemSource::Concertation { concertation: id })
        );
    }
    // The one typed in joined the network, and owns the decision there.
    let member = plan
        .plan
        .network
        .iter()
        .find(|m| m.name == "Assistante sociale Exemple")
        .expect("in the network");
    assert_eq!(
        plan.plan
            .actions
            .iter()
            .find(|a| a.id == second)
            .expect("action")
            .who,
        proxi::domain::Who::Member { id: member.id }
    );
    // The papers: the report finds every decision, the attendance sheet every participant with the
    // RIZIV number and a line to sign; both pass qpdf, in French and Dutch.
    for (lang, attendance, words) in [
        (
            "fr",
            false,
            vec![
                "Concertation — compte rendu",
                "Présents",
                "Zénobe",
                "Absents",
                "Appeler le kiné — la personne — 1er décembre 2026",
                "Demander l'aide au CPAS — Assistante sociale Exemple",
                "Le kiné ne passe plus depuis deux semaines.",
                "Prochaine concertation",
                "15 janvier 2027",
            ],
        ),
        (
            "nl",
            false,
            vec![
                "Concertation — verslag",
                "Wat beslist werd",
                "Appeler le kiné — de persoon — 1 december 2026",
            ],
        ),
        (
            "fr",
            true,
            vec![
                "Concertation — liste de présence",
                "Zénobe — —",
                "Assistante sociale Exemple — CPAS",
                "Numéro INAMI : 1-23456-78-901",
                "Signature : ____",
            ],
        ),
    ] {
        let pdf = app
            .concertation_paper(person, id, attendance, lang)
            .expect("paper");
        let file = pdf_file(&pdf);
        let f = file.path().to_str().expect("path");
        tool("qpdf", &["--check", f]);
        let text = tool("pdftotext", &[f, "-"])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('\u{202f}', " ");
        for w in words {
            assert!(text.contains(w), "{lang}: {w:?} in {text}");
        }
    }
    assert_eq!(
        app.concertation_paper(person, id, false, "ar")
            .expect_err("not in Arabic")
            .code(),
        ErrorCode::SheetFailed
    );

    // The decisions are on the person's sheet.
    let pdf = app.sheet(person, Some("fr"), None).expect("sheet");
    let file = pdf_file(&pdf);
    let text = tool("pdftotext", &[file.path().to_str().expect("path"), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Appeler le kiné") && text.contains("Demander l'aide au CPAS"),
        "{text}"
    );
}
