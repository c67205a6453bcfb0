//! The command line's edits: people and plans made and corrected without a window, each one the same
//! use case the window calls (and `plan apply` takes the window's own edit as JSON, so every edit the
//! window can make can be scripted).

use std::io::Write;

use anyhow::Context;
use clap::Subcommand;
use jiff::civil::Date;
use proxi::Proxi;
use proxi::domain::{
    ActionInput, ActionStatus, Address, ConsentInput, MemberInput, NetworkRole, OrientationInput,
    OrientationStep, PersonInput, PriorityInput, PriorityStatus, VisitInput, Who,
};
use proxi::edit::PlanEdit;
use uuid::Uuid;

/// A person's details; on `edit`, only those given change.
#[derive(Debug, clap::Args)]
pub struct PersonFields {
    /// How the person wants to be called
    #[arg(long)]
    display_name: Option<String>,
    #[arg(long)]
    first_name: Option<String>,
    #[arg(long)]
    last_name: Option<String>,
    #[arg(long)]
    birth_year: Option<i64>,
    /// A language the person speaks (ISO 639-1: fr, nl, ar, tr…); repeat for several (replaces them)
    #[arg(long = "language")]
    languages: Vec<String>,
    /// Needs an interpreter (true or false)
    #[arg(long)]
    interpreter: Option<bool>,
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    commune: Option<String>,
    /// The bassin, confirmed or corrected (nord, nord-est, centre-ouest, sud, sud-est); none: the one
    /// the postal code proposes
    #[arg(long)]
    bassin: Option<String>,
    /// The monitoring quartier's code (see the directory map)
    #[arg(long)]
    quartier: Option<u32>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// The national number (NISS/INSZ), only if the person gives it for a hospital; "" removes it
    #[arg(long)]
    niss: Option<String>,
}

impl PersonFields {
    fn over(self, mut p: PersonInput) -> anyhow::Result<PersonInput> {
        // A new postal code proposes its own bassin, unless one is given with it.
        if self.postal_code.is_some() {
            p.address.bassin = None;
        }
        if let Some(b) = &self.bassin {
            p.address.bassin = Some(named(
                "bassin (nord, nord-est, centre-ouest, sud, sud-est)",
                b,
            )?);
        }
        if self.quartier.is_some() {
            p.address.quartier = self.quartier;
        }
        let set = |field: &mut String, value: Option<String>| {
            if let Some(v) = value {
                *field = v;
            }
        };
        set(&mut p.display_name, self.display_name);
        set(&mut p.first_name, self.first_name);
        set(&mut p.last_name, self.last_name);
        if self.birth_year.is_some() {
            p.birth_year = self.birth_year;
        }
        if !self.languages.is_empty() {
            p.languages = self.languages;
        }
        if let Some(i) = self.interpreter {
            p.interpreter_needed = i;
        }
        set(&mut p.address.street, self.street);
        set(&mut p.address.postal_code, self.postal_code);
        set(&mut p.address.commune, self.commune);
        set(&mut p.phone, self.phone);
        set(&mut p.notes, self.notes);
        if let Some(niss) = self.niss {
            p.niss = Some(niss).filter(|n| !n.trim().is_empty());
        }
        if p.display_name.trim().is_empty() {
            p.display_name = p.first_name.clone();
        }
        Ok(p)
    }
}

