//! A demo store: obviously fictional people (their family names mean "example" in their language) with
//! realistic plans in French and Dutch, for trying Proxi, for screenshots and for benchmarks.
//!
//! Everything is made through the use cases, so the demo also exercises them. Actions are agreed
//! during the weeks before the clock's start, so that some are overdue and some due this week.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp, ToSpan};
use uuid::Uuid;

use crate::app::{Proxi, StatementList};
use crate::clock::{Clock, SteppingClock};
use crate::domain::{
    ActionInput, ActionStatus, Address, MemberInput, NetworkRole, OrientationInput,
    OrientationStep, PersonInput, PriorityInput, PriorityStatus, StatementInput, VisitInput, Who,
};
use crate::error::Result;
use crate::store::Store;

/// (display name, first name, last name, birth year, languages, interpreter, postal code, commune)
type Someone = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [&'static str],
    bool,
    &'static str,
    &'static str,
);

const PEOPLE: &[Someone] = &[
    (
        "Hervé",
        "Hervé",
        "Exemple",
        1941,
        &["fr"],
        false,
        "1000",
        "Bruxelles",
    ),
    (
        "Madame Démo",
        "Josiane",
        "Démo",
        1938,
        &["fr"],
        false,
        "1030",
        "Schaerbeek",
    ),
    (
        "Jan",
        "Jan",
        "Voorbeeld",
        1949,
        &["nl"],
        false,
        "1090",
        "Jette",
    ),
    (
        "Ayşe",
        "Ayşe",
        "Örnek",
        1957,
        &["tr", "fr"],
        true,
        "1210",
        "Saint-Josse-ten-Noode",
    ),
    (
        "Łucja",
        "Łucja",
        "Przykład",
        1962,
        &["pl", "fr"],
        true,
        "1060",
        "Saint-Gilles",
    ),
    (
        "Ion",
        "Ion",
        "Exemplu",
        1955,
        &["ro", "fr"],
        true,
        "1070",
        "Anderlecht",
    ),
    (
        "Fatima",
        "Fatima",
        "Mithal",
        1950,
        &["ar", "fr"],
        true,
        "1080",
        "Molenbeek-Saint-Jean",
    ),
    (
        "Marcel",
        "Marcel",
        "Fictif",
        1936,
        &["fr"],
        false,
        "1180",
        "Uccle",
    ),
    (
        "Mieke",
        "Mieke",
        "Testmans",
        1944,
        &["nl", "fr"],
        false,
        "1083",
        "Ganshoren",
    ),
    (
        "Georgette",
        "Georgette",
        "Modèle",
        1933,
        &["fr"],
        false,
        "1170",
        "Watermael-Boitsfort",
    ),
    (
        "Karim",
        "Karim",
        "Démonstration",
        1960,
        &["ar", "fr"],
        false,
        "1190",
        "Forest",
    ),
    (
        "Lieve",
        "Lieve",
        "Proefmans",
        1947,
        &["nl"],
        false,
        "1140",
        "Evere",
    ),
    (
        "Maria",
        "Maria",
        "Ejemplo",
        1952,
        &["es", "fr"],
        false,
        "1050",
        "Ixelles",
    ),
    (
        "Paulette",
        "Paulette",
        "Essai",
        1940,
        &["fr"],
        false,
        "1040",
        "Etterbeek",
    ),
    (
        "Rik",
        "Rik",
        "Fictief",
        1958,
        &["nl", "fr"],
        false,
        "1082",
        "Berchem-Sainte-Agathe",
    ),
    (
        "Amadou",
        "Amadou",
        "Misaal",
        1963,
        &["fr", "wo"],
        false,
        "1030",
        "Schaerbeek",
    ),
    (
        "Jeanine",
        "Jeanine",
        "Prototype",
        1937,
        &["fr"],
        false,
        "1160",
        "Auderghem",
    ),
    (
        "Zeynep",
        "Zeynep",
        "Deneme",
        1966,
        &["tr"],
        true,
        "1030",
        "Schaerbeek",
    ),
    (
        "Staf",
        "Staf",
        "Denkbeeldig",
        1939,
        &["nl"],
        false,
        "1081",
        "Koekelberg",
    ),
    (
        "Andrée",
        "Andrée",
        "Spécimen",
        1945,
        &["fr"],
        false,
        "1200",
        "Woluwe-Saint-Lambert",
    ),
    (
        "Piotr",
        "Piotr",
        "Wzór",
        1959,
        &["pl"],
        true,
        "1070",
        "Anderlecht",
    ),
    (
        "Nadia",
        "Nadia",
        "Namudhaj",
        1968,
        &["ar", "nl"],
        false,
        "1080",
        "Molenbeek-Saint-Jean",
    ),
    (
        "Godelieve",
        "Godelieve",
        "Staaltje",
        1934,
        &["nl"],
        false,
        "1150",
        "Woluwe-Saint-Pierre",
    ),
    (
        "Roger",
        "Roger",
        "Imaginaire",
        1943,
        &["fr"],
        false,
        "1000",
        "Bruxelles",
    ),
];

