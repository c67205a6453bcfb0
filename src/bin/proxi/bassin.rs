//! The bassin's commands: Diapason groups (`proxi group …`), community resources (`proxi community
//! …`), the needs watch (`proxi needs-watch`) and the organisation's helpdesk (`proxi helpdesk`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use proxi::clock::{Clock, SystemClock};
use proxi::group::{GroupEdit, GroupInput, GroupMemberInput, RecommendationStatus};
use proxi::territory::Bassin;
use uuid::Uuid;

use crate::open;

fn bassin(code: &str) -> Result<Bassin, String> {
    Bassin::from_code(code).ok_or_else(|| "one of nord, nordEst, centreOuest, sud, sudEst".into())
}

fn status(code: &str) -> Result<RecommendationStatus, String> {
    RecommendationStatus::from_code(code)
        .ok_or_else(|| "one of proposed, adopted, inProgress, done, dropped".into())
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Start a Diapason group of the team; prints its id
    New {
        name: String,
        #[arg(long, value_parser = bassin)]
        bassin: Option<Bassin>,
        /// The cross-cutting problem it works on
        #[arg(long, default_value = "")]
        problem: String,
    },
    /// The team's groups: id, name, members, meetings, open recommendations
    List,
    /// One group: members, meetings, observations, recommendations and follow-ups, with their ids
    Show {
        group: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Add a member; prints their id
    Member {
        group: Uuid,
        name: String,
        #[arg(long, default_value = "")]
        sector: String,
        #[arg(long, default_value = "")]
        organisation: String,
        #[arg(long, default_value = "")]
        mandate: String,
    },
    /// Record a meeting (2027-02-11) with who came; prints its id
    Meeting {
        group: Uuid,
        date: jiff::civil::Date,
        /// A member who came (repeat for each)
        #[arg(long)]
        present: Vec<Uuid>,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Add an observation; prints its id
    Observe {
        group: Uuid,
        text: String,
        #[arg(long)]
        meeting: Option<Uuid>,
    },
    /// Add a recommendation (proposed); prints its id
    Recommend {
        group: Uuid,
        text: String,
        /// Who carries it
        #[arg(long, default_value = "")]
        owner: String,
    },
    /// Set where a recommendation stands: proposed, adopted, inProgress, done, dropped
    Status {
        group: Uuid,
        recommendation: Uuid,
        #[arg(value_parser = status)]
        status: RecommendationStatus,
    },
    /// Plan a follow-up of a recommendation (2027-06-01); prints its id
    FollowUp {
        group: Uuid,
        recommendation: Uuid,
        due: jiff::civil::Date,
    },
    /// Record that a follow-up was looked at, with what was found
    LookedAt {
        group: Uuid,
        recommendation: Uuid,
        follow_up: Uuid,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The recommendations whose follow-up is due within --days (30)
    Due {
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Write the group's report as PDF
    Report {
        group: Uuid,
        /// fr, nl or en
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Undo this laptop's last edit of the group
    Undo { group: Uuid },
}

/// Runs one `proxi group` command on the store at `path`.
pub(crate) fn group(
    path: &Path,
    command: GroupCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut app = open(path)?;
    let edit = |app: &mut proxi::app::Proxi, id: Uuid, edit: GroupEdit, out: &mut dyn Write| {
        if let Some(new) = app.edit_group(id, edit)? {
            writeln!(out, "{new}")?;
        }
        anyhow::Ok(())
    };
    match command {
        GroupCommand::New {
            name,
            bassin,
            problem,
        } => writeln!(
            out,
            "{}",
            app.new_group(GroupInput {
                name,
                bassin,
                problem
            })?
        )?,
        GroupCommand::List => {
            for g in app.groups()? {
                writeln!(
                    out,
                    "{}\t{}\t{} members\t{} meetings\t{} open recommendations{}",
                    g.id,
                    g.name,
                    g.members,
                    g.meetings,
                    g.open_recommendations,
                    if g.closed { "\tclosed" } else { "" }
                )?;
            }
        }
        GroupCommand::Show { group, json } => {
            let g = app.group(group)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&g)?)?;
            } else {
                show(&g, out)?;
            }
        }
        GroupCommand::Member {
            group,
            name,
            sector,
            organisation,
            mandate,
        } => {
            let input = GroupMemberInput {
                name,
                sector,
                organisation,
                mandate,
            };
            edit(&mut app, group, GroupEdit::AddMember { input }, out)?;
        }
        GroupCommand::Meeting {
            group,
            date,
            present,
            notes,
        } => {
            let id = app
                .edit_group(group, GroupEdit::AddMeeting { date })?
                .context("the meeting was not added")?;
            if !present.is_empty() || !notes.is_empty() {
                let record = GroupEdit::EditMeeting {
                    id,
                    date,
                    present,
                    notes,
                };
                if let Err(e) = app.edit_group(group, record) {
                    // The meeting alone stays out: taken back, so that the command did all or nothing.
                    app.edit_group(group, GroupEdit::Undo)?;
                    return Err(e.into());
                }
            }
            writeln!(out, "{id}")?;
        }
        GroupCommand::Observe {
            group,
            text,
            meeting,
        } => edit(
            &mut app,
            group,
            GroupEdit::AddObservation { text, meeting },
            out,
        )?,
        GroupCommand::Recommend { group, text, owner } => {
            edit(
                &mut app,
                group,
                GroupEdit::AddRecommendation { text, owner },
                out,
            )?;
        }
        GroupCommand::Status {
            group,
            recommendation,
            status,
        } => edit(
            &mut app,
            group,
            GroupEdit::SetRecommendationStatus {
                id: recommendation,
                status,
            },
            out,
        )?,
        GroupCommand::FollowUp {
            group,
            recommendation,
            due,
        } => edit(
            &mut app,
            group,
            GroupEdit::AddFollowUp {
                recommendation,
                due,
            },
            out,
        )?,
        GroupCommand::LookedAt {
            group,
            recommendation,
            follow_up,
            note,
        } => edit(
            &mut app,
            group,
            GroupEdit::RecordFollowUp {
                recommendation,
                id: follow_up,
                done: true,
                note,
            },
            out,
        )?,
        GroupCommand::Due { days } => {
            let horizon = SystemClock
                .today()
                .checked_add(jiff::Span::new().days(days))?;
            for r in app.recommendations_due(horizon)? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}{}",
                    r.due,
                    r.group_name,
                    r.text,
                    r.owner,
                    r.status.code(),
                    if r.overdue { "\toverdue" } else { "" }
                )?;
            }
        }
        GroupCommand::Report {
            group,
            lang,
            output,
        } => {
            let pdf = app.group_report(group, &lang)?;
            std::fs::write(&output, pdf)
                .with_context(|| format!("writing {}", output.display()))?;
        }
        GroupCommand::Undo { group } => edit(&mut app, group, GroupEdit::Undo, out)?,
    }
    Ok(())
}

