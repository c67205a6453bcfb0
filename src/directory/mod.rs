//! The integrated directory of Brussels social and health services: HSDS records in the store
//! ([`hsds`]), the service cards assembled from them, and their search index ([`index`]).
//!
//! Conventions over HSDS 3, written here once:
//! - `name`, `description` are French; `name_nl`, `description_nl` (extra fields of service, organization
//!   and taxonomy_term) are Dutch. Unknown fields survive import and export, so these travel too.
//! - A service's commune and bassin come from its location's postal code; its quartier from the
//!   location's coordinates.
//! - "Free or low cost": the service has cost options and none costs more than [`LOW_COST_EUR`].
//! - "Wheelchair access": an accessibility record of one of its locations says so, in French, Dutch or
//!   English.
//! - The themes are the taxonomy terms its attributes point at (by `code`, else by id).

pub mod demo;
pub mod hours;
pub mod hsds;
pub mod index;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::territory::{self, Bassin};
use crate::text::fold;
use hours::Slot;
use hsds::{Fields, RecordSet, Tables};

/// The most a service may cost (per session, in euros) and still be "free or low cost".
pub const LOW_COST_EUR: f64 = 5.0;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    /// Records read from the files.
    pub records: u32,
    /// Of which new to the directory.
    pub added: u32,
    /// Of which already there (same table and id), now replaced by the imported version.
    pub updated: u32,
    /// Services in the directory after the import.
    pub services: u32,
    /// Links that point at no record, kept as they came (`phone 12: location_id 7`).
    pub dangling: Vec<String>,
    /// Required fields the records lacked: filled in where Proxi knows the value, else left empty.
    pub missing: Vec<hsds::MissingField>,
    /// Files whose table was told by their content, their name not saying it.
    pub guessed: Vec<hsds::GuessedFile>,
}

/// Where a service is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServicePlace {
    pub name: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// NIS code of the commune, for a Brussels postal code.
    pub nis: Option<String>,
    pub commune_fr: Option<String>,
    pub commune_nl: Option<String>,
    pub bassin: Option<Bassin>,
    /// The monitoring quartier its coordinates fall in.
    pub quartier: Option<u32>,
    pub quartier_fr: Option<String>,
    pub quartier_nl: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub wheelchair: bool,
}

/// A theme of the directory (a taxonomy term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Theme {
    pub code: String,
    pub name: String,
    pub name_nl: Option<String>,
}

/// Everything the referent needs to orient someone to a service.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServiceCard {
    pub id: String,
    pub name: String,
    pub name_nl: Option<String>,
    pub description: Option<String>,
    pub description_nl: Option<String>,
    pub organization: Option<String>,
    pub places: Vec<ServicePlace>,
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    /// Weekly opening hours that Proxi can read.
    pub hours: Vec<Slot>,
    /// The schedules' own words ("sur rendez-vous", "fermé en août").
    pub hours_notes: Vec<String>,
    /// Language codes spoken (`fr`, `nl`, `ar`…).
    pub languages: Vec<String>,
    pub themes: Vec<Theme>,
    pub free_or_low_cost: bool,
    /// What it costs, in the record's words.
    pub fees: Option<String>,
    pub wheelchair: bool,
    pub application_process: Option<String>,
    pub eligibility: Option<String>,
    /// When the record was last checked (`assured_date`, else `last_modified`), as written.
    pub last_checked: Option<String>,
}