/// (card, French words, Dutch words)
type Words = (&'static str, &'static str, &'static str);

const PRIORITIES: &[Words] = &[
    (
        "moving",
        "Pouvoir aller au marché du dimanche à pied",
        "Te voet naar de zondagsmarkt kunnen gaan",
    ),
    (
        "family",
        "Revoir mes petits-enfants plus souvent",
        "Mijn kleinkinderen vaker zien",
    ),
    (
        "home",
        "Rester chez moi le plus longtemps possible",
        "Zo lang mogelijk thuis blijven wonen",
    ),
    (
        "pain",
        "Avoir moins mal au dos le matin",
        "'s Morgens minder rugpijn hebben",
    ),
    (
        "sleep",
        "Dormir une nuit complète",
        "Een hele nacht doorslapen",
    ),
    (
        "money",
        "Ne plus avoir peur des factures",
        "Geen schrik meer hebben van de rekeningen",
    ),
    (
        "loneliness",
        "Parler à quelqu'un chaque jour",
        "Elke dag met iemand praten",
    ),
    (
        "food",
        "Cuisiner à nouveau mes plats",
        "Opnieuw mijn eigen gerechten koken",
    ),
    (
        "leisure",
        "Retourner à la chorale",
        "Terug naar het koor gaan",
    ),
    (
        "memory",
        "Ne plus oublier mes rendez-vous",
        "Mijn afspraken niet meer vergeten",
    ),
];

const STRENGTHS: &[Words] = &[
    (
        "family",
        "Ma fille passe le mercredi",
        "Mijn dochter komt op woensdag langs",
    ),
    (
        "friends",
        "Ma voisine fait mes courses",
        "Mijn buurvrouw doet mijn boodschappen",
    ),
    ("mood", "Je garde le moral", "Ik blijf positief"),
    (
        "pet",
        "Mon chat me tient compagnie",
        "Mijn kat houdt me gezelschap",
    ),
    ("faith", "La paroisse m'entoure", "De parochie steunt me"),
];

const DIFFICULTIES: &[Words] = &[
    (
        "moving",
        "Les escaliers sont difficiles",
        "De trappen zijn moeilijk",
    ),
    (
        "paperwork",
        "Les papiers de la mutuelle",
        "De papieren van het ziekenfonds",
    ),
    (
        "medication",
        "Je m'embrouille dans mes médicaments",
        "Ik raak in de war met mijn medicatie",
    ),
    (
        "language",
        "Je ne comprends pas les lettres en français",
        "Ik begrijp de Franstalige brieven niet",
    ),
    (
        "transport",
        "Le bus est loin de chez moi",
        "De bus is ver van huis",
    ),
];

/// (French, Dutch) of what is agreed.
const ACTIONS: &[(&str, &str)] = &[
    (
        "Demander un pilulier à la pharmacie",
        "Een pillendoos vragen bij de apotheek",
    ),
    (
        "Appeler le CPAS pour l'aide aux factures",
        "Het OCMW bellen voor hulp met de rekeningen",
    ),
    (
        "Essayer la séance de kiné à domicile",
        "De kine aan huis uitproberen",
    ),
    (
        "Inscrire à la livraison de repas",
        "Inschrijven voor maaltijden aan huis",
    ),
    (
        "Chercher un taxi social pour le marché",
        "Een sociale taxi zoeken voor de markt",
    ),
    (
        "Parler des nuits avec le médecin traitant",
        "Met de huisarts over de nachten praten",
    ),
];

fn words(w: &Words, dutch: bool) -> String {
    if dutch { w.2 } else { w.1 }.to_owned()
}

/// Fills `store` with a directory of `services` fictional services, then the demo people, their
/// plans made during the weeks before `now` (some oriented to those services).
///
/// # Errors
/// Any error of the use cases (none is expected on an empty store).
pub fn fill(store: Store, now: Timestamp, services: usize) -> Result<Store> {
    let start = now
        .checked_sub(SignedDuration::from_hours(24 * 45))
        .unwrap_or(now);
    let clock: Arc<dyn Clock> = Arc::new(SteppingClock::new(start, SignedDuration::from_mins(47)));
    let mut app = Proxi::new(store, clock.clone());
    let services = directory(&mut app, services)?;
    for (i, who) in PEOPLE.iter().enumerate() {
        add_person(&mut app, clock.as_ref(), i, who, services)?;
    }
    diapason(&mut app, clock.as_ref())?;
    Ok(app.into_store())
}

/// A fictional Diapason group of the team, its work half done: members, two meetings, what it
/// observed, two recommendations, one due for follow-up within the week.
fn diapason(app: &mut Proxi, clock: &dyn Clock) -> Result<()> {
    use crate::group::{GroupEdit, GroupInput, GroupMemberInput, RecommendationStatus};
    let today = clock.today();
    let days = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    let id = app.new_group(GroupInput {
        name: "Retours à domicile du vendredi (démo)".into(),
        bassin: Some(crate::territory::Bassin::NordEst),
        problem: "Les sorties d’hôpital du vendredi soir laissent des personnes seules tout le \
                  week-end, sans soins ni aide organisés."
            .into(),
    })?;
    let mut members = Vec::new();
    for (name, sector, organisation) in [
        ("Alix Exemple", "soins à domicile", "Centre de soins Fictif"),
        (
            "Bram Voorbeeld",
            "hôpital",
            "Service social de l’Hôpital Fictif",
        ),
        ("Chantal Spécimen", "social", "CPAS Exemple"),
    ] {
        let input = GroupMemberInput {
            name: name.into(),
            sector: sector.into(),
            organisation: organisation.into(),
            mandate: "Parler pour son service".into(),
        };
        members.extend(app.edit_group(id, GroupEdit::AddMember { input })?);
    }
    for (date, notes) in [
        (
            days(-28),
            "Tour de table : chacun raconte une sortie difficile.",
        ),
        (days(-7), "Premières pistes de recommandations."),
    ] {
        if let Some(meeting) = app.edit_group(id, GroupEdit::AddMeeting { date })? {
            let edit = GroupEdit::EditMeeting {
                id: meeting,
                date,
                present: members.clone(),
                notes: notes.into(),
            };
            app.edit_group(id, edit)?;
        }
    }
    let text = "Les pharmacies de garde ne connaissent pas les traitements de sortie.".into();
    app.edit_group(
        id,
        GroupEdit::AddObservation {
            text,
            meeting: None,
        },
    )?;
    for (text, owner, status, due) in [
        (
            "Une permanence téléphonique le vendredi soir",
            "CPAS Exemple",
            RecommendationStatus::Adopted,
            days(5),
        ),
        (
            "Prévenir le référent la veille de la sortie",
            "Hôpital Fictif",
            RecommendationStatus::Proposed,
            days(40),
        ),
    ] {
        let add = GroupEdit::AddRecommendation {
            text: text.into(),
            owner: owner.into(),
        };
        if let Some(r) = app.edit_group(id, add)? {
            app.edit_group(id, GroupEdit::SetRecommendationStatus { id: r, status })?;
            app.edit_group(
                id,
                GroupEdit::AddFollowUp {
                    recommendation: r,
                    due,
                },
            )?;
        }
    }
    Ok(())
}

/// Imports `count` fictional services; how many there are.
fn directory(app: &mut Proxi, count: usize) -> Result<usize> {
    if count == 0 {
        return Ok(0);
    }
    let report = app.import_directory_records(&crate::directory::demo::generate(count, 1))?;
    Ok(report.services as usize)
}

/// Fills `store` with `count` people for benchmarks: the demo people again and again, numbered
/// ("Hervé Exemple 2", …), with the same kind of plans, and `services` fictional services.
///
/// # Errors
/// Any error of the use cases.
pub fn fill_many(store: Store, now: Timestamp, count: usize, services: usize) -> Result<Store> {
    let start = now
        .checked_sub(SignedDuration::from_hours(24 * 45))
        .unwrap_or(now);
    let step = SignedDuration::from_secs((45 * 24 * 3600 / (count.max(1) as i64 * 40)).max(1));
    let clock: Arc<dyn Clock> = Arc::new(SteppingClock::new(start, step));
    let mut app = Proxi::new(store, clock.clone());
    let services = directory(&mut app, services)?;
    for i in 0..count {
        let (display, first, last, born, langs, interpreter, postal, commune) =
            PEOPLE[i % PEOPLE.len()];
        let round = i / PEOPLE.len();
        let numbered = if round == 0 {
            last.to_owned()
        } else {
            format!("{last} {}", round + 1)
        };
        let someone = (
            display,
            first,
            numbered.as_str(),
            born,
            langs,
            interpreter,
            postal,
            commune,
        );
        add_person(&mut app, clock.as_ref(), i, &someone, services)?;
    }
    Ok(app.into_store())
}

type Numbered<'a> = (
    &'a str,
    &'a str,
    &'a str,
    i64,
    &'a [&'a str],
    bool,
    &'a str,
    &'a str,
);

