//! A reproducible directory of obviously fictional services ("Asbl Exemple 12", "Rue de l'Exemple 40",
//! phone numbers in the unused 02 555 range) over the 19 communes and the themes the referents need.
//! The same seed and count always give the same records: 300 for the demo store, 100,000 for benchmarks.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::hsds::{Fields, RecordSet};
use crate::territory;

/// (code, French, Dutch, what a French description says, what a Dutch description says)
pub const THEMES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "diabetes",
        "Diabète",
        "Diabetes",
        "éducation au diabète, suivi de la glycémie et des pieds",
        "diabeteseducatie, opvolging van bloedsuiker en voeten",
    ),
    (
        "palliative",
        "Soins palliatifs",
        "Palliatieve zorg",
        "accompagnement palliatif à domicile et soutien des proches",
        "palliatieve begeleiding thuis en steun voor naasten",
    ),
    (
        "mental_health",
        "Santé mentale",
        "Geestelijke gezondheid",
        "consultations psychologiques, angoisses et dépression",
        "psychologische consultaties, angst en depressie",
    ),
    (
        "home_help",
        "Aide à domicile",
        "Thuishulp",
        "aide familiale pour les courses, le ménage et la toilette",
        "gezinshulp voor boodschappen, huishouden en verzorging",
    ),
    (
        "home_nursing",
        "Soins infirmiers à domicile",
        "Thuisverpleging",
        "soins infirmiers, pansements et médicaments à domicile",
        "verpleging, verbanden en geneesmiddelen aan huis",
    ),
    (
        "social_aid",
        "Aide sociale",
        "Sociale hulp",
        "permanence sociale pour les démarches, les allocations et les papiers",
        "sociale permanentie voor formaliteiten, uitkeringen en papieren",
    ),
    (
        "interpreting",
        "Interprétariat",
        "Tolken",
        "interprètes en milieu social pour les rendez-vous médicaux",
        "sociaal tolken voor medische afspraken",
    ),
    (
        "housing",
        "Logement",
        "Huisvesting",
        "recherche de logement, adaptation du domicile et problèmes de loyer",
        "zoeken naar woning, aanpassing van de woning en huurproblemen",
    ),
    (
        "debts",
        "Dettes",
        "Schulden",
        "médiation de dettes et gestion du budget",
        "schuldbemiddeling en budgetbeheer",
    ),
    (
        "isolation",
        "Isolement",
        "Eenzaamheid",
        "visites de convivialité et activités contre la solitude",
        "gezelschapsbezoeken en activiteiten tegen eenzaamheid",
    ),
    (
        "carers",
        "Soutien aux aidants proches",
        "Steun voor mantelzorgers",
        "écoute, répit et groupes de parole pour les aidants proches",
        "luisteren, respijt en praatgroepen voor mantelzorgers",
    ),
    (
        "meals",
        "Repas à domicile",
        "Maaltijden aan huis",
        "repas livrés à domicile, régimes adaptés",
        "maaltijden aan huis geleverd, aangepaste diëten",
    ),
    (
        "transport",
        "Transport adapté",
        "Aangepast vervoer",
        "transport adapté vers les rendez-vous médicaux",
        "aangepast vervoer naar medische afspraken",
    ),
    (
        "pain",
        "Douleur chronique",
        "Chronische pijn",
        "consultation de la douleur chronique et kinésithérapie",
        "pijnconsultatie en kinesitherapie",
    ),
];

/// (French kind of service, Dutch kind of service)
const KINDS: &[(&str, &str)] = &[
    ("Permanence", "Permanentie"),
    ("Consultation", "Consultatie"),
    ("Service", "Dienst"),
    ("Équipe", "Team"),
    ("Antenne", "Antenne"),
    ("Point d'accueil", "Onthaalpunt"),
];

/// Approximate centre of each postal area, to place fictional addresses there.
const CENTRES: &[(&str, f64, f64)] = &[
    ("1000", 50.8467, 4.3525),
    ("1020", 50.8800, 4.3500),
    ("1030", 50.8670, 4.3770),
    ("1040", 50.8360, 4.3890),
    ("1050", 50.8270, 4.3720),
    ("1060", 50.8270, 4.3450),
    ("1070", 50.8360, 4.3080),
    ("1080", 50.8550, 4.3220),
    ("1081", 50.8620, 4.3290),
    ("1082", 50.8650, 4.2930),
    ("1083", 50.8710, 4.3120),
    ("1090", 50.8770, 4.3280),
    ("1120", 50.8950, 4.3850),
    ("1130", 50.8880, 4.4200),
    ("1140", 50.8700, 4.4030),
    ("1150", 50.8320, 4.4430),
    ("1160", 50.8150, 4.4330),
    ("1170", 50.7990, 4.4150),
    ("1180", 50.8000, 4.3370),
    ("1190", 50.8110, 4.3240),
    ("1200", 50.8430, 4.4250),
    ("1210", 50.8530, 4.3730),
];

