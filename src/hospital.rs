//! Hospital stays: the plan goes with the person to hospital and comes back with them.
//!
//! A stay is part of the plan document: the admission (when, which hospital and ward, the hospital
//! referent to call, why, who was told) and the discharge (when, where to). The return home is
//! prepared with a checklist the referent and the hospital referent fill together; each item becomes
//! an agreed action of the plan with an owner and a date, linked back to its stay.

use autosurgeon::{Hydrate, Reconcile};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::clock::new_id;
use crate::domain::{ActionInput, ActionStatus, AgreedAction, NAME_MAX, WORDS_MAX};
use crate::error::{ErrorCode, Result};

/// What the return home needs, as the referent and the hospital referent go through it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Reconcile, Hydrate, TS,
)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChecklistItem {
    /// A bed, a walker, a commode… ordered and delivered before the return.
    Equipment,
    HomeNursing,
    HomeHelp,
    /// The treatment after the stay, gone through with the GP or the pharmacist.
    MedicationReview,
    Meals,
    /// Who comes in the first 48 hours at home.
    FirstTwoDays,
}

impl ChecklistItem {
    /// Every item, in the order the checklist asks them.
    pub const ALL: [ChecklistItem; 6] = [
        ChecklistItem::Equipment,
        ChecklistItem::HomeNursing,
        ChecklistItem::HomeHelp,
        ChecklistItem::MedicationReview,
        ChecklistItem::Meals,
        ChecklistItem::FirstTwoDays,
    ];
}

/// A stay in hospital, from admission to discharge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Stay {
    #[key]
    pub id: Uuid,
    #[autosurgeon(with = "crate::domain::am_date")]
    #[ts(type = "string")]
    pub admitted: Date,
    /// The hospital, as people say it.
    pub hospital: String,
    /// The hospital in the directory, when it is there.
    pub hospital_service: Option<String>,
    pub ward: String,
    /// The hospital referent (or the ward's social worker) to call: name and phone, as written.
    pub hospital_contact: String,
    pub reason: String,
    /// Who was told of the admission (the GP, the family, the home nurse…).
    pub told: String,
    /// The day the person leaves hospital, planned or done.
    #[autosurgeon(with = "crate::domain::am_opt_date")]
    #[ts(type = "string | null")]
    pub discharge_on: Option<Date>,
    /// Where the person goes on leaving (home, a convalescent home, family…).
    pub discharge_to: String,
    /// The person has left hospital.
    pub discharged: bool,
    /// Items of the return-home checklist the person does not need.
    pub not_needed: Vec<ChecklistItem>,
    #[autosurgeon(with = "crate::domain::am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// Where an agreed action came from, when it did not start in this plan's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
#[ts(export)]
pub enum ItemSource {
    /// An item of a stay's return-home checklist.
    Checklist { stay: Uuid, item: ChecklistItem },
    /// A decision of a concertation around the person.
    Concertation { concertation: Uuid },
    /// A proposal of a discharge Bundle from a hospital, accepted by the referent.
    Hospital {
        /// The file's Bundle, as it names itself (its identifier or id).
        bundle: String,
        /// The resource it came from (`Goal/…`, `CarePlan/…#activity[2]`).
        resource: String,
        #[ts(type = "string")]
        #[autosurgeon(with = "crate::domain::am_date")]
        accepted_on: Date,
    },
}

/// What the stay form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StayInput {
    #[ts(type = "string")]
    pub admitted: Date,
    pub hospital: String,
    #[serde(default)]
    pub hospital_service: Option<String>,
    #[serde(default)]
    pub ward: String,
    #[serde(default)]
    pub hospital_contact: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub told: String,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub discharge_on: Option<Date>,
    #[serde(default)]
    pub discharge_to: String,
    #[serde(default)]
    pub discharged: bool,
}

/// Checks a stay's fields.
pub fn check_stay(input: &StayInput) -> crate::domain::Checks {
    let mut c = crate::domain::Checks::default();
    c.rule(
        input.hospital.trim().is_empty(),
        ErrorCode::HospitalEmpty,
        "hospital",
    )
    .length(&input.hospital, NAME_MAX, "hospital")
    .length(&input.ward, NAME_MAX, "ward")
    .length(&input.hospital_contact, NAME_MAX, "hospitalContact")
    .length(&input.reason, WORDS_MAX, "reason")
    .length(&input.told, WORDS_MAX, "told")
    .length(&input.discharge_to, NAME_MAX, "dischargeTo")
    .rule(
        input.discharge_on.is_some_and(|d| d < input.admitted),
        ErrorCode::DischargeBeforeAdmission,
        "dischargeOn",
    )
    .rule(
        input.discharged && input.discharge_on.is_none(),
        ErrorCode::DischargeDateMissing,
        "dischargeOn",
    );
    c
}

/// A person in hospital, or about to leave it, for the follow-up list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaySummary {
    pub person_id: Uuid,
    pub display_name: String,
    pub stay_id: Uuid,
    pub hospital: String,
    #[ts(type = "string")]
    pub admitted: Date,
    #[ts(type = "string | null")]
    pub discharge_on: Option<Date>,
    /// Checklist items with neither an action nor "not needed": what is still to prepare.
    pub checklist_open: u32,
}