fn show(g: &proxi::group::Group, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{}\t{}", g.id, g.name)?;
    if !g.problem.is_empty() {
        writeln!(out, "problem: {}", g.problem)?;
    }
    for m in &g.members {
        writeln!(
            out,
            "member {}\t{}\t{}\t{}{}",
            m.id,
            m.name,
            m.organisation,
            m.sector,
            if m.left { "\tleft" } else { "" }
        )?;
    }
    for m in &g.meetings {
        writeln!(
            out,
            "meeting {}\t{}\t{} present",
            m.id,
            m.date,
            m.present.len()
        )?;
    }
    for o in &g.observations {
        writeln!(out, "observation {}\t{}", o.id, o.text)?;
    }
    for r in &g.recommendations {
        writeln!(
            out,
            "recommendation {}\t{}\t{}\t{}",
            r.id,
            r.text,
            r.owner,
            r.status.code()
        )?;
        for f in &r.follow_ups {
            let state = f
                .done_on
                .map_or_else(|| "to do".to_owned(), |d| format!("looked at {d}"));
            writeln!(out, "  follow-up {}\t{}\t{state}", f.id, f.due)?;
        }
    }
    Ok(())
}

fn community_kind(code: &str) -> Result<proxi::community::CommunityKind, String> {
    serde_json::from_value(serde_json::Value::String(code.to_owned()))
        .map_err(|_| "one of neighbour, shop, connector, infoPoint, other".to_owned())
}