fn text(fields: &Fields, name: &str) -> Option<String> {
    match fields.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn number(fields: &Fields, name: &str) -> Option<f64> {
    match fields.get(name) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Says the place can be reached in a wheelchair, in one of the three languages.
fn says_wheelchair(fields: &Fields) -> bool {
    let words = format!(
        "{} {}",
        text(fields, "description").unwrap_or_default(),
        text(fields, "details").unwrap_or_default()
    );
    let words = fold(&words);
    [
        "wheelchair",
        "fauteuil roulant",
        "chaise roulante",
        "rolstoel",
        "pmr",
    ]
    .iter()
    .any(|w| words.contains(w))
}

/// The records of a directory, with the links an assembly of cards follows.
struct Catalog<'a> {
    tables: &'a Tables,
    /// (table, link field) → linked id → records.
    by_link: HashMap<(&'static str, &'static str), HashMap<&'a str, Vec<&'a Fields>>>,
}

impl<'a> Catalog<'a> {
    const LINKS: &'static [(&'static str, &'static str)] = &[
        ("service_at_location", "service_id"),
        ("address", "location_id"),
        ("phone", "service_id"),
        ("phone", "location_id"),
        ("phone", "service_at_location_id"),
        ("schedule", "service_id"),
        ("schedule", "location_id"),
        ("schedule", "service_at_location_id"),
        ("language", "service_id"),
        ("language", "location_id"),
        ("attribute", "link_id"),
        ("cost_option", "service_id"),
        ("accessibility", "location_id"),
    ];

    fn new(tables: &'a Tables) -> Self {
        let mut by_link: HashMap<(&'static str, &'static str), HashMap<&'a str, Vec<&'a Fields>>> =
            HashMap::new();
        for (kind, field) in Self::LINKS {
            let links = by_link.entry((kind, field)).or_default();
            for fields in tables.get(kind).into_iter().flat_map(|t| t.values()) {
                if let Some(Value::String(to)) = fields.get(*field) {
                    links.entry(to.as_str()).or_default().push(fields);
                }
            }
        }
        Self { tables, by_link }
    }

    fn get(&self, kind: &str, id: &str) -> Option<&'a Fields> {
        self.tables.get(kind)?.get(id)
    }

    fn linked(&self, kind: &'static str, field: &'static str, id: &str) -> &[&'a Fields] {
        self.by_link
            .get(&(kind, field))
            .and_then(|links| links.get(id))
            .map_or(&[], Vec::as_slice)
    }

    fn card(&self, service: &Fields) -> ServiceCard {
        let id = text(service, "id").unwrap_or_default();
        let organization = text(service, "organization_id")
            .and_then(|o| self.get("organization", &o))
            .and_then(|o| text(o, "name"));
        let sals = self.linked("service_at_location", "service_id", &id);
        let locations: Vec<&Fields> = sals
            .iter()
            .filter_map(|sal| text(sal, "location_id"))
            .collect::<BTreeSet<_>>()
            .iter()
            .filter_map(|l| self.get("location", l))
            .collect();
        let places: Vec<ServicePlace> = locations.iter().map(|l| self.place(l)).collect();

        let mut phones = Vec::new();
        let mut schedules: Vec<&Fields> = Vec::new();
        let mut languages = BTreeSet::new();
        let owners = std::iter::once(("service_id", id.clone()))
            .chain(
                sals.iter()
                    .filter_map(|s| text(s, "id"))
                    .map(|s| ("service_at_location_id", s)),
            )
            .chain(
                locations
                    .iter()
                    .filter_map(|l| text(l, "id"))
                    .map(|l| ("location_id", l)),
            );
        for (field, owner) in owners {
            for phone in self.linked("phone", field, &owner) {
                if let Some(number) = text(phone, "number")
                    && !phones.contains(&number)
                {
                    phones.push(number);
                }
            }
            for schedule in self.linked("schedule", field, &owner) {
                if !schedules.iter().any(|s| s.get("id") == schedule.get("id")) {
                    schedules.push(schedule);
                }
            }
            if field != "service_at_location_id" {
                for language in self.linked("language", field, &owner) {
                    if let Some(code) = text(language, "code") {
                        languages.insert(code.to_ascii_lowercase());
                    }
                }
            }
        }
        let hours: Vec<Slot> = schedules.iter().filter_map(|s| hours::slot(s)).collect();
        let hours_notes = schedules
            .iter()
            .filter_map(|s| text(s, "description"))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();

        let mut themes: Vec<Theme> = Vec::new();
        for attribute in self.linked("attribute", "link_id", &id) {
            let Some(term) =
                text(attribute, "taxonomy_term_id").and_then(|t| self.get("taxonomy_term", &t))
            else {
                continue;
            };
            let code = text(term, "code")
                .or_else(|| text(term, "id"))
                .unwrap_or_default();
            if !themes.iter().any(|t| t.code == code) {
                themes.push(Theme {
                    name: text(term, "name").unwrap_or_else(|| code.clone()),
                    name_nl: text(term, "name_nl"),
                    code,
                });
            }
        }
        let costs: Vec<Option<f64>> = self
            .linked("cost_option", "service_id", &id)
            .iter()
            .map(|c| number(c, "amount"))
            .collect();
        let free_or_low_cost =
            !costs.is_empty() && costs.iter().all(|c| c.is_some_and(|a| a <= LOW_COST_EUR));
        ServiceCard {
            name: text(service, "name").unwrap_or_default(),
            name_nl: text(service, "name_nl"),
            description: text(service, "description"),
            description_nl: text(service, "description_nl"),
            organization,
            wheelchair: places.iter().any(|p| p.wheelchair),
            places,
            phones,
            email: text(service, "email"),
            url: text(service, "url"),
            hours,
            hours_notes,
            languages: languages.into_iter().collect(),
            themes,
            free_or_low_cost,
            fees: text(service, "fees_description"),
            application_process: text(service, "application_process"),
            eligibility: text(service, "eligibility_description"),
            last_checked: text(service, "assured_date").or_else(|| text(service, "last_modified")),
            id,
        }
    }

    fn place(&self, location: &Fields) -> ServicePlace {
        let id = text(location, "id").unwrap_or_default();
        let addresses = self.linked("address", "location_id", &id);
        let address = addresses
            .iter()
            .find(|a| text(a, "address_type").as_deref() == Some("physical"))
            .or_else(|| addresses.first());
        let postal_code = address.and_then(|a| text(a, "postal_code"));
        let area = postal_code.as_deref().and_then(territory::lookup);
        let latitude = number(location, "latitude");
        let longitude = number(location, "longitude");
        let quartier = latitude
            .zip(longitude)
            .and_then(|(lat, lon)| territory::quartier_at(lat, lon));
        ServicePlace {
            name: text(location, "name"),
            street: address.and_then(|a| text(a, "address_1")),
            city: address.and_then(|a| text(a, "city")),
            postal_code,
            nis: area.map(|a| a.nis.clone()),
            commune_fr: area.map(|a| a.commune_fr.clone()),
            commune_nl: area.map(|a| a.commune_nl.clone()),
            bassin: area.map(|a| a.bassin),
            quartier: quartier.map(|q| q.code),
            quartier_fr: quartier.map(|q| q.name_fr.clone()),
            quartier_nl: quartier.map(|q| q.name_nl.clone()),
            latitude,
            longitude,
            wheelchair: self
                .linked("accessibility", "location_id", &id)
                .iter()
                .any(|a| says_wheelchair(a)),
        }
    }
}