/// The checklist items of `stay` still to prepare: no action came from them and they were not set
/// aside as not needed.
pub fn checklist_open(stay: &Stay, actions: &[AgreedAction]) -> Vec<ChecklistItem> {
    ChecklistItem::ALL
        .into_iter()
        .filter(|item| !stay.not_needed.contains(item))
        .filter(|item| {
            !actions.iter().any(|a| {
                a.status != ActionStatus::Dropped
                    && matches!(&a.source, Some(ItemSource::Checklist { stay: s, item: i })
                        if *s == stay.id && i == item)
            })
        })
        .collect()
}

fn stay_mut(stays: &mut [Stay], id: Uuid) -> Result<&mut Stay> {
    stays
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or(crate::Error::ItemNotFound { kind: "stay", id })
}

impl Proxi {
    /// The one-page liaison sheet for the hospital ward, in `lang` (fr, nl or en: the hospital's
    /// language), dated today and signed by this store's author. Recorded in the audit log as a print.
    ///
    /// # Errors
    /// [`crate::Error::PersonNotFound`]; [`crate::Error::Sheet`] for another language.
    pub fn liaison_sheet(&mut self, person: Uuid, lang: &str) -> Result<Vec<u8>> {
        let plan = self.plan(person)?;
        let services = self.sheet_services(&plan, lang);
        let referent = self.store().author().to_owned();
        let today = self.now().to_zoned(crate::clock::brussels()).date();
        let pdf = crate::sheet::render_liaison(&plan, lang, today, &referent, &services)?;
        let now = self.now();
        self.store()
            .audit(now, crate::store::AuditAction::Print, person)?;
        Ok(pdf)
    }

    /// Records an admission to hospital (with, if known already, the planned discharge).
    ///
    /// # Errors
    /// [`crate::Error::Invalid`], [`crate::Error::PersonNotFound`], [`crate::Error::PersonArchived`],
    /// [`crate::Error::Storage`].
    pub fn admit(&mut self, person: Uuid, input: StayInput) -> Result<Uuid> {
        check_stay(&input).finish()?;
        self.change(person, "stay.admit", |plan, now, _| {
            let id = new_id(now);
            plan.plan.stays.push(Stay {
                id,
                admitted: input.admitted,
                hospital: input.hospital.trim().to_owned(),
                hospital_service: input.hospital_service.filter(|s| !s.trim().is_empty()),
                ward: input.ward,
                hospital_contact: input.hospital_contact,
                reason: input.reason,
                told: input.told,
                discharge_on: input.discharge_on,
                discharge_to: input.discharge_to,
                discharged: input.discharged,
                not_needed: Vec::new(),
                created: now,
            });
            Ok(id)
        })
    }

    /// Changes a stay: corrects the admission, plans or records the discharge.
    ///
    /// # Errors
    /// As [`Proxi::admit`], and [`crate::Error::ItemNotFound`].
    pub fn edit_stay(&mut self, person: Uuid, id: Uuid, input: StayInput) -> Result<()> {
        check_stay(&input).finish()?;
        self.change(person, "stay.edit", |plan, _, _| {
            let stay = stay_mut(&mut plan.plan.stays, id)?;
            stay.admitted = input.admitted;
            stay.hospital = input.hospital.trim().to_owned();
            stay.hospital_service = input.hospital_service.filter(|s| !s.trim().is_empty());
            stay.ward = input.ward;
            stay.hospital_contact = input.hospital_contact;
            stay.reason = input.reason;
            stay.told = input.told;
            stay.discharge_on = input.discharge_on;
            stay.discharge_to = input.discharge_to;
            stay.discharged = input.discharged;
            Ok(())
        })
    }

    /// Turns an item of a stay's return-home checklist into an agreed action (who does what, by
    /// when), linked to the stay.
    ///
    /// # Errors
    /// As [`Proxi::add_action`], and [`crate::Error::ItemNotFound`] for an unknown stay.
    pub fn checklist_action(
        &mut self,
        person: Uuid,
        stay: Uuid,
        item: ChecklistItem,
        input: ActionInput,
    ) -> Result<Uuid> {
        let found = self.plan(person)?.plan.stays.iter().any(|s| s.id == stay);
        if !found {
            return Err(crate::Error::ItemNotFound {
                kind: "stay",
                id: stay,
            });
        }
        self.add_action_from(person, input, Some(ItemSource::Checklist { stay, item }))
    }

    /// Sets a checklist item aside as not needed for this return home, or takes it back.
    ///
    /// # Errors
    /// [`crate::Error::ItemNotFound`], [`crate::Error::PersonArchived`], [`crate::Error::Storage`].
    pub fn set_checklist_not_needed(
        &mut self,
        person: Uuid,
        stay: Uuid,
        item: ChecklistItem,
        not_needed: bool,
    ) -> Result<()> {
        self.change(person, "stay.checklist", |plan, _, _| {
            let stay = stay_mut(&mut plan.plan.stays, stay)?;
            stay.not_needed.retain(|i| *i != item);
            if not_needed {
                stay.not_needed.push(item);
            }
            Ok(())
        })
    }
}