/// A monitoring quartier of the demo person's commune, so that the needs watch has quartiers to show
/// (the demo's addresses are fictional; one well-known quartier per postal code).
fn demo_quartier(postal: &str) -> Option<u32> {
    Some(match postal {
        "1000" => 8,
        "1030" => 27,
        "1040" => 32,
        "1050" => 37,
        "1060" => 47,
        "1070" => 58,
        "1080" => 16,
        "1090" => 72,
        "1150" => 94,
        "1160" => 98,
        "1170" => 103,
        "1180" => 116,
        "1190" => 50,
        "1200" => 90,
        "1210" => 25,
        _ => return None,
    })
}

fn add_person(
    app: &mut Proxi,
    clock: &dyn Clock,
    i: usize,
    p: &Numbered<'_>,
    services: usize,
) -> Result<Uuid> {
    let (display, first, last, born, langs, interpreter, postal, commune) = *p;
    let dutch = langs.first() == Some(&"nl") || (langs.contains(&"nl") && i % 2 == 1);
    let street = if dutch {
        format!("Voorbeeldstraat {}", 3 + i * 7)
    } else {
        format!("Rue de l'Exemple {}", 3 + i * 7)
    };
    let person = app.create_person(PersonInput {
        display_name: display.into(),
        first_name: first.into(),
        last_name: last.into(),
        birth_year: Some(born),
        languages: langs.iter().map(|l| (*l).to_owned()).collect(),
        interpreter_needed: interpreter,
        address: Address {
            street,
            postal_code: postal.into(),
            commune: commune.into(),
            bassin: None,
            quartier: demo_quartier(postal),
        },
        phone: format!("02 000 {:02} {:02}", i, 10 + i),
        notes: String::new(),
        niss: None,
    })?;
    let mut priorities = Vec::new();
    for k in 0..(2 + i % 3) {
        let w = &PRIORITIES[(i * 3 + k) % PRIORITIES.len()];
        let input = PriorityInput {
            words: words(w, dutch),
            card: Some(w.0.into()),
            review_date: None,
        };
        priorities.push(app.add_priority(person, input)?);
    }
    if i % 4 == 1 && priorities.len() > 1 {
        let mut order = priorities.clone();
        order.reverse();
        app.reorder_priorities(person, &order)?;
    }
    for k in 0..(1 + i % 2) {
        let w = &STRENGTHS[(i + k) % STRENGTHS.len()];
        let input = StatementInput {
            words: words(w, dutch),
            card: Some(w.0.into()),
        };
        app.add_statement(person, StatementList::Strengths, input)?;
    }
    for k in 0..(1 + (i + 1) % 2) {
        let w = &DIFFICULTIES[(i * 2 + k) % DIFFICULTIES.len()];
        let input = StatementInput {
            words: words(w, dutch),
            card: Some(w.0.into()),
        };
        app.add_statement(person, StatementList::Difficulties, input)?;
    }
    let (carer_role, carer_name) = if dutch {
        (NetworkRole::InformalCarer, "Els (dochter)")
    } else {
        (NetworkRole::InformalCarer, "Sophie (fille)")
    };
    let carer = app.add_member(
        person,
        MemberInput {
            role: carer_role,
            name: carer_name.into(),
            organisation: String::new(),
            phone: format!("0470 00 {:02} {:02}", i, 20 + i),
            email: String::new(),
        },
    )?;
    app.add_member(
        person,
        MemberInput {
            role: NetworkRole::Gp,
            name: if dutch {
                "Dr. Voorbeeld-Huisarts"
            } else {
                "Dr Exemple-Généraliste"
            }
            .into(),
            organisation: if dutch {
                "Wijkgezondheidscentrum Fictief"
            } else {
                "Maison médicale Fictive"
            }
            .into(),
            phone: format!("02 000 50 {:02}", i),
            email: "accueil@exemple.invalid".into(),
        },
    )?;
    if i.is_multiple_of(3) {
        app.add_member(
            person,
            MemberInput {
                role: NetworkRole::Nurse,
                name: if dutch {
                    "Thuisverpleging Demo"
                } else {
                    "Infirmière Démo"
                }
                .into(),
                organisation: String::new(),
                phone: format!("02 000 60 {:02}", i),
                email: String::new(),
            },
        )?;
    }
    let today = clock.today();
    for k in 0..(2 + i % 3) {
        let a = ACTIONS[(i + k) % ACTIONS.len()];
        let who = match k % 3 {
            0 => Who::Referent,
            1 => Who::Person,
            _ => Who::Member { id: carer },
        };
        // Due between 1 and 8 weeks after the day it was agreed: the older ones are overdue now.
        let due = today
            .checked_add(((7 * (1 + (i + k) % 8)) as i64).days())
            .ok();
        let input = ActionInput {
            what: if dutch { a.1 } else { a.0 }.into(),
            who,
            due,
            priority_id: priorities.get(k % priorities.len()).copied(),
            outcome: String::new(),
        };
        let action = app.add_action(person, input)?;
        if k == 0 && i % 5 == 2 {
            app.set_action_status(person, action, ActionStatus::Done, Some("OK".into()))?;
        }
    }
    // One person in four is oriented to a service of the demo directory, and the service was
    // contacted weeks ago with no news since: the follow-up list shows it.
    if i % 4 == 2 && services > 0 {
        let input = ActionInput {
            what: if dutch {
                "Een dienst voor thuishulp contacteren"
            } else {
                "Contacter un service d'aide à domicile"
            }
            .into(),
            who: Who::Service {
                id: format!("svc-{}", i % services.min(50)),
            },
            due: today.checked_add(21.days()).ok(),
            priority_id: priorities.first().copied(),
            outcome: String::new(),
        };
        let action = app.add_action(person, input)?;
        let note = if dutch {
            "Bericht ingesproken, wacht op terugbellen"
        } else {
            "Message laissé, attend d'être rappelée"
        };
        app.set_orientation(
            person,
            action,
            OrientationInput {
                step: OrientationStep::Contacted,
                appointment: None,
                note: note.into(),
                theme: Some("home_help".into()),
            },
        )?;
    }
    app.add_visit(
        person,
        VisitInput {
            date: today,
            place: if dutch { "Thuis" } else { "À domicile" }.into(),
            notes: if dutch {
                "Eerste gesprek met de beeldkaarten."
            } else {
                "Premier entretien avec les cartes images."
            }
            .into(),
            next_visit: today.checked_add(28.days()).ok(),
        },
    )?;
    if i % 6 == 5 {
        app.set_priority_status(person, priorities[0], PriorityStatus::Achieved)?;
    }
    app.set_review_date(
        person,
        today.checked_add((30 + 7 * (i % 10) as i64).days()).ok(),
    )?;
    Ok(person)
}

