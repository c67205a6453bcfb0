//! Concertations and Diapason groups through a real relay process: a concertation's decisions merge
//! with edits made apart on another laptop and go with the person's erasure; a group, owned by the
//! team, syncs between laptops while the relay holds none of its words.

mod common;

use std::sync::Mutex;

use common::{Relay, cli, person, plan_json, priority, relay_holds};
use proxi::Proxi;
use proxi::concertation::{ConcertationInput, ParticipantInput, ParticipantKind};
use proxi::group::{GroupEdit, GroupInput, GroupMemberInput, RecommendationStatus};
use proxi::store::PeopleQuery;
use proxi::sync::team;
use proxi::territory::Bassin;
use uuid::Uuid;

use common::team_laptop as laptop;

fn with<R>(l: &Mutex<Proxi>, f: impl FnOnce(&mut Proxi) -> R) -> R {
    f(&mut l.lock().expect("not poisoned"))
}

/// Two laptops of one new team on the relay at `db`.
fn team_of_two(
    dir: &std::path::Path,
    db: &std::path::Path,
    url: &str,
) -> (Mutex<Proxi>, Mutex<Proxi>) {
    let (a, b) = (laptop(dir, "anna"), laptop(dir, "bert"));
    let (ok, code) = cli(db, &["add-team", "--url", url]);
    assert!(ok, "{code}");
    team::create(&a, &code, "Anna").expect("the team starts on Anna's laptop");
    let invitation = team::invite(&a, 30).expect("an invitation");
    team::join(&b, &invitation, "Bert").expect("Bert joins");
    (a, b)
}

fn sync_all(laptops: &[&Mutex<Proxi>]) {
    for l in laptops {
        let report = team::sync(*l).expect("syncs");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
}

fn concertation(app: &mut Proxi, person: Uuid, title: &str) -> (Uuid, Uuid) {
    let c = app
        .new_concertation(
            person,
            ConcertationInput {
                title: title.into(),
                place: "Maison médicale du Canal imaginaire".into(),
                video_link: String::new(),
                minutes: 60,
            },
        )
        .expect("a concertation");
    let doctor = app
        .add_participant(
            person,
            c,
            ParticipantInput {
                kind: ParticipantKind::Other,
                name: "Dr Quenotte Fictive".into(),
                role: "médecin traitant".into(),
                email: "quenotte@example.org".into(),
                phone: String::new(),
                riziv: "1-23456-78-901".into(),
            },
        )
        .expect("a participant");
    (c, doctor)
}

#[test]
fn a_concertation_decision_merges_with_a_plan_edit_made_apart_on_another_laptop() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = team_of_two(dir.path(), &db, &relay.url);
    let zenobie = with(&a, |app| person(app, "Zénobie"));
    with(&a, |app| priority(app, zenobie, "Rester chez moi"));
    sync_all(&[&a, &b]);
    assert!(with(&b, |app| plan_json(app, zenobie)).contains("Rester chez moi"));

    // Apart: Anna holds the concertation and turns a decision into an action; Bert, at the same
    // time, adds a priority and an action of his own on his laptop.
    let (c, doctor) = with(&a, |app| {
        concertation(app, zenobie, "Concertation de janvier")
    });
    let decided = with(&a, |app| {
        app.decide(
            zenobie,
            c,
            doctor,
            "Revoir le traitement du soir".into(),
            None,
        )
        .expect("decided")
    });
    with(&b, |app| priority(app, zenobie, "Revoir mes voisins"));
    with(&b, |app| {
        app.add_action(
            zenobie,
            proxi::domain::ActionInput {
                what: "Appeler la mutuelle".into(),
                who: proxi::domain::Who::Referent,
                due: None,
                priority_id: None,
                outcome: String::new(),
            },
        )
        .expect("Bert's action")
    });
    sync_all(&[&a, &b, &a]);

    let on_a = with(&a, |app| app.plan(zenobie).expect("plan"));
    let on_b = with(&b, |app| app.plan(zenobie).expect("plan"));
    assert_eq!(
        serde_json::to_string(&on_a).expect("json"),
        serde_json::to_string(&on_b).expect("json"),
        "both laptops hold the same plan"
    );
    let action = on_b
        .plan
        .actions
        .iter()
        .find(|x| x.id == decided)
        .expect("the decision is an action on Bert's laptop");
    assert_eq!(action.what, "Revoir le traitement du soir");
    assert!(matches!(
        action.source,
        Some(proxi::hospital::ItemSource::Concertation { concertation }) if concertation == c
    ));
    let doctor_member = on_b
        .plan
        .network
        .iter()
        .find(|m| m.name == "Dr Quenotte Fictive")
        .expect("the doctor typed in joined the network");
    assert!(matches!(action.who, proxi::domain::Who::Member { id } if id == doctor_member.id));
    assert!(
        on_b.plan
            .actions
            .iter()
            .any(|x| x.what == "Appeler la mutuelle")
    );
    assert!(
        on_b.plan
            .priorities
            .iter()
            .any(|p| p.words == "Revoir mes voisins")
    );
    assert_eq!(on_b.plan.concertations.len(), 1);
}

