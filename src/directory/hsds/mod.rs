//! Open Referral HSDS 3.x: its tables, reading them from JSON (nested, as the HSDS API serves them) and from
//! a CSV datapackage (one file per table), and writing them back.
//!
//! A record is kept as the flat object of its scalar fields, foreign keys included, and fields Proxi does
//! not know are kept as they came: an import followed by an export loses nothing. Nested JSON objects are
//! flattened into their own records, with the link to their parent filled in; the same record met in
//! several places (a phone under its service and under its location) is merged, and a conflict between
//! two copies is an error.
//!
//! The tables, their fields, types and required fields come from the specification's own `schema.csv`
//! (`data/hsds/schema.csv`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The scalar fields of one record, `id` included.
pub type Fields = Map<String, Value>;

/// The largest file an import reads. Brussels' whole directory is a few megabytes; a bigger file is a
/// mistake (or an attack) and is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Every HSDS table Proxi keeps, with the name of its file in a CSV datapackage.
pub const TABLES: &[(&str, &str)] = &[
    ("organization", "organizations.csv"),
    ("organization_identifier", "organization_identifiers.csv"),
    ("program", "programs.csv"),
    ("service", "services.csv"),
    ("location", "locations.csv"),
    ("service_at_location", "service_at_location.csv"),
    ("address", "addresses.csv"),
    ("phone", "phones.csv"),
    ("contact", "contacts.csv"),
    ("schedule", "schedules.csv"),
    ("language", "languages.csv"),
    ("service_area", "service_areas.csv"),
    ("taxonomy", "taxonomies.csv"),
    ("taxonomy_term", "taxonomy_terms.csv"),
    ("attribute", "attributes.csv"),
    ("cost_option", "cost_options.csv"),
    ("accessibility", "accessibility.csv"),
    ("funding", "funding.csv"),
    ("required_document", "required_documents.csv"),
    ("metadata", "metadata.csv"),
    ("meta_table_description", "meta_table_descriptions.csv"),
];

/// The canonical name of a table (the `&'static str` of [`TABLES`]), or `None` for an unknown one.
pub fn table(name: &str) -> Option<&'static str> {
    TABLES.iter().find(|(t, _)| *t == name).map(|(t, _)| *t)
}

