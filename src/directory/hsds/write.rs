//! Writing the directory back as HSDS: a CSV datapackage (one file per table and
//! `datapackage.json`) or HSDS JSON (`services.json` with the nested `service_full` objects).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Fields, Link, NESTS, TABLES, Tables, columns};

/// Writes a CSV datapackage: one file per table that has records, and `datapackage.json`.
///
/// # Errors
/// The file that could not be written.
pub fn write_csv(tables: &Tables, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut resources = Vec::new();
    for (kind, file) in TABLES {
        let Some(records) = tables.get(kind).filter(|r| !r.is_empty()) else {
            continue;
        };
        let mut header: Vec<String> = columns(kind).iter().map(|c| c.name.clone()).collect();
        let extra: BTreeSet<&String> = records
            .values()
            .flat_map(|f| f.keys())
            .filter(|k| !header.contains(k))
            .collect();
        header.extend(extra.into_iter().cloned());
        let path = dir.join(file);
        let mut writer = csv::Writer::from_path(&path)?;
        writer.write_record(&header)?;
        for fields in records.values() {
            writer.write_record(header.iter().map(|h| match fields.get(h) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            }))?;
        }
        writer.flush()?;
        resources.push(serde_json::json!({
            "name": kind,
            "path": file,
            "profile": "tabular-data-resource",
            "schema": {
                "primaryKey": "id",
                "fields": header.iter().map(|h| {
                    let number = columns(kind).iter().any(|c| &c.name == h && c.number);
                    serde_json::json!({"name": h, "type": if number { "number" } else { "string" }})
                }).collect::<Vec<_>>(),
            },
        }));
        written.push(path);
    }
    let package = serde_json::json!({
        "profile": "tabular-data-package",
        "name": "proxi-directory",
        "title": "Proxi directory (Open Referral HSDS 3)",
        "resources": resources,
    });
    let path = dir.join("datapackage.json");
    fs::write(
        &path,
        serde_json::to_vec_pretty(&package).map_err(std::io::Error::other)?,
    )?;
    written.push(path);
    Ok(written)
}

/// Writes the directory as JSON: `services.json`, an HSDS page of `service_full` objects, and
/// `unlinked.json`, every record no service reaches (by table), so that nothing is lost.
///
/// # Errors
/// The file that could not be written.
pub fn write_json(tables: &Tables, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let children = ChildIndex::new(tables);
    let mut emitted: HashSet<(&'static str, String)> = HashSet::new();
    let services: Vec<Value> = tables
        .get("service")
        .into_iter()
        .flat_map(|s| s.values())
        .map(|fields| {
            nest(
                "service",
                fields,
                tables,
                &children,
                &mut vec!["service"],
                &mut emitted,
            )
        })
        .collect();
    let page = serde_json::json!({
        "total_items": services.len(),
        "total_pages": 1,
        "page_number": 1,
        "size": services.len(),
        "first_page": true,
        "last_page": true,
        "empty": services.is_empty(),
        "contents": services,
    });
    let mut unlinked = Map::new();
    for (kind, records) in tables {
        let rest: Vec<Value> = records
            .iter()
            .filter(|(id, _)| !emitted.contains(&(*kind, (*id).clone())))
            .map(|(_, fields)| Value::Object(fields.clone()))
            .collect();
        if !rest.is_empty() {
            unlinked.insert((*kind).to_owned(), Value::Array(rest));
        }
    }
    let services_path = dir.join("services.json");
    fs::write(
        &services_path,
        serde_json::to_vec_pretty(&page).map_err(std::io::Error::other)?,
    )?;
    let unlinked_path = dir.join("unlinked.json");
    fs::write(
        &unlinked_path,
        serde_json::to_vec_pretty(&Value::Object(unlinked)).map_err(std::io::Error::other)?,
    )?;
    Ok(vec![services_path, unlinked_path])
}

/// For each (child table, link field, parent id): the ids of the children.
struct ChildIndex<'a> {
    by_link: HashMap<(&'static str, &'static str, &'a str), Vec<&'a str>>,
}

impl<'a> ChildIndex<'a> {
    fn new(tables: &'a Tables) -> Self {
        let mut by_link: HashMap<(&'static str, &'static str, &'a str), Vec<&'a str>> =
            HashMap::new();
        let links: BTreeSet<(&'static str, &'static str)> = NESTS
            .iter()
            .filter_map(|(_, _, child, link)| match link {
                Link::Child(field) => Some((*child, *field)),
                Link::Parent(_) => None,
            })
            .collect();
        for (child, field) in links {
            for (id, fields) in tables.get(child).into_iter().flatten() {
                if let Some(Value::String(parent)) = fields.get(field) {
                    by_link
                        .entry((child, field, parent.as_str()))
                        .or_default()
                        .push(id.as_str());
                }
            }
        }
        Self { by_link }
    }
}

/// One record with everything the HSDS nesting puts under it, never descending into a table already on
/// the way down (a service's organization does not list the services again).
fn nest(
    kind: &'static str,
    fields: &Fields,
    tables: &Tables,
    children: &ChildIndex<'_>,
    path: &mut Vec<&'static str>,
    emitted: &mut HashSet<(&'static str, String)>,
) -> Value {
    let mut object = fields.clone();
    let id = fields
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    emitted.insert((kind, id.clone()));
    for (parent, keys, child, link) in NESTS {
        if *parent != kind || path.contains(child) {
            continue;
        }
        let key = keys[0];
        let Some(records) = tables.get(child) else {
            continue;
        };
        path.push(child);
        match link {
            Link::Child(field) => {
                let ids = children
                    .by_link
                    .get(&(*child, *field, id.as_str()))
                    .map_or(&[][..], Vec::as_slice);
                if !ids.is_empty() {
                    let items = ids
                        .iter()
                        .filter_map(|c| records.get(*c))
                        .map(|f| nest(child, f, tables, children, path, emitted))
                        .collect();
                    object.insert(key.to_owned(), Value::Array(items));
                }
            }
            Link::Parent(field) => {
                if let Some(target) = fields
                    .get(*field)
                    .and_then(Value::as_str)
                    .and_then(|c| records.get(c))
                {
                    let item = nest(child, target, tables, children, path, emitted);
                    object.insert(key.to_owned(), item);
                }
            }
        }
        path.pop();
    }
    Value::Object(object)
}
