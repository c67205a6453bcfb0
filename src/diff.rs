//! What one change of a plan changed, field by field: "Action « Appeler le CPAS » : échéance
//! 2 déc. → 9 déc.". Computed by comparing the plan before and after the change, as JSON, so that a
//! field added to the domain shows up here without a line of code.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

/// One field that one change set: on which item, from what, to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    /// `person`, `plan`, `consent`, `priority`, `strength`, `difficulty`, `action`, `member`, `visit`,
    /// `stay`.
    pub item: String,
    /// The item as the referent knows it, before the change: its words, name or date.
    pub label: String,
    /// The field, as the plan's JSON names it (`due`, `address.postalCode`…); empty: the item was added.
    pub field: String,
    /// The value before (`null`: none).
    #[ts(type = "unknown")]
    pub old: Value,
    /// The value after.
    #[ts(type = "unknown")]
    pub new: Value,
}

/// The lists of a plan: (key in the plan, kind of item, the field that names an item).
const LISTS: [(&str, &str, &str); 7] = [
    ("priorities", "priority", "words"),
    ("strengths", "strength", "words"),
    ("difficulties", "difficulty", "words"),
    ("actions", "action", "what"),
    ("network", "member", "name"),
    ("visits", "visit", "date"),
    ("stays", "stay", "hospital"),
];

/// Fields that say nothing a referent changes by hand (ids, creation dates, the order: a reorder is
/// its own history line).
const QUIET: [&str; 3] = ["id", "created", "rank"];

/// The fields that differ between two states of a plan document (`PlanDocument` as JSON).
pub fn between(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let person_label = text(&after["person"]["displayName"]);
    fields(
        "person",
        &person_label,
        "",
        &before["person"],
        &after["person"],
        &mut out,
    );
    fields(
        "consent",
        "",
        "",
        &before["consent"],
        &after["consent"],
        &mut out,
    );
    if before["plan"]["reviewDate"] != after["plan"]["reviewDate"] {
        out.push(FieldChange {
            item: "plan".into(),
            label: person_label,
            field: "reviewDate".into(),
            old: before["plan"]["reviewDate"].clone(),
            new: after["plan"]["reviewDate"].clone(),
        });
    }
    for (list, item, name) in LISTS {
        let empty = Vec::new();
        let old_items = before["plan"][list].as_array().unwrap_or(&empty);
        for new_item in after["plan"][list].as_array().unwrap_or(&empty) {
            let id = &new_item["id"];
            match old_items.iter().find(|o| &o["id"] == id) {
                Some(old_item) => fields(
                    item,
                    &text(&old_item[name]),
                    "",
                    old_item,
                    new_item,
                    &mut out,
                ),
                None => out.push(FieldChange {
                    item: item.into(),
                    label: text(&new_item[name]),
                    field: String::new(),
                    old: Value::Null,
                    new: new_item[name].clone(),
                }),
            }
        }
    }
    out
}

/// Compares two objects key by key (nested objects as `outer.inner`, except values that are a whole,
/// like who does an action); one side missing or not an object compares as a whole.
fn fields(
    item: &str,
    label: &str,
    prefix: &str,
    old: &Value,
    new: &Value,
    out: &mut Vec<FieldChange>,
) {
    let empty = Map::new();
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        if old != new {
            out.push(FieldChange {
                item: item.into(),
                label: label.into(),
                field: prefix.trim_end_matches('.').into(),
                old: old.clone(),
                new: new.clone(),
            });
        }
        return;
    };
    let mut keys: Vec<&String> = n.keys().chain(o.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if QUIET.contains(&key.as_str()) {
            continue;
        }
        let (a, b) = (
            o.get(key).unwrap_or(&Value::Null),
            n.get(key).unwrap_or(&Value::Null),
        );
        if a == b {
            continue;
        }
        let nested = key == "address" && (a.is_object() || b.is_object());
        if nested {
            let a = if a.is_null() {
                &Value::Object(empty.clone())
            } else {
                a
            };
            fields(item, label, &format!("{prefix}{key}."), a, b, out);
        } else {
            out.push(FieldChange {
                item: item.into(),
                label: label.into(),
                field: format!("{prefix}{key}"),
                old: a.clone(),
                new: b.clone(),
            });
        }
    }
}

fn text(value: &Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(due: &str, commune: &str, extra_action: bool) -> Value {
        let mut actions = vec![
            json!({"id": "a1", "what": "Appeler le CPAS", "due": due, "status": "planned",
            "who": {"kind": "referent"}, "rank": 1, "created": "2026-11-01"}),
        ];
        if extra_action {
            actions.push(json!({"id": "a2", "what": "Écrire à la mutuelle", "due": null}));
        }
        json!({
            "person": {"displayName": "Aline", "address": {"street": "Rue 1", "postalCode": "1000", "commune": commune}},
            "plan": {"priorities": [], "strengths": [], "difficulties": [], "actions": actions,
                     "network": [], "visits": [], "reviewDate": null},
            "consent": null,
        })
    }

    #[test]
    fn a_change_says_which_item_which_field_from_what_to_what() {
        let before = doc("2026-12-02", "Bruxelles", false);
        let after = doc("2026-12-09", "Jette", true);
        let changes = between(&before, &after);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    item: "person".into(),
                    label: "Aline".into(),
                    field: "address.commune".into(),
                    old: json!("Bruxelles"),
                    new: json!("Jette"),
                },
                FieldChange {
                    item: "action".into(),
                    label: "Appeler le CPAS".into(),
                    field: "due".into(),
                    old: json!("2026-12-02"),
                    new: json!("2026-12-09"),
                },
                FieldChange {
                    item: "action".into(),
                    label: "Écrire à la mutuelle".into(),
                    field: String::new(),
                    old: Value::Null,
                    new: json!("Écrire à la mutuelle"),
                },
            ]
        );
        assert!(between(&after, &after).is_empty());
    }
}