/// A typical plan, always the same (fixed ids and dates): 5 priorities, 3 strengths, 8 agreed actions,
/// 4 people to call. For the priority sheet's tests, benchmark and pictures.
pub fn typical_plan() -> crate::domain::PlanDocument {
    use crate::domain::{
        AgreedAction, CarePlan, DOCUMENT_SCHEMA, NetworkMember, Person, PlanDocument, Priority,
        Statement, Visit,
    };
    use jiff::civil::date;
    let id = |n: u128| Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n);
    let created = Timestamp::from_second(1_763_892_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let priorities = [
        (
            "moving",
            "Pouvoir aller au marché du dimanche à pied, comme avant",
        ),
        ("family", "Revoir mes petits-enfants plus souvent"),
        ("pain", "Avoir moins mal au dos le matin"),
        ("money", "Ne plus avoir peur des factures"),
        ("sleep", "Dormir une nuit complète"),
    ];
    let strengths = [
        ("family", "Ma fille Sophie passe le mercredi"),
        ("friends", "Ma voisine fait mes courses"),
        ("pet", "Mon chat me tient compagnie"),
    ];
    let network = [
        (
            NetworkRole::InformalCarer,
            "Sophie (ma fille)",
            "0470 00 00 20",
        ),
        (NetworkRole::Gp, "Dr Exemple-Généraliste", "02 000 50 00"),
        (NetworkRole::Nurse, "Infirmière Démo", "02 000 60 00"),
        (NetworkRole::Pharmacist, "Pharmacie Fictive", "02 000 70 00"),
    ];
    let actions = [
        ("Demander un pilulier à la pharmacie", 0, date(2026, 11, 30)),
        (
            "Appeler le CPAS pour l'aide aux factures",
            4,
            date(2026, 12, 2),
        ),
        (
            "Essayer la kiné à domicile deux fois par semaine",
            1,
            date(2026, 12, 4),
        ),
        (
            "Chercher un taxi social pour aller au marché",
            0,
            date(2026, 12, 6),
        ),
        (
            "Inviter les petits-enfants un mercredi",
            5,
            date(2026, 12, 9),
        ),
        (
            "Parler des nuits avec le médecin traitant",
            1,
            date(2026, 12, 11),
        ),
        (
            "Ranger les factures dans une farde avec Sophie",
            5,
            date(2026, 12, 14),
        ),
        (
            "Faire le point sur les médicaments du soir",
            2,
            date(2026, 12, 18),
        ),
    ];
    let who = |k: usize| match k {
        0 => Who::Referent,
        1 => Who::Person,
        2 => Who::Member { id: id(301) },
        4 => Who::Service {
            id: "cpas-exemple".into(),
        },
        _ => Who::Member { id: id(300) },
    };
    PlanDocument {
        schema: DOCUMENT_SCHEMA,
        person: Person {
            id: id(1),
            display_name: "Hervé".into(),
            first_name: "Hervé".into(),
            last_name: "Exemple".into(),
            birth_year: Some(1941),
            languages: vec!["fr".into()],
            interpreter_needed: false,
            address: Address {
                street: "Rue de l'Exemple 3".into(),
                postal_code: "1000".into(),
                commune: "Bruxelles".into(),
                bassin: None,
                quartier: None,
            },
            phone: "02 000 00 10".into(),
            notes: String::new(),
            niss: None,
            archived: false,
            created,
        },
        plan: CarePlan {
            priorities: priorities
                .iter()
                .zip(1u32..)
                .map(|((card, words), rank)| Priority {
                    id: id(100 + u128::from(rank)),
                    words: (*words).into(),
                    rank,
                    card: Some((*card).into()),
                    status: PriorityStatus::Active,
                    created,
                    review_date: None,
                    source: None,
                })
                .collect(),
            strengths: strengths
                .iter()
                .zip(1u32..)
                .map(|((card, words), rank)| Statement {
                    id: id(200 + u128::from(rank)),
                    words: (*words).into(),
                    rank,
                    card: Some((*card).into()),
                    closed: false,
                    created,
                })
                .collect(),
            difficulties: Vec::new(),
            actions: actions
                .iter()
                .zip(0u128..)
                .map(|((what, k, due), n)| AgreedAction {
                    id: id(400 + n),
                    what: (*what).into(),
                    who: who(*k),
                    due: Some(*due),
                    status: if n == 0 {
                        ActionStatus::Done
                    } else {
                        ActionStatus::Planned
                    },
                    priority_id: Some(id(101 + n % 5)),
                    outcome: String::new(),
                    created,
                    orientation: None,
                    source: None,
                })
                .collect(),
            network: network
                .iter()
                .zip(0u128..)
                .map(|((role, name, phone), n)| NetworkMember {
                    id: id(300 + n),
                    role: *role,
                    name: (*name).into(),
                    organisation: String::new(),
                    phone: (*phone).into(),
                    email: String::new(),
                    closed: false,
                    source: None,
                })
                .collect(),
            visits: vec![Visit {
                id: id(500),
                date: date(2026, 11, 23),
                place: "À domicile".into(),
                notes: "Premier entretien avec les cartes.".into(),
                next_visit: Some(date(2026, 12, 21)),
            }],
            review_date: Some(date(2027, 1, 18)),
            stays: Vec::new(),
            proposals: Vec::new(),
            concertations: Vec::new(),
        },
        consent: Some(crate::domain::Consent {
            recorded_on: date(2026, 11, 23),
            recorded_by: "Référent démo".into(),
            keep_plan: true,
            share_with_team: true,
            professionals: vec!["Dr Exemple-Généraliste".into()],
        }),
    }
}