/// How a nested object is tied to the object it is nested in.
#[derive(Debug, Clone, Copy)]
enum Link {
    /// The child holds the parent's id in this field (a service's phones: `phone.service_id`).
    Child(&'static str),
    /// The parent holds the child's id in this field (a service's organization: `service.organization_id`).
    Parent(&'static str),
}

/// (parent table, JSON keys (the first is the one written), child table, link)
type Nest = (&'static str, &'static [&'static str], &'static str, Link);

/// The nesting of the HSDS API's `*_full` objects, as the specification's examples write it.
const NESTS: &[Nest] = &[
    (
        "service",
        &["organization"],
        "organization",
        Link::Parent("organization_id"),
    ),
    (
        "service",
        &["program"],
        "program",
        Link::Parent("program_id"),
    ),
    (
        "service",
        &["service_at_locations"],
        "service_at_location",
        Link::Child("service_id"),
    ),
    ("service", &["phones"], "phone", Link::Child("service_id")),
    (
        "service",
        &["schedules"],
        "schedule",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["languages"],
        "language",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["contacts"],
        "contact",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["service_areas"],
        "service_area",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["cost_options"],
        "cost_option",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["funding", "fundings"],
        "funding",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["required_documents"],
        "required_document",
        Link::Child("service_id"),
    ),
    (
        "service",
        &["attributes"],
        "attribute",
        Link::Child("link_id"),
    ),
    (
        "service",
        &["metadata"],
        "metadata",
        Link::Child("resource_id"),
    ),
    (
        "organization",
        &["services"],
        "service",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["locations"],
        "location",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["programs"],
        "program",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["phones"],
        "phone",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["contacts"],
        "contact",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["funding", "fundings"],
        "funding",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["organization_identifiers"],
        "organization_identifier",
        Link::Child("organization_id"),
    ),
    (
        "organization",
        &["attributes"],
        "attribute",
        Link::Child("link_id"),
    ),
    (
        "organization",
        &["metadata"],
        "metadata",
        Link::Child("resource_id"),
    ),
    (
        "service_at_location",
        &["service"],
        "service",
        Link::Parent("service_id"),
    ),
    (
        "service_at_location",
        &["location"],
        "location",
        Link::Parent("location_id"),
    ),
    (
        "service_at_location",
        &["phones"],
        "phone",
        Link::Child("service_at_location_id"),
    ),
    (
        "service_at_location",
        &["contacts"],
        "contact",
        Link::Child("service_at_location_id"),
    ),
    (
        "service_at_location",
        &["schedules"],
        "schedule",
        Link::Child("service_at_location_id"),
    ),
    (
        "service_at_location",
        &["attributes"],
        "attribute",
        Link::Child("link_id"),
    ),
    (
        "service_at_location",
        &["metadata"],
        "metadata",
        Link::Child("resource_id"),
    ),
    (
        "location",
        &["addresses", "addresss"],
        "address",
        Link::Child("location_id"),
    ),
    ("location", &["phones"], "phone", Link::Child("location_id")),
    (
        "location",
        &["schedules"],
        "schedule",
        Link::Child("location_id"),
    ),
    (
        "location",
        &["languages"],
        "language",
        Link::Child("location_id"),
    ),
    (
        "location",
        &["contacts"],
        "contact",
        Link::Child("location_id"),
    ),
    (
        "location",
        &["accessibility", "accessibilitys"],
        "accessibility",
        Link::Child("location_id"),
    ),
    (
        "location",
        &["attributes"],
        "attribute",
        Link::Child("link_id"),
    ),
    (
        "location",
        &["metadata"],
        "metadata",
        Link::Child("resource_id"),
    ),
    ("contact", &["phones"], "phone", Link::Child("contact_id")),
    ("phone", &["languages"], "language", Link::Child("phone_id")),
    (
        "attribute",
        &["taxonomy_term"],
        "taxonomy_term",
        Link::Parent("taxonomy_term_id"),
    ),
    (
        "taxonomy_term",
        &["taxonomy_detail"],
        "taxonomy",
        Link::Parent("taxonomy_id"),
    ),
];

/// A scalar field of a table, as `schema.csv` describes it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub number: bool,
    pub required: bool,
}

/// The scalar columns of every table, in the specification's order.
pub fn columns(table: &str) -> &'static [Column] {
    static COLUMNS: OnceLock<HashMap<String, Vec<Column>>> = OnceLock::new();
    COLUMNS
        .get_or_init(|| {
            let mut out: HashMap<String, Vec<Column>> = HashMap::new();
            let mut reader = csv::Reader::from_reader(SCHEMA.as_bytes());
            for row in reader.deserialize::<SchemaRow>() {
                let row = row.expect("data/hsds/schema.csv is read at build time and tested");
                if row.kind == "array" || !row.one_to_one.is_empty() {
                    continue;
                }
                // The specification's examples hold lists ("2,3,4") in these, as RFC 5545 does.
                let listed = row.table_name == "schedule"
                    && (row.name == "bymonthday" || row.name == "byyearday");
                out.entry(row.table_name).or_default().push(Column {
                    number: row.kind == "number" && !listed,
                    required: row.constraints_required == "true",
                    name: row.name,
                });
            }
            out
        })
        .get(table)
        .map_or(&[], Vec::as_slice)
}

const SCHEMA: &str = include_str!("../../../data/hsds/schema.csv");

#[derive(serde::Deserialize)]
struct SchemaRow {
    table_name: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    constraints_required: String,
    one_to_one: String,
}

/// Where in an imported file a record or a value was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// The line, for a CSV file.
    pub line: Option<u64>,
    /// The path to the object, for a JSON file (`contents[2].phones[0]`).
    pub path: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(path) = &self.path {
            write!(f, " at {path}")?;
        }
        Ok(())
    }
}

/// Why an imported file was refused: where, which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub place: Place,
    pub field: Option<String>,
    pub reason: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.place)?;
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

fn problem(place: &Place, field: Option<&str>, reason: impl Into<String>) -> FileProblem {
    FileProblem {
        place: place.clone(),
        field: field.map(str::to_owned),
        reason: reason.into(),
    }
}

type Parsed<T> = std::result::Result<T, FileProblem>;