#[test]
fn erasing_a_person_erases_their_concertations_on_every_laptop_and_on_the_relay() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = team_of_two(dir.path(), &db, &relay.url);
    let zinnia = with(&a, |app| person(app, "Zinnia"));
    let (c, doctor) = with(&a, |app| {
        concertation(app, zinnia, "Concertation Zinnia-Quenotte")
    });
    with(&a, |app| {
        app.decide(zinnia, c, doctor, "Kinésithérapie mardi matin".into(), None)
            .expect("decided")
    });
    sync_all(&[&a, &b]);
    assert_eq!(
        with(&b, |app| app.plan(zinnia).expect("plan"))
            .plan
            .concertations[0]
            .title,
        "Concertation Zinnia-Quenotte"
    );

    with(&a, |app| team::erase(app, zinnia)).expect("erased");
    sync_all(&[&a, &b]);
    assert!(
        with(&b, |app| app.plan(zinnia)).is_err(),
        "gone from Bert's laptop"
    );
    assert!(
        with(&b, |app| app
            .people(&PeopleQuery::default())
            .expect("people"))
        .is_empty()
    );
    with(&b, |app| app.store_mut().forget_cached());
    for needle in [
        "Zinnia-Quenotte",
        "Quenotte Fictive",
        "quenotte@example.org",
        "Kinésithérapie mardi",
    ] {
        assert!(
            !relay_holds(dir.path(), &db, needle),
            "the relay holds {needle}"
        );
        for store in ["anna.db", "bert.db"] {
            assert!(
                common::files_containing(dir.path(), store, needle).is_empty(),
                "{store} still holds {needle}"
            );
        }
    }
}