#[derive(Debug, Subcommand)]
pub enum CommunityCommand {
    /// Record a community resource for the team (private to it); prints its id
    Add {
        name: String,
        /// neighbour, shop, connector, infoPoint or other
        #[arg(long, default_value = "other", value_parser = community_kind)]
        kind: proxi::community::CommunityKind,
        /// What they can do
        #[arg(long, default_value = "")]
        offers: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// The monitoring quartier's number
        #[arg(long)]
        quartier: Option<u32>,
        #[arg(long, value_parser = bassin)]
        bassin: Option<Bassin>,
        /// It agreed to be listed in the directory's HSDS export
        #[arg(long)]
        public: bool,
    },
    /// The team's community resources: id, kind, name, quartier, bassin, phone
    List,
    /// No longer available (kept: actions may name it)
    Close { id: Uuid },
}

/// Runs one `proxi community` command on the store at `path`.
pub(crate) fn community(
    path: &Path,
    command: CommunityCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use proxi::community::CommunityInput;
    let mut app = open(path)?;
    match command {
        CommunityCommand::Add {
            name,
            kind,
            offers,
            phone,
            quartier,
            bassin,
            public,
        } => {
            let input = CommunityInput {
                kind,
                name,
                offers,
                phone,
                quartier,
                bassin,
                public,
            };
            writeln!(out, "{}", app.add_community(input)?)?;
        }
        CommunityCommand::List => {
            for r in app.community()? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}{}",
                    r.id,
                    r.kind.code(),
                    r.name,
                    r.quartier.map(|q| q.to_string()).unwrap_or_default(),
                    r.bassin.map(Bassin::code).unwrap_or_default(),
                    r.phone,
                    if r.closed { "\tclosed" } else { "" }
                )?;
            }
        }
        CommunityCommand::Close { id } => {
            let r = app
                .community()?
                .into_iter()
                .find(|r| r.id == id)
                .with_context(|| format!("no community resource {id}"))?;
            app.edit_community(id, r.input(), true)?;
        }
    }
    Ok(())
}

fn need_kind(text: &str) -> Result<proxi::needs::NeedKind, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| "one of priorities, difficulties, orientations, unmet".to_owned())
}

fn place_level(text: &str) -> Result<proxi::needs::PlaceLevel, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| "one of bassin, commune, quartier".to_owned())
}