/// The records read from one import, each with the place it was first read at.
#[derive(Debug, Default)]
pub struct RecordSet {
    records: BTreeMap<(&'static str, String), (Fields, Place)>,
    /// Files whose table was told by their content, not their name: (file, table).
    guessed: Vec<(String, &'static str)>,
    /// Required fields found missing: (table, field, the value filled in, if any) → (how many, the
    /// first records' ids).
    notes: BTreeMap<MissingKey, (u32, Vec<String>)>,
}

/// (table, field, the value filled in, if any).
type MissingKey = (&'static str, String, Option<String>);

/// A required field missing from imported records, left empty or filled in, and how often.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MissingField {
    pub table: String,
    pub field: String,
    /// The value Proxi filled in (`BE` for a country), or none: left empty.
    pub filled: Option<String>,
    /// How many records lacked it.
    pub count: u32,
    /// The ids of the first few of them.
    pub examples: Vec<String>,
}

/// A file whose table was told by its content, since its name did not say.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GuessedFile {
    pub file: String,
    pub table: String,
}

/// How many ids a note of a missing field names.
const EXAMPLES: usize = 3;

/// The tables whose records are listed and found by their name.
const NAMED: &[&str] = &[
    "organization",
    "program",
    "service",
    "taxonomy",
    "taxonomy_term",
];

impl RecordSet {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every record: (table, id, fields).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str, &Fields)> {
        self.records
            .iter()
            .map(|((kind, id), (fields, _))| (*kind, id.as_str(), fields))
    }

    /// The records by table and id, as the store gives them back.
    pub fn to_tables(&self) -> Tables {
        let mut tables = Tables::new();
        for ((kind, id), (fields, _)) in &self.records {
            tables
                .entry(kind)
                .or_default()
                .insert(id.clone(), fields.clone());
        }
        tables
    }

    pub fn get(&self, kind: &str, id: &str) -> Option<&Fields> {
        let kind = table(kind)?;
        self.records
            .get(&(kind, id.to_owned()))
            .map(|(fields, _)| fields)
    }