#[test]
fn a_diapason_group_syncs_between_two_laptops_and_the_relay_holds_none_of_its_words() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = team_of_two(dir.path(), &db, &relay.url);
    let group = with(&a, |app| {
        app.new_group(GroupInput {
            name: "Groupe Soupirail".into(),
            bassin: Some(Bassin::Sud),
            problem: "Les retours d'hôpital du vendredi soir sans relais".into(),
        })
        .expect("a group")
    });
    let member = with(&a, |app| {
        app.edit_group(
            group,
            GroupEdit::AddMember {
                input: GroupMemberInput {
                    name: "Barnabé Imaginaire".into(),
                    sector: "soins à domicile".into(),
                    organisation: "Centre Fictif".into(),
                    mandate: "parler pour les infirmières".into(),
                },
            },
        )
        .expect("a member")
        .expect("its id")
    });
    let recommendation = with(&a, |app| {
        app.edit_group(
            group,
            GroupEdit::AddRecommendation {
                text: "Une permanence téléphonique le vendredi".into(),
                owner: "Centre Fictif".into(),
            },
        )
        .expect("a recommendation")
        .expect("its id")
    });
    sync_all(&[&a, &b]);
    let on_b = with(&b, |app| app.groups().expect("groups"));
    assert_eq!(on_b.len(), 1, "{on_b:?}");
    assert_eq!(on_b[0].name, "Groupe Soupirail");
    assert_eq!(on_b[0].open_recommendations, 1);

    // Apart: Anna records a meeting; Bert adopts the recommendation and plans its follow-up.
    let meeting = with(&a, |app| {
        app.edit_group(
            group,
            GroupEdit::AddMeeting {
                date: jiff::civil::date(2027, 1, 14),
            },
        )
        .expect("a meeting")
        .expect("its id")
    });
    with(&a, |app| {
        app.edit_group(
            group,
            GroupEdit::EditMeeting {
                id: meeting,
                date: jiff::civil::date(2027, 1, 14),
                present: vec![member],
                notes: "Tour de table sur les sorties tardives".into(),
            },
        )
        .expect("the meeting recorded")
    });
    with(&b, |app| {
        app.edit_group(
            group,
            GroupEdit::SetRecommendationStatus {
                id: recommendation,
                status: RecommendationStatus::Adopted,
            },
        )
        .expect("adopted");
        app.edit_group(
            group,
            GroupEdit::AddFollowUp {
                recommendation,
                due: jiff::civil::date(2027, 3, 1),
            },
        )
        .expect("a follow-up")
    });
    sync_all(&[&a, &b, &a]);
    let (ga, gb) = (
        with(&a, |app| app.group(group).expect("group")),
        with(&b, |app| app.group(group).expect("group")),
    );
    assert_eq!(ga, gb, "both laptops hold the same group");
    assert_eq!(ga.meetings[0].present, vec![member]);
    assert_eq!(ga.recommendations[0].status, RecommendationStatus::Adopted);
    let due = with(&a, |app| {
        app.recommendations_due(jiff::civil::date(2027, 3, 31))
            .expect("due")
    });
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].text, "Une permanence téléphonique le vendredi");

    // A group is the team's, not a person: no one in the people list, nothing private left here.
    assert!(
        with(&b, |app| app
            .people(&PeopleQuery::default())
            .expect("people"))
        .is_empty()
    );
    assert_eq!(
        with(&a, |app| team::status(app.store_mut()).expect("status")).private,
        0
    );
    for needle in [
        "Soupirail",
        "Barnabé",
        "Centre Fictif",
        "permanence téléphonique",
        "sorties tardives",
        "vendredi soir",
    ] {
        assert!(
            !relay_holds(dir.path(), &db, needle),
            "the relay holds {needle}"
        );
    }
}

#[test]
fn a_community_resource_syncs_in_the_team_stays_out_of_the_directory_export_and_off_the_relay() {
    use proxi::community::{CommunityInput, CommunityKind};
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("relay.db");
    let relay = Relay::start(&db);
    let (a, b) = team_of_two(dir.path(), &db, &relay.url);
    let baker = with(&a, |app| {
        app.add_community(CommunityInput {
            kind: CommunityKind::Shop,
            name: "Boulangerie Fictivepain".into(),
            offers: "Garde un oeil sur Madame au coin de la rue".into(),
            phone: "02 000 00 77".into(),
            quartier: Some(8),
            bassin: Some(Bassin::CentreOuest),
            public: false,
        })
        .expect("a resource")
    });
    sync_all(&[&a, &b]);
    let on_b = with(&b, |app| app.community().expect("list"));
    assert_eq!(on_b.len(), 1);
    assert_eq!(
        (on_b[0].id, on_b[0].name.as_str()),
        (baker, "Boulangerie Fictivepain")
    );
    // Bert marks it closed; Anna sees it after the next sync.
    with(&b, |app| {
        let r = app.community().expect("list").remove(0);
        app.edit_community(baker, r.input(), true).expect("closed")
    });
    sync_all(&[&b, &a]);
    assert!(with(&a, |app| app.community().expect("list"))[0].closed);
    // Not a service of the directory: the HSDS export does not hold it.
    let out = dir.path().join("hsds");
    with(&a, |app| app.export_directory(&out, true)).expect("exported");
    assert!(common::files_containing(&out, "", "Fictivepain").is_empty());
    for needle in ["Fictivepain", "Garde un oeil", "02 000 00 77"] {
        assert!(
            !relay_holds(dir.path(), &db, needle),
            "the relay holds {needle}"
        );
    }
}