#[derive(Debug, Subcommand)]
pub enum PersonEdit {
    /// A new person; prints their id
    Add {
        #[command(flatten)]
        fields: PersonFields,
        /// Print {"id": …} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Correct a person's details (only the options given change)
    Edit {
        id: Uuid,
        #[command(flatten)]
        fields: PersonFields,
    },
    /// Archive a person: out of the lists, the plan kept
    Archive { id: Uuid },
    /// Bring an archived person back into the lists
    Restore { id: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum PlanEditCommand {
    /// Add what matters to the person, in their words; prints the priority's id
    AddPriority {
        id: Uuid,
        words: String,
        /// A picture card (health, pain, family…)
        #[arg(long)]
        card: Option<String>,
        /// When to look at it again (YYYY-MM-DD)
        #[arg(long)]
        review: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// A priority's status: active, achieved or let-go
    PriorityStatus {
        id: Uuid,
        priority: Uuid,
        status: String,
    },
    /// Agree on an action; prints its id
    AddAction {
        id: Uuid,
        what: String,
        /// person, referent, carer:NAME, member:ID or community:ID
        #[arg(long, default_value = "person")]
        who: String,
        /// Due date (YYYY-MM-DD)
        #[arg(long)]
        due: Option<Date>,
        /// The priority it serves
        #[arg(long)]
        priority: Option<Uuid>,
        #[arg(long)]
        json: bool,
    },
    /// Correct an action (only the options given change)
    EditAction {
        id: Uuid,
        action: Uuid,
        #[arg(long)]
        what: Option<String>,
        /// person, referent, carer:NAME, member:ID or community:ID
        #[arg(long)]
        who: Option<String>,
        #[arg(long)]
        due: Option<Date>,
        #[arg(long)]
        priority: Option<Uuid>,
    },
    /// An action's status: planned, doing, done or dropped, with how it went
    ActionStatus {
        id: Uuid,
        action: Uuid,
        status: String,
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Where an orientation to a service stands: proposed, contacted, appointment (with --appointment),
    /// seen, refused, no-place or no-service-found (with --theme, the need)
    Orientation {
        id: Uuid,
        action: Uuid,
        step: String,
        #[arg(long)]
        appointment: Option<Date>,
        #[arg(long, default_value = "")]
        note: String,
        /// The need, as a directory theme code (kept as an unmet need when no service was found)
        #[arg(long)]
        theme: Option<String>,
    },
    /// Someone of the person's network; prints their id
    AddMember {
        id: Uuid,
        name: String,
        /// gp, nurse, pharmacist, social-worker, home-help, family, informal-carer…
        #[arg(long, default_value = "other")]
        role: String,
        #[arg(long, default_value = "")]
        organisation: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Take someone out of the network (kept in the history)
    RemoveMember { id: Uuid, member: Uuid },
    /// A home visit; prints its id
    AddVisit {
        id: Uuid,
        /// The day of the visit [default: today]
        #[arg(long)]
        date: Option<Date>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        next: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// What the person agreed to about their plan
    Consent {
        id: Uuid,
        /// The plan may be kept (true or false)
        #[arg(long)]
        keep: bool,
        /// The plan may be shared with the team (true or false)
        #[arg(long)]
        share: bool,
        /// A named professional the plan may be shared with (repeatable)
        #[arg(long = "professional")]
        professionals: Vec<String>,
        /// When it was agreed [default: today]
        #[arg(long)]
        on: Option<Date>,
    },
    /// When the whole plan is looked at again (YYYY-MM-DD; none to clear it)
    Review { id: Uuid, date: Option<Date> },
    /// Undo this computer's last edit of the plan
    Undo { id: Uuid },
    /// Any edit the window makes, as its JSON (e.g. '{"kind":"editVisit","id":…,"input":{…}}'); - reads stdin
    Apply { id: Uuid, edit: String },
}

/// camelCase from what one types at a terminal: `let-go`, `social_worker` → `letGo`, `socialWorker`.
fn camel(word: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in word.trim().chars() {
        if c == '-' || c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn named<T: serde::de::DeserializeOwned>(what: &str, word: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(camel(word)))
        .with_context(|| format!("{word:?} is not a {what}"))
}

pub(crate) fn who(text: &str) -> anyhow::Result<Who> {
    Ok(match text.split_once(':') {
        Some(("carer", name)) => Who::InformalCarer { name: name.into() },
        Some(("member", id)) => Who::Member {
            id: id.parse().context("member:ID needs a member's id")?,
        },
        Some(("community", id)) => Who::Community {
            id: id
                .parse()
                .context("community:ID needs a community resource's id (proxi community list)")?,
        },
        _ => match text {
            "person" => Who::Person,
            "referent" => Who::Referent,
            other => anyhow::bail!(
                "{other:?}: who is person, referent, carer:NAME, member:ID or community:ID"
            ),
        },
    })
}

pub(crate) fn print_id(out: &mut impl Write, id: Uuid, json: bool) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::json!({ "id": id }))?;
    } else {
        writeln!(out, "{id}")?;
    }
    Ok(())
}

pub fn person(app: &mut Proxi, command: PersonEdit, out: &mut impl Write) -> anyhow::Result<()> {
    match command {
        PersonEdit::Add { fields, json } => {
            let blank = PersonInput {
                display_name: String::new(),
                first_name: String::new(),
                last_name: String::new(),
                birth_year: None,
                languages: Vec::new(),
                interpreter_needed: false,
                address: Address {
                    street: String::new(),
                    postal_code: String::new(),
                    commune: String::new(),
                    bassin: None,
                    quartier: None,
                },
                phone: String::new(),
                notes: String::new(),
                niss: None,
            };
            let id = app.create_person(fields.over(blank)?)?;
            print_id(out, id, json)?;
        }
        PersonEdit::Edit { id, fields } => {
            let p = app.plan(id)?.person;
            let current = PersonInput {
                display_name: p.display_name,
                first_name: p.first_name,
                last_name: p.last_name,
                birth_year: p.birth_year,
                languages: p.languages,
                interpreter_needed: p.interpreter_needed,
                address: p.address,
                phone: p.phone,
                notes: p.notes,
                niss: p.niss,
            };
            app.update_person(id, fields.over(current)?)?;
        }
        PersonEdit::Archive { id } => app.set_archived(id, true)?,
        PersonEdit::Restore { id } => app.set_archived(id, false)?,
    }
    Ok(())
}

pub fn plan(
    app: &mut Proxi,
    today: Date,
    command: PlanEditCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match command {
        PlanEditCommand::AddPriority {
            id,
            words,
            card,
            review,
            json,
        } => {
            let new = app.add_priority(
                id,
                PriorityInput {
                    words,
                    card,
                    review_date: review,
                },
            )?;
            print_id(out, new, json)?;
        }
        PlanEditCommand::PriorityStatus {
            id,
            priority,
            status,
        } => {
            let status: PriorityStatus = named("status (active, achieved, let-go)", &status)?;
            app.set_priority_status(id, priority, status)?;
        }
        PlanEditCommand::AddAction {
            id,
            what,
            who: by,
            due,
            priority,
            json,
        } => {
            let new = app.add_action(
                id,
                ActionInput {
                    what,
                    who: who(&by)?,
                    due,
                    priority_id: priority,
                    outcome: String::new(),
                },
            )?;
            print_id(out, new, json)?;
        }
        PlanEditCommand::EditAction {
            id,
            action,
            what,
            who: by,
            due,
            priority,
        } => {
            let current = app
                .plan(id)?
                .plan
                .actions
                .into_iter()
                .find(|a| a.id == action)
                .ok_or(proxi::Error::ItemNotFound {
                    kind: "action",
                    id: action,
                })?;
            let input = ActionInput {
                what: what.unwrap_or(current.what),
                who: by.as_deref().map(who).transpose()?.unwrap_or(current.who),
                due: due.or(current.due),
                priority_id: priority.or(current.priority_id),
                outcome: current.outcome,
            };
            app.edit_action(id, action, input)?;
        }
        PlanEditCommand::ActionStatus {
            id,
            action,
            status,
            outcome,
        } => {
            let status: ActionStatus = named("status (planned, doing, done, dropped)", &status)?;
            app.set_action_status(id, action, status, outcome)?;
        }
        PlanEditCommand::Orientation {
            id,
            action,
            step,
            appointment,
            note,
            theme,
        } => {
            let step: OrientationStep = named(
                "step (proposed, contacted, appointment, seen, refused, no-place, no-service-found)",
                &step,
            )?;
            app.set_orientation(
                id,
                action,
                OrientationInput {
                    step,
                    appointment,
                    note,
                    theme,
                },
            )?;
        }
        PlanEditCommand::AddMember {
            id,
            name,
            role,
            organisation,
            phone,
            email,
            json,
        } => {
            let role: NetworkRole = named("role", &role)?;
            let new = app.add_member(
                id,
                MemberInput {
                    role,
                    name,
                    organisation,
                    phone,
                    email,
                },
            )?;
            print_id(out, new, json)?;
        }
        PlanEditCommand::RemoveMember { id, member } => app.close_member(id, member, true)?,
        PlanEditCommand::AddVisit {
            id,
            date,
            notes,
            next,
            json,
        } => {
            let new = app.add_visit(
                id,
                VisitInput {
                    date: date.unwrap_or(today),
                    place: String::new(),
                    notes,
                    next_visit: next,
                },
            )?;
            print_id(out, new, json)?;
        }
        PlanEditCommand::Consent {
            id,
            keep,
            share,
            professionals,
            on,
        } => app.record_consent(
            id,
            ConsentInput {
                recorded_on: on.unwrap_or(today),
                keep_plan: keep,
                share_with_team: share,
                professionals,
            },
        )?,
        PlanEditCommand::Review { id, date } => app.set_review_date(id, date)?,
        PlanEditCommand::Undo { id } => {
            let undone = app.undo(id)?;
            writeln!(out, "Undone: {undone}")?;
        }
        PlanEditCommand::Apply { id, edit } => {
            let text = if edit == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                edit
            };
            let edit: PlanEdit = serde_json::from_str(&text)
                .context("not an edit: see PlanEdit in ui/src/lib/bindings/PlanEdit.ts")?;
            app.apply(id, edit)?;
        }
    }
    Ok(())
}
