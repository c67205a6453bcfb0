//! Handing a plan over to another referent, between two real stores: the whole history arrives, bad
//! codes and files are refused with nothing written, and later edits on both sides merge.

use proxi::domain::{PriorityInput, Who};
use proxi::error::ErrorCode;
use proxi::store::AuditAction;
use serde_json::{Value, json};

use crate::hospital::{action, full_plan, reopen_with};
use crate::support::new_store;

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