    /// Adds a record; a second copy of it must agree with the first on every field both hold.
    fn merge(&mut self, kind: &'static str, fields: Fields, place: Place) -> Parsed<()> {
        let id = id_of(&fields, &place)?;
        match self.records.get_mut(&(kind, id.clone())) {
            None => {
                self.records.insert((kind, id), (fields, place));
            }
            Some((known, first)) => {
                for (name, value) in fields {
                    match known.get(&name) {
                        Some(old) if *old != value => {
                            return Err(problem(
                                &place,
                                Some(&name),
                                format!(
                                    "the {kind} {id} is given twice with different values \
                                     (first at {first}): {old} and {value}"
                                ),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            known.insert(name, value);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a record made by Proxi itself (the demo generator); a second one with the same id is a
    /// mistake.
    ///
    /// # Errors
    /// A missing or repeated id.
    pub fn add(&mut self, kind: &'static str, fields: Fields) -> Parsed<()> {
        let place = Place {
            file: "(generated)".to_owned(),
            line: None,
            path: Some(kind.to_owned()),
        };
        self.insert_row(kind, fields, place)
    }

    /// Adds a row of a CSV file, where a second row with the same id is a mistake.
    fn insert_row(&mut self, kind: &'static str, fields: Fields, place: Place) -> Parsed<()> {
        let id = id_of(&fields, &place)?;
        if let Some((_, first)) = self.records.get(&(kind, id.clone())) {
            return Err(problem(
                &place,
                Some("id"),
                format!("the id {id} is used twice (first at {first})"),
            ));
        }
        self.records.insert((kind, id), (fields, place));
        Ok(())
    }

    /// Required fields a record lacks do not break its meaning (an address has no `state_province` in
    /// Belgium, an organization may come without a description): each is filled in where Proxi knows
    /// the value, else left empty, and noted for the report.
    /// What is listed by its name cannot do without one: such a record without a name is refused.
    fn complete(&mut self) -> Parsed<()> {
        for ((kind, id), (fields, place)) in &mut self.records {
            for column in columns(kind)
                .iter()
                .filter(|c| c.required && c.name != "id")
            {
                if !fields.get(&column.name).is_none_or(is_blank) {
                    continue;
                }
                if column.name == "name" && NAMED.contains(kind) {
                    return Err(problem(
                        place,
                        Some("name"),
                        format!("a {kind} must have a name"),
                    ));
                }
                let filled = default_value(kind, &column.name, fields);
                if let Some(value) = &filled {
                    fields.insert(column.name.clone(), Value::String(value.clone()));
                }
                let (count, examples) = self
                    .notes
                    .entry((kind, column.name.clone(), filled))
                    .or_default();
                *count += 1;
                if examples.len() < EXAMPLES {
                    examples.push(id.clone());
                }
            }
        }
        Ok(())
    }

    /// The required fields that were missing, by table and field.
    pub fn missing(&self) -> Vec<MissingField> {
        self.notes
            .iter()
            .map(|((table, field, filled), (count, examples))| MissingField {
                table: (*table).to_owned(),
                field: field.clone(),
                filled: filled.clone(),
                count: *count,
                examples: examples.clone(),
            })
            .collect()
    }

    /// The files whose table was told by their content.
    pub fn guessed(&self) -> Vec<GuessedFile> {
        self.guessed
            .iter()
            .map(|(file, table)| GuessedFile {
                file: file.clone(),
                table: (*table).to_owned(),
            })
            .collect()
    }

    /// The references an import cannot do without: a service's organization and program, a
    /// service-at-location's service and location. `known` answers for records already in the store.
    pub fn check_references(&self, known: &dyn Fn(&str, &str) -> bool) -> Parsed<()> {
        const NEEDED: &[(&str, &str, &str)] = &[
            ("service", "organization_id", "organization"),
            ("service", "program_id", "program"),
            ("service_at_location", "service_id", "service"),
            ("service_at_location", "location_id", "location"),
        ];
        for ((kind, _), (fields, place)) in &self.records {
            for (_, field, target) in NEEDED.iter().filter(|(k, _, _)| k == kind) {
                let Some(Value::String(id)) = fields.get(*field) else {
                    continue;
                };
                if self.get(target, id).is_none() && !known(target, id) {
                    return Err(problem(
                        place,
                        Some(field),
                        format!(
                            "points at the {target} {id}, which is neither in this import nor in the directory"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Links that point at no record (kept as they came, reported to the person importing).
    pub fn dangling(&self, known: &dyn Fn(&str, &str) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for ((kind, id), (fields, _)) in &self.records {
            for (field, value) in fields {
                let Some(target) = field.strip_suffix("_id").and_then(|t| match t {
                    "parent_organization" => Some("organization"),
                    "parent" => Some("taxonomy_term"),
                    t => table(t),
                }) else {
                    continue;
                };
                let Value::String(to) = value else { continue };
                if self.get(target, to).is_none() && !known(target, to) {
                    out.push(format!("{kind} {id}: {field} {to}"));
                }
            }
        }
        out
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The value a missing required field takes when Proxi knows it: Brussels' directory is Belgian, its
/// addresses are physical, a listed service is active. An address with a Brussels postal code is in
/// the Brussels-Capital Region, which ISO 3166-2 writes `BE-BRU` (Belgium has no state or province).
fn default_value(kind: &str, field: &str, fields: &Fields) -> Option<String> {
    let value = match (kind, field) {
        ("address", "country") => "BE",
        ("address", "address_type") => "physical",
        ("address", "state_province") => {
            let postal = fields.get("postal_code").and_then(Value::as_str)?;
            crate::territory::lookup(postal.trim())?;
            "BE-BRU"
        }
        ("service", "status") => "active",
        ("location", "location_type") => "physical",
        _ => return None,
    };
    Some(value.to_owned())
}

/// The table whose columns (and nested lists) the `keys` of a file's first record fit best: each key
/// that is a column of it counts for it, each that is not counts against; a tie is no answer.
fn guess_table(keys: &[&str]) -> Option<&'static str> {
    let mut scored: Vec<(i64, &'static str)> = TABLES
        .iter()
        .map(|(table, _)| {
            let columns = columns(table);
            let score = keys
                .iter()
                .filter(|k| **k != "id")
                .map(|k| {
                    let nested = NESTS
                        .iter()
                        .any(|(parent, names, _, _)| parent == table && names.contains(k));
                    if nested || columns.iter().any(|c| c.name == *k) {
                        2
                    } else {
                        -1
                    }
                })
                .sum();
            (score, *table)
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(best, table), (second, _), ..] if *best >= 4 && best > second => Some(table),
        _ => None,
    }
}

fn id_of(fields: &Fields, place: &Place) -> Parsed<String> {
    match fields.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        _ => Err(problem(place, Some("id"), "every record needs an id")),
    }
}

/// Gives a value the type its column has: numbers for number columns (a number written as text is
/// read), text for text columns. Fields the specification does not name are kept as they are.
fn typed(kind: &str, name: &str, value: Value, place: &Place) -> Parsed<Value> {
    let Some(column) = columns(kind).iter().find(|c| c.name == name) else {
        return Ok(value);
    };
    match (column.number, value) {
        (true, Value::Number(n)) => Ok(Value::Number(n)),
        (true, Value::String(s)) => parse_number(s.trim()).ok_or_else(|| {
            problem(
                place,
                Some(name),
                format!("expected a number, found \"{s}\""),
            )
        }),
        (true, other) => Err(problem(
            place,
            Some(name),
            format!("expected a number, found {other}"),
        )),
        (false, Value::Number(n)) => Ok(Value::String(n.to_string())),
        (false, Value::Bool(b)) => Ok(Value::String(b.to_string())),
        (false, other) => Ok(other),
    }
}

fn parse_number(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f = text.parse::<f64>().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

/// Reads an import: a CSV datapackage (a folder of `*.csv`), one JSON file, or a folder of JSON files.
///
/// # Errors
/// The first problem found, with its file, line (or JSON path) and field. Nothing is partly read.
pub fn read_path(path: &Path) -> Parsed<RecordSet> {
    let place = Place {
        file: path.display().to_string(),
        line: None,
        path: None,
    };
    let meta =
        fs::metadata(path).map_err(|e| problem(&place, None, format!("cannot be read: {e}")))?;
    let mut set = RecordSet::default();
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .map_err(|e| problem(&place, None, format!("cannot be listed: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        let csv: Vec<&PathBuf> = entries.iter().filter(|p| has_ext(p, "csv")).collect();
        let json: Vec<&PathBuf> = entries
            .iter()
            .filter(|p| has_ext(p, "json") && !is_datapackage(p))
            .collect();
        if csv.is_empty() && json.is_empty() {
            return Err(problem(
                &place,
                None,
                "holds no HSDS file (CSV tables such as services.csv, or JSON files)",
            ));
        }
        for file in csv {
            read_csv_file(file, &mut set)?;
        }
        for file in json {
            read_json_file(file, &mut set)?;
        }
    } else if has_ext(path, "json") {
        read_json_file(path, &mut set)?;
    } else if has_ext(path, "csv") {
        return Err(problem(
            &place,
            None,
            "a CSV table goes with the others: import the folder that holds services.csv, organizations.csv…",
        ));
    } else {
        return Err(problem(
            &place,
            None,
            "is neither a JSON file nor a folder of HSDS CSV files",
        ));
    }
    set.complete()?;
    Ok(set)
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn is_datapackage(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()) == Some("datapackage.json")
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`] before reading it.
fn read_bounded(path: &Path, place: &Place) -> Parsed<Vec<u8>> {
    let file =
        fs::File::open(path).map_err(|e| problem(place, None, format!("cannot be opened: {e}")))?;
    let size = file
        .metadata()
        .map_err(|e| problem(place, None, format!("cannot be read: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(problem(
            place,
            None,
            format!(
                "is {} MB, more than the {} MB an import accepts: split it or check it is the right file",
                size / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| problem(place, None, format!("cannot be read: {e}")))?;
    Ok(bytes)
}

/// Reads one table of a CSV datapackage; its name says which table it is.
fn read_csv_file(path: &Path, set: &mut RecordSet) -> Parsed<()> {
    let name = file_name(path);
    let at = |line: Option<u64>| Place {
        file: name.clone(),
        line,
        path: None,
    };
    let bytes = read_bounded(path, &at(None))?;
    let named = TABLES
        .iter()
        .find(|(_, file)| file.eq_ignore_ascii_case(&name))
        .map(|(kind, _)| *kind);
    let kind = match named {
        Some(kind) => kind,
        None => {
            let header = csv::ReaderBuilder::new()
                .from_reader(bytes.as_slice())
                .headers()
                .map(|h| {
                    h.iter()
                        .map(|c| c.trim_start_matches('\u{feff}').trim().to_owned())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let keys: Vec<&str> = header.iter().map(String::as_str).collect();
            let kind = guess_table(&keys).ok_or_else(|| {
                problem(
                    &at(None),
                    None,
                    "neither its name nor its columns say which HSDS table it is \
                     (services.csv, organizations.csv, locations.csv…)",
                )
            })?;
            set.guessed.push((name.clone(), kind));
            kind
        }
    };
    read_csv(kind, &name, &bytes, set)
}

/// Reads the rows of one CSV table into `set`.
pub fn read_csv(kind: &'static str, name: &str, bytes: &[u8], set: &mut RecordSet) -> Parsed<()> {
    let at = |line: u64| Place {
        file: name.to_owned(),
        line: Some(line),
        path: None,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| problem(&at(1), None, format!("the header cannot be read: {e}")))?
        .clone();
    let mut names = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let column = std::str::from_utf8(raw).map_err(|_| {
            problem(
                &at(1),
                None,
                format!("column {} of the header is not UTF-8 text", i + 1),
            )
        })?;
        let column = column.trim_start_matches('\u{feff}').trim().to_owned();
        if names.contains(&column) {
            return Err(problem(&at(1), Some(&column), "this column is given twice"));
        }
        names.push(column);
    }
    if NAMED.contains(&kind) && !names.iter().any(|n| n == "name") {
        return Err(problem(
            &at(1),
            Some("name"),
            format!("the column name is missing; a {kind} must have one"),
        ));
    }
    if !names.iter().any(|n| n == "id") {
        return Err(problem(&at(1), Some("id"), "the column id is missing"));
    }
    let mut row = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The csv crate counts lines from the end of the header: one more is the file's line.
                let line = e.position().map_or(0, csv::Position::line) + 1;
                return Err(problem(&at(line), None, format!("{e}")));
            }
        }
        let line = row.position().map_or(0, csv::Position::line) + 1;
        let place = at(line);
        let mut fields = Fields::new();
        for (column, raw) in names.iter().zip(row.iter()) {
            let text = std::str::from_utf8(raw)
                .map_err(|_| problem(&place, Some(column), "this value is not UTF-8 text"))?;
            if text.is_empty() {
                continue;
            }
            let value = typed(kind, column, Value::String(text.to_owned()), &place)?;
            fields.insert(column.clone(), value);
        }
        set.insert_row(kind, fields, place)?;
    }
    Ok(())
}

/// Which table the objects of a JSON file are, from its name (`service_full.json`, `locations.json`…).
fn json_kind(name: &str) -> Option<&'static str> {
    let stem = name.trim_end_matches(".json").to_ascii_lowercase();
    [
        "service_at_location",
        "service",
        "organization",
        "location",
        "taxonomy_term",
        "taxonomy",
    ]
    .into_iter()
    .find(|k| stem.starts_with(k))
}

fn read_json_file(path: &Path, set: &mut RecordSet) -> Parsed<()> {
    let name = file_name(path);
    let place = Place {
        file: name.clone(),
        line: None,
        path: None,
    };
    let bytes = read_bounded(path, &place)?;
    read_json(&name, &bytes, set)
}

/// Reads one JSON file into `set`: one object, an array of them, an HSDS page (`contents`), or the
/// `unlinked.json` of a Proxi export.
pub fn read_json(name: &str, bytes: &[u8], set: &mut RecordSet) -> Parsed<()> {
    let root_place = Place {
        file: name.to_owned(),
        line: None,
        path: None,
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let place = Place {
            line: Some(e.line() as u64),
            ..root_place.clone()
        };
        problem(&place, None, format!("this is not valid JSON: {e}"))
    })?;
    if name.starts_with("unlinked") {
        let Value::Object(tables) = value else {
            return Err(problem(&root_place, None, "expected an object of tables"));
        };
        for (table_name, rows) in tables {
            let Some(kind) = table(&table_name) else {
                return Err(problem(
                    &root_place,
                    Some(&table_name),
                    "is not an HSDS table",
                ));
            };
            let Value::Array(rows) = rows else {
                return Err(problem(&root_place, Some(&table_name), "expected a list"));
            };
            for (i, row) in rows.into_iter().enumerate() {
                walk(
                    kind,
                    row,
                    &format!("{table_name}[{i}]"),
                    None,
                    &root_place,
                    set,
                )?;
            }
        }
        return Ok(());
    }
    let kind = match json_kind(name) {
        Some(kind) => kind,
        None => {
            let first = match &value {
                Value::Object(page) if page.get("contents").is_some_and(Value::is_array) => {
                    page.get("contents").and_then(|c| c.get(0))
                }
                Value::Array(items) => items.first(),
                object @ Value::Object(_) => Some(object),
                _ => None,
            };
            let keys: Vec<&str> = first
                .and_then(Value::as_object)
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let kind = guess_table(&keys).ok_or_else(|| {
                problem(
                    &root_place,
                    None,
                    "neither its name nor its content say what it holds: HSDS services, \
                     organizations, locations… (a name such as services.json tells it)",
                )
            })?;
            set.guessed.push((name.to_owned(), kind));
            kind
        }
    };
    match value {
        Value::Object(mut page) if page.get("contents").is_some_and(Value::is_array) => {
            if let Some(Value::Array(items)) = page.remove("contents") {
                for (i, item) in items.into_iter().enumerate() {
                    walk(
                        kind,
                        item,
                        &format!("contents[{i}]"),
                        None,
                        &root_place,
                        set,
                    )?;
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                walk(kind, item, &format!("[{i}]"), None, &root_place, set)?;
            }
            Ok(())
        }
        object @ Value::Object(_) => walk(kind, object, "$", None, &root_place, set).map(|_| ()),
        other => Err(problem(
            &root_place,
            None,
            format!("expected an object or a list of {kind} objects, found {other}"),
        )),
    }
}

/// Flattens one JSON object and everything nested in it; returns its id.
fn walk(
    kind: &'static str,
    value: Value,
    path: &str,
    inherited: Option<(&'static str, &str)>,
    root: &Place,
    set: &mut RecordSet,
) -> Parsed<String> {
    let place = Place {
        path: Some(path.to_owned()),
        ..root.clone()
    };
    let Value::Object(object) = value else {
        return Err(problem(
            &place,
            None,
            format!("expected a {kind} object, found {value}"),
        ));
    };
    let mut fields = Fields::new();
    let mut nested = Vec::new();
    for (key, value) in object {
        match value {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => nested.push((key, value)),
            scalar => {
                let value = typed(kind, &key, scalar, &place)?;
                fields.insert(key, value);
            }
        }
    }
    let id = id_of(&fields, &place)?;
    if let Some((field, parent)) = inherited {
        fields
            .entry(field)
            .or_insert_with(|| Value::String(parent.to_owned()));
    }
    for (key, value) in nested {
        let Some((_, _, child, link)) = NESTS
            .iter()
            .find(|(parent, keys, _, _)| *parent == kind && keys.contains(&key.as_str()))
        else {
            return Err(problem(
                &place,
                Some(&key),
                format!("Proxi does not know what a {key} nested in a {kind} is"),
            ));
        };
        match (link, value) {
            (Link::Child(field), Value::Array(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    walk(
                        child,
                        item,
                        &format!("{path}.{key}[{i}]"),
                        Some((field, &id)),
                        root,
                        set,
                    )?;
                }
            }
            (Link::Parent(field), object @ Value::Object(_)) => {
                let child_id = walk(child, object, &format!("{path}.{key}"), None, root, set)?;
                fields
                    .entry(*field)
                    .or_insert_with(|| Value::String(child_id));
            }
            (Link::Child(_), _) => {
                return Err(problem(&place, Some(&key), "expected a list"));
            }
            (Link::Parent(_), _) => {
                return Err(problem(&place, Some(&key), "expected one object"));
            }
        }
    }
    set.merge(kind, fields, place)?;
    Ok(id)
}

/// Every record of a directory, by table then id, for export.
pub type Tables = BTreeMap<&'static str, BTreeMap<String, Fields>>;

mod write;
pub use write::{write_csv, write_json};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_table_reads_and_names_what_is_required() {
        let service = columns("service");
        assert!(service.iter().any(|c| c.name == "name" && c.required));
        assert!(service.iter().any(|c| c.name == "minimum_age" && c.number));
        assert!(
            !service.iter().any(|c| c.name == "phones"),
            "arrays are not columns"
        );
        assert!(
            !columns("schedule")
                .iter()
                .any(|c| c.name == "bymonthday" && c.number)
        );
        for (kind, _) in TABLES {
            assert!(!columns(kind).is_empty(), "{kind}");
        }
    }

    #[test]
    fn a_number_column_refuses_words_and_a_text_column_keeps_digits() {
        let place = Place {
            file: "locations.csv".into(),
            line: Some(2),
            path: None,
        };
        let e = typed("location", "latitude", Value::from("north"), &place).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("latitude"));
        assert_eq!(
            typed("location", "latitude", Value::from("50.85"), &place).expect("read"),
            Value::from(50.85)
        );
        assert_eq!(
            typed("address", "postal_code", Value::from(1000), &place).expect("read"),
            Value::from("1000")
        );
    }
}