/// Every service of a directory as a card, in id order.
pub fn cards(tables: &Tables) -> Vec<ServiceCard> {
    let catalog = Catalog::new(tables);
    tables
        .get("service")
        .into_iter()
        .flat_map(|s| s.values())
        .map(|s| catalog.card(s))
        .collect()
}

/// The card of one service.
///
/// # Errors
/// [`Error::ServiceNotFound`].
pub fn card(tables: &Tables, id: &str) -> Result<ServiceCard> {
    let catalog = Catalog::new(tables);
    let service = catalog
        .get("service", id)
        .ok_or_else(|| Error::ServiceNotFound(id.to_owned()))?;
    Ok(catalog.card(service))
}

/// The import generation of the store's directory (0 before any import).
///
/// # Errors
/// [`Error::Storage`].
pub fn generation(store: &mut Store) -> Result<u64> {
    store.directory_generation()
}

/// Writes the records of an import in one transaction: a record already there (same table and id) is
/// replaced by the imported one, never duplicated. Checks the references first; on any error nothing
/// is written.
///
/// # Errors
/// [`Error::DirectoryFile`] for a broken reference, [`Error::Storage`].
pub fn import(store: &mut Store, set: &RecordSet) -> Result<ImportReport> {
    store.import_directory(set)
}

/// The records around one service: itself, what points at it, its organization, places and themes,
/// and what points at its places. Enough for its card, without reading the whole directory.
///
/// # Errors
/// [`Error::ServiceNotFound`], [`Error::Storage`].
pub fn service_tables(store: &mut Store, id: &str) -> Result<Tables> {
    let store = &*store;
    let mut out: Tables = BTreeMap::new();
    let get = |out: &mut Tables, kind: &str, id: &str| -> Result<Option<Fields>> {
        let body = store.directory_record(kind, id)?;
        let (Some(body), Some(kind)) = (body, hsds::table(kind)) else {
            return Ok(None);
        };
        let fields: Fields = serde_json::from_str(&body)
            .map_err(|e| Error::StoreCorrupt(format!("directory record {kind} {id}: {e}")))?;
        out.entry(kind)
            .or_default()
            .insert(id.to_owned(), fields.clone());
        Ok(Some(fields))
    };
    let pointing = |target: &str| store.directory_links(target);
    let service =
        get(&mut out, "service", id)?.ok_or_else(|| Error::ServiceNotFound(id.to_owned()))?;
    if let Some(org) = text(&service, "organization_id") {
        get(&mut out, "organization", &org)?;
    }
    let mut places = Vec::new();
    for (kind, linked) in pointing(id)? {
        let Some(fields) = get(&mut out, &kind, &linked)? else {
            continue;
        };
        match kind.as_str() {
            "service_at_location" => {
                places.push(linked.clone());
                if let Some(location) = text(&fields, "location_id") {
                    get(&mut out, "location", &location)?;
                    places.push(location);
                }
            }
            "attribute" => {
                if let Some(term) = text(&fields, "taxonomy_term_id") {
                    get(&mut out, "taxonomy_term", &term)?;
                }
            }
            _ => {}
        }
    }
    for place in places {
        for (kind, linked) in pointing(&place)? {
            get(&mut out, &kind, &linked)?;
        }
    }
    Ok(out)
}

/// Every record of the store's directory.
///
/// # Errors
/// [`Error::Storage`], or [`Error::StoreCorrupt`] for a record that is not a JSON object.
pub fn tables(store: &mut Store) -> Result<Tables> {
    let mut out: Tables = BTreeMap::new();
    for (kind, id, body) in store.directory_records()? {
        let Some(kind) = hsds::table(&kind) else {
            continue;
        };
        let fields: Fields = serde_json::from_str(&body)
            .map_err(|e| Error::StoreCorrupt(format!("directory record {kind} {id}: {e}")))?;
        out.entry(kind).or_default().insert(id, fields);
    }
    Ok(out)
}
