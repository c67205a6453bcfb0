//! The hospital liaison and concertation commands: `proxi fhir`, `proxi stay`, `proxi handover`,
//! `proxi concertation`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use proxi::clock::{Clock, SystemClock};
use uuid::Uuid;

use crate::{edits, open};

#[derive(Debug, Subcommand)]
pub enum FhirCommand {
    /// Write a person's plan as a FHIR Bundle for a professional the person agreed to share with
    Export {
        person: Uuid,
        /// The professional it goes to, as named in the person's consent
        #[arg(long)]
        to: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Read a hospital's discharge Bundle (FHIR R4 JSON) into proposals for a person's plan
    Import {
        file: PathBuf,
        #[arg(long)]
        person: Uuid,
    },
    /// A person's proposals from hospitals: id, status, what
    Proposals {
        person: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Accept a proposal into the plan
    Accept { person: Uuid, proposal: Uuid },
    /// Reject a proposal (kept in the list, marked)
    Reject { person: Uuid, proposal: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum ConcertationCommand {
    /// Start organising a concertation around a person; prints its id
    New {
        person: Uuid,
        #[arg(long, default_value = "Concertation")]
        title: String,
        #[arg(long, default_value = "")]
        place: String,
        #[arg(long, default_value = "")]
        video: String,
        /// How long, in minutes
        #[arg(long, default_value_t = 60)]
        minutes: u32,
    },
    /// Invite someone: --member <id> of the network, --person for the person, or a name alone
    Invite {
        person: Uuid,
        concertation: Uuid,
        name: String,
        #[arg(long, default_value = "")]
        role: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        riziv: String,
        #[arg(long, conflicts_with = "is_person")]
        member: Option<Uuid>,
        #[arg(long = "person")]
        is_person: bool,
    },
    /// Offer a time, in Brussels local time (2027-03-29T10:00); prints the slot's id
    Slot {
        person: Uuid,
        concertation: Uuid,
        start: jiff::civil::DateTime,
    },
    /// Record that a participant can come at a slot (--no: cannot)
    Available {
        person: Uuid,
        concertation: Uuid,
        participant: Uuid,
        slot: Uuid,
        #[arg(long)]
        no: bool,
    },
    /// The offered times, those that gather the most first, with who is missing
    Times { person: Uuid, concertation: Uuid },
    /// Decide the time
    Choose {
        person: Uuid,
        concertation: Uuid,
        slot: Uuid,
    },
    /// Write the report of the meeting (or, with --attendance, the attendance sheet) as PDF
    Report {
        person: Uuid,
        concertation: Uuid,
        #[arg(long)]
        attendance: bool,
        /// fr, nl or en
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write the invitation (iCalendar), for everyone or one participant
    Invitation {
        person: Uuid,
        concertation: Uuid,
        #[arg(long)]
        participant: Option<Uuid>,
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum HandoverCommand {
    /// Seal a person's whole plan for a colleague; prints the one-time code to tell them by phone
    Out {
        person: Uuid,
        /// The colleague's name
        #[arg(long)]
        to: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Open a colleague's handover file with the code they told you; prints the person's id
    In {
        file: PathBuf,
        #[arg(long)]
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StayCommand {
    /// Record an admission to hospital; prints the stay's id
    Admit {
        person: Uuid,
        #[arg(long)]
        hospital: String,
        /// The day of admission [default: today]
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        #[arg(long, default_value = "")]
        ward: String,
        /// The hospital referent to call (name and phone)
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Who was told (the GP, the family…)
        #[arg(long, default_value = "")]
        told: String,
        /// The planned discharge day
        #[arg(long)]
        discharge: Option<jiff::civil::Date>,
        #[arg(long)]
        json: bool,
    },
    /// Plan or record the discharge of a stay
    Discharge {
        person: Uuid,
        stay: Uuid,
        #[arg(long)]
        date: jiff::civil::Date,
        /// Where the person goes (home, a convalescent home…)
        #[arg(long, default_value = "")]
        to: String,
        /// The person has left (otherwise the day is planned)
        #[arg(long)]
        done: bool,
    },
    /// The one-page liaison sheet for the hospital ward, as PDF
    Liaison {
        person: Uuid,
        /// fr, nl or en: the hospital's language
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Turn an item of the return-home checklist into an agreed action
    Checklist {
        person: Uuid,
        stay: Uuid,
        /// equipment, home-nursing, home-help, medication-review, meals, first-two-days
        item: String,
        what: String,
        /// person, referent, carer:<name>, member:<id>, service:<id>
        #[arg(long, default_value = "referent")]
        who: String,
        #[arg(long)]
        due: Option<jiff::civil::Date>,
    },
}

pub fn fhir(path: &Path, command: FhirCommand, out: &mut impl Write) -> anyhow::Result<()> {
    let mut app = open(path)?;
    match command {
        FhirCommand::Export { person, to, output } => {
            let bundle = app.fhir_export(person, &to)?;
            std::fs::write(&output, serde_json::to_string_pretty(&bundle)? + "\n")
                .with_context(|| format!("writing {}", output.display()))?;
        }
        FhirCommand::Import { file, person } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let summary = app.fhir_import(person, &bytes)?;
            writeln!(
                out,
                "{} proposals from {} ({} already in the plan)",
                summary.proposed, summary.bundle, summary.already_in_plan
            )?;
        }
        FhirCommand::Proposals { person, json } => {
            let proposals = app.plan(person)?.plan.proposals;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&proposals)?)?;
            } else {
                for p in proposals {
                    let what = match &p.item {
                        proxi::fhir::import::ProposedItem::Goal { words, .. } => {
                            format!("goal: {words}")
                        }
                        proxi::fhir::import::ProposedItem::Activity { what, .. } => {
                            format!("action: {what}")
                        }
                        proxi::fhir::import::ProposedItem::Member { name, role, .. } => {
                            format!("network: {name} ({role:?})")
                        }
                    };
                    writeln!(out, "{}\t{:?}\t{what}", p.id, p.status)?;
                }
            }
        }
        FhirCommand::Accept { person, proposal } => {
            let id = app.accept_proposal(person, proposal)?;
            writeln!(out, "{id}")?;
        }
        FhirCommand::Reject { person, proposal } => app.reject_proposal(person, proposal)?,
    }
    Ok(())
}

pub fn stay(path: &Path, command: StayCommand, out: &mut impl Write) -> anyhow::Result<()> {
    use proxi::hospital::{ChecklistItem, StayInput};
    let mut app = open(path)?;
    match command {
        StayCommand::Admit {
            person,
            hospital,
            date,
            ward,
            contact,
            reason,
            told,
            discharge,
            json,
        } => {
            let id = app.admit(
                person,
                StayInput {
                    admitted: date.unwrap_or_else(|| SystemClock.today()),
                    hospital,
                    hospital_service: None,
                    ward,
                    hospital_contact: contact,
                    reason,
                    told,
                    discharge_on: discharge,
                    discharge_to: String::new(),
                    discharged: false,
                },
            )?;
            edits::print_id(out, id, json)?;
        }
        StayCommand::Discharge {
            person,
            stay,
            date,
            to,
            done,
        } => {
            let s = app
                .plan(person)?
                .plan
                .stays
                .into_iter()
                .find(|s| s.id == stay)
                .with_context(|| format!("no stay {stay} in this plan"))?;
            app.edit_stay(
                person,
                stay,
                StayInput {
                    admitted: s.admitted,
                    hospital: s.hospital,
                    hospital_service: s.hospital_service,
                    ward: s.ward,
                    hospital_contact: s.hospital_contact,
                    reason: s.reason,
                    told: s.told,
                    discharge_on: Some(date),
                    discharge_to: to,
                    discharged: done,
                },
            )?;
        }
        StayCommand::Liaison {
            person,
            lang,
            output,
        } => {
            std::fs::write(&output, app.liaison_sheet(person, &lang)?)
                .with_context(|| format!("writing {}", output.display()))?;
        }
        StayCommand::Checklist {
            person,
            stay,
            item,
            what,
            who,
            due,
        } => {
            let item: ChecklistItem = edits::named("checklist item", &item)?;
            let input = proxi::domain::ActionInput {
                what,
                who: edits::who(&who)?,
                due,
                priority_id: None,
                outcome: String::new(),
            };
            let id = app.checklist_action(person, stay, item, input)?;
            writeln!(out, "{id}")?;
        }
    }
    Ok(())
}

pub fn concertation(
    path: &Path,
    command: ConcertationCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use proxi::concertation::{ConcertationInput, ParticipantInput, ParticipantKind};
    let mut app = open(path)?;
    match command {
        ConcertationCommand::New {
            person,
            title,
            place,
            video,
            minutes,
        } => {
            let input = ConcertationInput {
                title,
                place,
                video_link: video,
                minutes,
            };
            writeln!(out, "{}", app.new_concertation(person, input)?)?;
        }
        ConcertationCommand::Invite {
            person,
            concertation,
            name,
            role,
            email,
            riziv,
            member,
            is_person,
        } => {
            let kind = match (member, is_person) {
                (Some(id), _) => ParticipantKind::Member { id },
                (None, true) => ParticipantKind::Person,
                (None, false) => ParticipantKind::Other,
            };
            let input = ParticipantInput {
                kind,
                name,
                role,
                email,
                phone: String::new(),
                riziv,
            };
            writeln!(out, "{}", app.add_participant(person, concertation, input)?)?;
        }
        ConcertationCommand::Slot {
            person,
            concertation,
            start,
        } => writeln!(out, "{}", app.add_slot(person, concertation, start)?)?,
        ConcertationCommand::Available {
            person,
            concertation,
            participant,
            slot,
            no,
        } => app.set_available(person, concertation, participant, slot, !no)?,
        ConcertationCommand::Times {
            person,
            concertation,
        } => {
            let plan = app.plan(person)?;
            let c = plan
                .plan
                .concertations
                .iter()
                .find(|c| c.id == concertation)
                .with_context(|| format!("no concertation {concertation} in this plan"))?;
            for choice in proxi::concertation::rank_slots(c) {
                let missing = if choice.missing.is_empty() {
                    "everyone can come".to_owned()
                } else {
                    format!("missing: {}", choice.missing.join(", "))
                };
                writeln!(
                    out,
                    "{}\t{}\t{} of {}\t{missing}",
                    choice.slot,
                    choice.start.strftime("%Y-%m-%d %H:%M"),
                    choice.present.len(),
                    choice.present.len() + choice.missing.len()
                )?;
            }
        }
        ConcertationCommand::Choose {
            person,
            concertation,
            slot,
        } => app.choose_slot(person, concertation, Some(slot))?,
        ConcertationCommand::Report {
            person,
            concertation,
            attendance,
            lang,
            output,
        } => {
            let pdf = app.concertation_paper(person, concertation, attendance, &lang)?;
            std::fs::write(&output, pdf)
                .with_context(|| format!("writing {}", output.display()))?;
        }
        ConcertationCommand::Invitation {
            person,
            concertation,
            participant,
            lang,
            output,
        } => {
            let ics = app.invitation(person, concertation, participant, &lang)?;
            std::fs::write(&output, ics)
                .with_context(|| format!("writing {}", output.display()))?;
        }
    }
    Ok(())
}

pub fn handover(path: &Path, command: HandoverCommand, out: &mut impl Write) -> anyhow::Result<()> {
    let mut app = open(path)?;
    match command {
        HandoverCommand::Out { person, to, output } => {
            let handed = app.handover_out(person, &to)?;
            std::fs::write(&output, &handed.file)
                .with_context(|| format!("writing {}", output.display()))?;
            writeln!(out, "{}", handed.code)?;
        }
        HandoverCommand::In { file, code } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            writeln!(out, "{}", app.handover_in(&bytes, &code)?)?;
        }
    }
    Ok(())
}