#[derive(Debug, Args)]
pub struct NeedsWatchArgs {
    /// priorities, difficulties, orientations or unmet
    #[arg(long, default_value = "priorities", value_parser = need_kind)]
    kind: proxi::needs::NeedKind,
    /// bassin, commune or quartier
    #[arg(long, default_value = "bassin", value_parser = place_level)]
    level: proxi::needs::PlaceLevel,
    /// Count per quarter (else per month)
    #[arg(long)]
    quarter: bool,
    /// The period (2026-11, 2026-Q4); the latest by default
    #[arg(long)]
    period: Option<String>,
    /// The smallest count shown
    #[arg(long, default_value_t = proxi::needs::K, value_parser = clap::value_parser!(u32).range(2..=50))]
    k: u32,
    /// Write the table as CSV
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Runs `proxi needs-watch`: the table as CSV, on stdout or in a file.
pub(crate) fn needs_watch(
    path: &Path,
    args: NeedsWatchArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use proxi::needs::{NeedsQuery, PeriodLength};
    let query = NeedsQuery {
        kind: args.kind,
        level: args.level,
        length: if args.quarter {
            PeriodLength::Quarter
        } else {
            PeriodLength::Month
        },
        period: args.period,
    };
    let table = open(path)?.needs_watch(&query, args.k)?;
    let csv = proxi::needs::to_csv(&table)?;
    match args.output {
        Some(file) => {
            std::fs::write(&file, csv).with_context(|| format!("writing {}", file.display()))?;
        }
        None => write!(out, "{csv}")?,
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct HelpdeskArgs {
    #[arg(long, requires = "phone")]
    name: Option<String>,
    #[arg(long, requires = "name")]
    phone: Option<String>,
    #[arg(long, default_value = "")]
    hours: String,
    #[arg(long, conflicts_with_all = ["name", "phone"])]
    clear: bool,
}

/// Runs `proxi helpdesk`: sets or clears it when asked, then prints it.
pub(crate) fn helpdesk(
    path: &Path,
    args: HelpdeskArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut app = open(path)?;
    if args.clear {
        app.set_helpdesk(None)?;
    } else if let (Some(name), Some(phone)) = (args.name, args.phone) {
        let hours = args.hours;
        app.set_helpdesk(Some(proxi::helpdesk::Helpdesk { name, phone, hours }))?;
    }
    match app.helpdesk()? {
        Some(h) => writeln!(out, "{}\t{}\t{}", h.name, h.phone, h.hours)?,
        None => writeln!(out, "no helpdesk set")?,
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// The Focus guides: id, version, day checked (and "over a year ago"), title
    List,
    /// One guide's texts and the services it points to, those of the person's bassin first
    Show {
        #[command(flatten)]
        which: GuideFor,
    },
    /// The guide as a PDF to hand over (large type), in fr or nl
    Print {
        #[command(flatten)]
        which: GuideFor,
        #[arg(long)]
        out: PathBuf,
    },
    /// Import a guide file (a new guide, or a newer version of one)
    Import { file: PathBuf },
}

/// Which guide, for whom, in which language.
#[derive(Debug, Args)]
pub struct GuideFor {
    guide: String,
    /// Sort the services by this person's bassin
    #[arg(long)]
    person: Option<Uuid>,
    /// Sort the services by this bassin
    #[arg(long, value_parser = bassin)]
    bassin: Option<Bassin>,
    /// fr or nl
    #[arg(long, default_value = "fr")]
    lang: String,
}

/// Runs one `proxi guide` command on the store at `path`.
pub(crate) fn guide(
    path: &Path,
    command: GuideCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut app = open(path)?;
    match command {
        GuideCommand::List => {
            for g in app.guides()? {
                writeln!(
                    out,
                    "{}\tv{}\t{}{}\t{}",
                    g.id,
                    g.version,
                    g.checked,
                    if g.stale { " (over a year ago)" } else { "" },
                    g.title.fr
                )?;
            }
        }
        GuideCommand::Show { which } => {
            let v = app.guide(&which.guide, which.person, which.bassin)?;
            let (g, lang) = (&v.guide, which.lang.as_str());
            writeln!(out, "{}", g.title.get(lang))?;
            writeln!(out, "checked {} by {}", g.checked, g.checked_by)?;
            if v.stale {
                writeln!(
                    out,
                    "WARNING: checked over a year ago; reimbursements may have changed"
                )?;
            }
            for text in [&g.what, &g.who, &g.reimbursed, &g.how] {
                writeln!(out, "\n{}", text.get(lang))?;
            }
            let near = v
                .bassin
                .map_or("services".to_owned(), |b| format!("in bassin {}", b.code()));
            for (title, hits) in [(near.as_str(), &v.near), ("elsewhere", &v.elsewhere)] {
                if hits.is_empty() && title == "elsewhere" {
                    continue;
                }
                writeln!(out, "\n{title}:")?;
                for h in hits {
                    let commune = h.commune_fr.as_deref().unwrap_or("");
                    writeln!(out, "{}\t{}\t{commune}", h.id, h.name)?;
                }
            }
            for id in &v.missing {
                writeln!(out, "not in the directory: {id}")?;
            }
        }
        GuideCommand::Print { which, out: file } => {
            let pdf = app.guide_pdf(&which.guide, which.person, which.bassin, &which.lang)?;
            std::fs::write(&file, pdf).with_context(|| format!("writing {}", file.display()))?;
            writeln!(out, "{}", file.display())?;
        }
        GuideCommand::Import { file } => {
            let r = app.import_guide(&file)?;
            if r.unchanged {
                writeln!(out, "{} v{}: already up to date", r.id, r.version)?;
            } else {
                let was = r
                    .replaced
                    .map_or("new".to_owned(), |v| format!("replaces v{v}"));
                writeln!(out, "{} v{}: imported ({was})", r.id, r.version)?;
            }
        }
    }
    Ok(())
}