/// Languages offered beyond French, with how often.
const LANGUAGES: &[(&str, &str, f64)] = &[
    ("nl", "Nederlands", 0.6),
    ("en", "English", 0.3),
    ("ar", "العربية", 0.15),
    ("tr", "Türkçe", 0.1),
    ("es", "Español", 0.08),
    ("pl", "Polski", 0.06),
    ("ro", "Română", 0.05),
];

/// The languages the demo's social interpreting services interpret (to and from French and Dutch).
const INTERPRETED: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("ary", "الدارجة"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("prs", "دری"),
    ("ps", "پښتو"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("sq", "Shqip"),
    ("bg", "Български"),
    ("ro", "Română"),
    ("pl", "Polski"),
    ("es", "Español"),
    ("pt", "Português"),
    ("ln", "Lingála"),
];

const APPLY: &[&str] = &[
    "Sur rendez-vous, par téléphone.",
    "Sans rendez-vous pendant la permanence.",
    "Sur demande du médecin traitant.",
];

const DAYS: &[&str] = &["MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "MO,TU,WE,TH,FR,SA"];

fn object(value: Value) -> Fields {
    match value {
        Value::Object(map) => map,
        _ => Fields::new(),
    }
}

/// Builds `count` fictional services (and their organizations, places, hours…) from `seed`.
pub fn generate(count: usize, seed: u64) -> RecordSet {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut set = RecordSet::default();
    let add = |set: &mut RecordSet, kind: &'static str, value: Value| {
        set.add(kind, object(value))
            .expect("generated ids are unique");
    };
    add(
        &mut set,
        "taxonomy",
        json!({"id": "proxi-themes", "name": "Thèmes Proxi", "description": "Les besoins pour lesquels les référents orientent", "version": "1"}),
    );
    for (code, fr, nl, _, _) in THEMES {
        add(
            &mut set,
            "taxonomy_term",
            json!({"id": format!("theme-{code}"), "code": code, "name": fr, "name_nl": nl,
                   "description": fr, "taxonomy_id": "proxi-themes", "language": "fr"}),
        );
    }
    let areas = territory::areas();
    let organizations = count.div_ceil(3).max(1);
    for o in 0..organizations {
        add(
            &mut set,
            "organization",
            json!({"id": format!("org-{o}"), "name": format!("Asbl Exemple {}", o + 1),
                   "name_nl": format!("Vzw Voorbeeld {}", o + 1),
                   "description": "Association fictive créée pour la démonstration de Proxi.",
                   "description_nl": "Fictieve vereniging voor de demonstratie van Proxi."}),
        );
    }
    for s in 0..count {
        let id = format!("svc-{s}");
        let (code, fr, nl, says_fr, says_nl) = THEMES[rng.random_range(0..THEMES.len())];
        // A second theme, always another one.
        let other = (rng.random_range(1..THEMES.len())
            + THEMES.iter().position(|t| t.0 == code).unwrap_or(0))
            % THEMES.len();
        let second = THEMES[other];
        let (kind_fr, kind_nl) = KINDS[rng.random_range(0..KINDS.len())];
        let area = &areas[rng.random_range(0..areas.len())];
        let (lat, lon) = CENTRES
            .iter()
            .find(|(p, _, _)| *p == area.postal_code)
            .map_or((50.8467, 4.3525), |(_, lat, lon)| (*lat, *lon));
        let latitude = lat + rng.random_range(-0.006..0.006);
        let longitude = lon + rng.random_range(-0.009..0.009);
        let n = s + 1;
        let mut service = json!({
            "id": id, "organization_id": format!("org-{}", s % organizations), "status": "active",
            "name": format!("{kind_fr} {} {}", fr.to_lowercase(), area.commune_fr),
            "name_nl": format!("{kind_nl} {} {}", nl.to_lowercase(), area.commune_nl),
            "description": format!("Service fictif n° {n}: {says_fr}. Aussi: {}.", second.3),
            "description_nl": format!("Fictieve dienst nr. {n}: {says_nl}. Ook: {}.", second.4),
            "application_process": APPLY[s % APPLY.len()],
            "assured_date": format!("2026-{:02}-{:02}", 1 + s % 10, 1 + s % 28),
            "email": format!("contact{n}@example.org"),
        });
        let cost = rng.random_range(0..10);
        if cost >= 8 {
            service["fees_description"] = json!("15 € par séance, réduction possible sur demande.");
        }
        add(&mut set, "service", service);
        let location = format!("loc-{s}");
        add(
            &mut set,
            "location",
            json!({"id": location, "location_type": "physical", "name": format!("Maison Exemple {n}"),
                   "latitude": (latitude * 1e6).round() / 1e6, "longitude": (longitude * 1e6).round() / 1e6}),
        );
        add(
            &mut set,
            "address",
            json!({"id": format!("adr-{s}"), "location_id": location, "address_type": "physical",
                   "address_1": format!("Rue de l'Exemple {}", 1 + s % 150), "city": area.commune_fr,
                   "postal_code": area.postal_code, "state_province": "Bruxelles-Capitale", "country": "BE"}),
        );
        add(
            &mut set,
            "service_at_location",
            json!({"id": format!("sal-{s}"), "service_id": id, "location_id": location}),
        );
        add(
            &mut set,
            "phone",
            json!({"id": format!("tel-{s}"), "service_id": id,
                   "number": format!("+32 2 555 {:02} {:02}", s / 100 % 100, s % 100)}),
        );
        let afternoon = rng.random_bool(0.6);
        add(
            &mut set,
            "schedule",
            json!({"id": format!("sch-{s}-am"), "service_id": id, "freq": "WEEKLY",
                   "byday": DAYS[s % DAYS.len()],
                   "opens_at": "09:00", "closes_at": "12:00"}),
        );
        if afternoon {
            add(
                &mut set,
                "schedule",
                json!({"id": format!("sch-{s}-pm"), "service_id": id, "freq": "WEEKLY",
                       "byday": "MO,TU,TH", "opens_at": "13:30", "closes_at": "17:00",
                       "description": "L'après-midi, sur rendez-vous."}),
            );
        }
        add(
            &mut set,
            "language",
            json!({"id": format!("lng-{s}-fr"), "service_id": id, "code": "fr", "name": "Français"}),
        );
        // Social interpreting services declare the languages of their interpreters (no random draw:
        // the other services stay as they were).
        let interpreting = code == "interpreting";
        if interpreting {
            for (lang, name) in INTERPRETED {
                add(
                    &mut set,
                    "language",
                    json!({"id": format!("lng-{s}-{lang}"), "service_id": id, "code": lang, "name": name}),
                );
            }
        }
        for (code, name, share) in LANGUAGES {
            let drawn = rng.random_bool(*share);
            if interpreting && INTERPRETED.iter().any(|(l, _)| l == code) {
                continue;
            }
            if drawn {
                add(
                    &mut set,
                    "language",
                    json!({"id": format!("lng-{s}-{code}"), "service_id": id, "code": code, "name": name}),
                );
            }
        }
        add(
            &mut set,
            "attribute",
            json!({"id": format!("att-{s}-1"), "link_id": id, "link_type": "theme", "link_entity": "service",
                   "taxonomy_term_id": format!("theme-{code}")}),
        );
        add(
            &mut set,
            "attribute",
            json!({"id": format!("att-{s}-2"), "link_id": id, "link_type": "theme", "link_entity": "service",
                   "taxonomy_term_id": format!("theme-{}", second.0)}),
        );
        let amount = match cost {
            0..=3 => Some(0.0),
            4..=5 => Some(2.5),
            8..=9 => Some(15.0),
            _ => None,
        };
        if let Some(amount) = amount {
            add(
                &mut set,
                "cost_option",
                json!({"id": format!("cst-{s}"), "service_id": id, "currency": "EUR", "amount": amount,
                       "option": "par séance"}),
            );
        }
        let step_free = rng.random_bool(0.5);
        add(
            &mut set,
            "accessibility",
            json!({"id": format!("acc-{s}"), "location_id": location,
                   "description": if step_free { "Accès de plain-pied, accessible en fauteuil roulant." } else { "Bureau à l'étage, sans ascenseur." }}),
        );
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_directory() {
        let a = generate(30, 7);
        let b = generate(30, 7);
        let c = generate(30, 8);
        let all = |s: &RecordSet| {
            s.iter()
                .map(|(k, i, f)| format!("{k}{i}{f:?}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(all(&a), all(&b));
        assert_ne!(all(&a), all(&c));
        assert_eq!(a.iter().filter(|(k, _, _)| *k == "service").count(), 30);
        for (code, _, _, _, _) in THEMES {
            assert!(a.get("taxonomy_term", &format!("theme-{code}")).is_some());
        }
    }

    #[test]
    fn every_postal_area_has_a_centre_inside_the_region() {
        for area in territory::areas() {
            let (_, lat, lon) = CENTRES
                .iter()
                .find(|(p, _, _)| *p == area.postal_code)
                .unwrap_or_else(|| panic!("no centre for {}", area.postal_code));
            assert!(
                territory::quartier_at(*lat, *lon).is_some(),
                "{} is outside Brussels",
                area.postal_code
            );
        }
    }
}