/// [`typical_plan`] as a referent would write it for a person who speaks `lang`: in Arabic (`ar`) and
/// Turkish (`tr`) the person's words are in that language (the sheet's examples in the README and its
/// tests); in any other language, the French words of [`typical_plan`] with the person's language set.
#[must_use]
pub fn typical_plan_in(lang: &str) -> crate::domain::PlanDocument {
    let mut plan = typical_plan();
    plan.person.languages = vec![lang.to_owned()];
    let (name, priorities, strengths, actions, carer): (&str, &[&str], &[&str], &[&str], &str) =
        match lang {
            "ar" => (
                "فاطمة",
                &[
                    "أن أمشي إلى سوق الأحد كما كنت أفعل من قبل",
                    "أن أرى أحفادي أكثر",
                    "أن يقلّ ألم ظهري في الصباح",
                    "ألا أخاف من الفواتير بعد الآن",
                    "أن أنام ليلة كاملة",
                ],
                &[
                    "ابنتي سارة تزورني يوم الأربعاء",
                    "جارتي تتسوق لي",
                    "قطتي تؤنسني",
                ],
                &[
                    "طلب علبة أدوية من الصيدلية",
                    "الاتصال بـ CPAS للمساعدة في الفواتير",
                    "تجربة العلاج الطبيعي في البيت مرتين في الأسبوع",
                    "البحث عن تاكسي اجتماعي للذهاب إلى السوق",
                    "دعوة الأحفاد يوم أربعاء",
                    "التحدث مع الطبيب عن الليالي",
                    "ترتيب الفواتير في ملف مع سارة",
                    "مراجعة أدوية المساء",
                ],
                "سارة (ابنتي)",
            ),
            "tr" => (
                "Çağrı",
                &[
                    "Eskisi gibi pazar gününe yürüyerek gidebilmek",
                    "Torunlarımı daha sık görmek",
                    "Sabahları sırt ağrımın azalması",
                    "Faturalardan artık korkmamak",
                    "Bütün gece uyuyabilmek",
                ],
                &[
                    "Kızım İpek çarşamba günleri geliyor",
                    "Komşum alışverişimi yapıyor",
                    "Kedim bana arkadaşlık ediyor",
                ],
                &[
                    "Eczaneden ilaç kutusu istemek",
                    "Faturalar için CPAS'ı aramak",
                    "Haftada iki kez evde fizyoterapi denemek",
                    "Pazara gitmek için sosyal taksi aramak",
                    "Torunları bir çarşamba davet etmek",
                    "Geceleri aile hekimiyle konuşmak",
                    "Faturaları İpek ile bir dosyaya koymak",
                    "Akşam ilaçlarını gözden geçirmek",
                ],
                "İpek (kızım)",
            ),
            _ => return plan,
        };
    name.clone_into(&mut plan.person.first_name);
    name.clone_into(&mut plan.person.display_name);
    for (p, words) in plan.plan.priorities.iter_mut().zip(priorities) {
        (*words).clone_into(&mut p.words);
    }
    for (s, words) in plan.plan.strengths.iter_mut().zip(strengths) {
        (*words).clone_into(&mut s.words);
    }
    for (a, what) in plan.plan.actions.iter_mut().zip(actions) {
        (*what).clone_into(&mut a.what);
    }
    if let Some(m) = plan.plan.network.first_mut() {
        carer.clone_into(&mut m.name);
    }
    plan
}
