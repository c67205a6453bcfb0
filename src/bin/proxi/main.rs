//! `proxi`: the command line on Proxi's core. Runs every use case without a window, and without a
//! terminal too: the store from `--store` or `PROXI_STORE`, the passphrase from `PROXI_PASSPHRASE`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use proxi::clock::{Clock, SystemClock};
use proxi::directory::index::ServiceQuery;
use proxi::domain::{PersonInput, PlanDocument, PriorityInput, PriorityStatus, Who};
use proxi::os_keyring;
use proxi::store::{KdfParams, PeopleQuery, Store};
use proxi::territory::{self, Bassin};
use proxi::{Proxi, backup, demo};
use uuid::Uuid;

mod bassin;
mod edits;
mod liaison;

#[derive(Debug, Parser)]
#[command(
    name = "proxi",
    version,
    about = "Goal-oriented care plans, offline and encrypted"
)]
struct Cli {
    /// The store file [default: proxi.db in the user's data directory]
    #[arg(long, global = true, env = "PROXI_STORE")]
    store: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new, empty encrypted store
    Init {
        /// The name your changes are signed with in plan histories
        #[arg(long, default_value = "Référent")]
        author: String,
    },
    /// Change the passphrase, or set a new one with the recovery key
    Passphrase {
        #[command(subcommand)]
        command: PassphraseCommand,
    },
    /// Create a new store filled with fictional people and plans
    Demo {
        #[arg(long, default_value = "Référent démo")]
        author: String,
        /// How many people [default: the 24 hand-written ones; more are numbered copies, for measures]
        #[arg(long)]
        count: Option<usize>,
        /// How many fictional services in the directory
        #[arg(long, default_value_t = 300)]
        services: usize,
    },
    /// The directory of social and health services (Open Referral HSDS)
    Directory {
        #[command(subcommand)]
        command: DirectoryCommand,
    },
    /// People
    Person {
        #[command(subcommand)]
        command: PersonCommand,
    },
    /// Care plans
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Needs for which no service was found: when, the need, the place (no one named)
    Needs,
    /// The bassin's needs watch, anonymous: counts per card or theme and place, small ones hidden
    NeedsWatch(bassin::NeedsWatchArgs),
    /// The organisation's helpdesk, on every sheet's "who to call": shown, set (--name, --phone,
    /// --hours) or taken away (--clear)
    Helpdesk(bassin::HelpdeskArgs),
    /// Open actions due within some days, and those overdue, across everyone
    Due {
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// The follow-up list across everyone: actions due or overdue, plans to review, and
    /// orientations with no news for some days
    FollowUp {
        /// Look this many days ahead
        #[arg(long, default_value_t = 7)]
        days: i64,
        /// An orientation at one step for this many days or more is listed (1 to 90)
        #[arg(long, default_value_t = proxi::app::ORIENTATION_STUCK_DAYS, value_parser = clap::value_parser!(u32).range(1..=90))]
        stuck_after: u32,
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Everything about one person, as JSON (and, with --pdf, as a readable PDF for them)
    Export {
        id: Uuid,
        /// Write to this file instead of the standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also write the whole record as a readable PDF, in the person's language, to this file
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// The PDF's language: fr, nl or en [default: the person's first language among them; none: give one]
        #[arg(long)]
        lang: Option<String>,
    },
    /// Print a person's priority sheet as PDF, in their language
    Print {
        /// The person's id (leave out with --blank or --sample)
        #[arg(required_unless_present_any = ["blank", "sample"])]
        id: Option<Uuid>,
        /// The sheet's language: fr, nl, en, ar, tr, es, pt, it, pl, ro, bg, ru, uk, sq, fa, ln [default: the
        /// person's first language the sheet speaks; if it speaks none of theirs, give one]
        #[arg(long)]
        lang: Option<String>,
        /// The date printed on the sheet [default: today in Brussels]
        #[arg(long)]
        date: Option<jiff::civil::Date>,
        /// The sheet with empty lines, for a first visit on paper
        #[arg(long, conflicts_with_all = ["id", "sample"])]
        blank: bool,
        /// The sheet of a fictional sample plan (5 priorities, 8 actions); no store needed
        #[arg(long, conflicts_with = "id")]
        sample: bool,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Read a person's priority sheet aloud, in the sheet's language (espeak-ng), for a person who
    /// cannot read
    Speak {
        /// The person's id
        id: Uuid,
        /// The sheet's language [default: the person's first language the sheet speaks]
        #[arg(long)]
        lang: Option<String>,
        /// Write the sound to this WAV file instead of playing it
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Print the words only, without a voice
        #[arg(long)]
        text: bool,
    },
    /// The plan in the format hospitals read (FHIR R4, HL7 Belgium profiles): out, with the person's
    /// consent; in, as proposals accepted one by one
    Fhir {
        #[command(subcommand)]
        command: liaison::FhirCommand,
    },
    /// Hand a person's plan over to another referent: a sealed file and a one-time code to tell them
    Handover {
        #[command(subcommand)]
        command: liaison::HandoverCommand,
    },
    /// Concertations around a person: participants, the slots that gather the most, the invitation
    Concertation {
        #[command(subcommand)]
        command: liaison::ConcertationCommand,
    },
    /// Diapason groups of the bassin: members, meetings, observations, recommendations to follow up
    Group {
        #[command(subcommand)]
        command: bassin::GroupCommand,
    },
    /// Community resources the team records (a neighbour, a shop, a connector), private to the team
    Community {
        #[command(subcommand)]
        command: bassin::CommunityCommand,
    },
    /// Focus guides (diabetes, palliative care, mental health): show, print to hand over, import
    Guide {
        #[command(subcommand)]
        command: bassin::GuideCommand,
    },
    /// Hospital stays: admission, discharge, the return-home checklist
    Stay {
        #[command(subcommand)]
        command: liaison::StayCommand,
    },
    /// Erase a person from this store: plan, history, every trace (asks for --yes)
    Erase {
        id: Uuid,
        /// Confirm: the erasure cannot be undone
        #[arg(long)]
        yes: bool,
    },
    /// Who opened, printed, exported or erased which plan, newest first
    Audit {
        /// Only this person
        #[arg(long)]
        person: Option<Uuid>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// The team this laptop syncs with: create, invite, join, revoke, status
    Team {
        #[command(subcommand)]
        command: TeamCommand,
    },
    /// Sync with the team through its relay: send what changed here, receive what changed elsewhere
    Sync,
    /// Check the store's integrity
    Check,
    /// Write a backup: one file holding the store and its key file, still encrypted (the same
    /// passphrase opens it), consistent even while the app writes
    Backup {
        /// The backup file to write (e.g. on a USB stick)
        #[arg(short, long, required_unless_present = "into")]
        output: Option<PathBuf>,
        /// Or: a folder where a backup named by its date is written, keeping the newest --keep
        #[arg(long, conflicts_with = "output")]
        into: Option<PathBuf>,
        #[arg(long, default_value_t = 10)]
        keep: usize,
    },
    /// Restore a backup as this store: checked (file, passphrase, integrity) before anything is
    /// touched; the current store, if any, is renamed aside, never overwritten
    Restore {
        /// The backup file
        file: PathBuf,
        /// Only check the backup and say its date and size; change nothing
        #[arg(long)]
        check: bool,
    },
    /// Write priorities in a loop, printing each acknowledged one (used by the crash test)
    #[command(hide = true)]
    StressEdits,
}

#[derive(Debug, Subcommand)]
enum TeamCommand {
    /// Start a team on this laptop with a founding code from the relay's operator
    Create {
        code: String,
        /// How colleagues will see this laptop (e.g. "Anna — laptop 2")
        #[arg(long)]
        name: String,
    },
    /// Make an invitation code for a colleague's laptop, to hand over in person
    Invite {
        /// How long the code can be used
        #[arg(long, default_value_t = proxi::sync::team::INVITATION_MINUTES)]
        minutes: u32,
    },
    /// Join a team with an invitation code made on one of its laptops
    Join {
        code: String,
        #[arg(long)]
        name: String,
    },
    /// Remove a laptop from the team (lost, stolen, or its referent left): it receives nothing new
    Revoke {
        device: Uuid,
        /// Confirm: the laptop cannot be brought back (a new invitation can)
        #[arg(long)]
        yes: bool,
    },
    /// This laptop's team, its laptops, and the last sync
    Status,
}

#[derive(Debug, Subcommand)]
enum DirectoryCommand {
    /// Import HSDS: a JSON file, a folder of JSON files, or the folder of a CSV datapackage. All or
    /// nothing; records already there (same id) are updated
    Import { path: PathBuf },
    /// Export the directory into a folder, as a CSV datapackage or as HSDS JSON
    Export {
        folder: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
    },
    /// Find services: one a line, name, organization and commune
    Search {
        /// Words (French or Dutch); none to list by filters only
        words: Vec<String>,
        /// nord, nord-est, centre-ouest, sud or sud-est (repeatable)
        #[arg(long)]
        bassin: Vec<String>,
        /// A commune: its name, postal code or NIS code (repeatable)
        #[arg(long)]
        commune: Vec<String>,
        /// A language spoken, as a code: fr, nl, ar… (repeatable)
        #[arg(long)]
        lang: Vec<String>,
        /// A theme code: diabetes, mental_health… (repeatable)
        #[arg(long)]
        theme: Vec<String>,
        /// A monitoring quartier, by its code (repeatable)
        #[arg(long)]
        quartier: Vec<u32>,
        /// Free or low cost only
        #[arg(long)]
        free: bool,
        /// Wheelchair access only
        #[arg(long)]
        wheelchair: bool,
        /// Open now (Brussels time) only
        #[arg(long)]
        open_now: bool,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Show one service's card
    Show { id: String },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
enum PassphraseCommand {
    /// Change the passphrase (the current one from PROXI_PASSPHRASE or a prompt, the new one from
    /// PROXI_NEW_PASSPHRASE or a prompt)
    Change,
    /// Forgotten passphrase: open with the recovery key (PROXI_RECOVERY_KEY or a prompt) and set a new one
    Recover,
    /// Keep the store's key in this computer's keyring: proxi and the app then open the store without
    /// asking (the app's idle lock still asks). Anyone using this computer's session can then open it.
    Remember,
    /// Take the store's key out of this computer's keyring: the passphrase is asked again
    Forget,
}

#[derive(Debug, Subcommand)]
enum PersonCommand {
    /// One person a line: id, name, postal code and commune
    List {
        /// Only names containing these words (accents and case ignored)
        #[arg(long, default_value = "")]
        search: String,
        /// Include archived people
        #[arg(long)]
        all: bool,
    },
    #[command(flatten)]
    Edit(Box<edits::PersonEdit>),
}

#[derive(Debug, Subcommand)]
enum PlanCommand {
    /// Show one person's plan
    Show {
        id: Uuid,
        /// As JSON (the plan document)
        #[arg(long)]
        json: bool,
    },
    /// Show what changed in a plan, newest first
    History {
        id: Uuid,
        /// As JSON, with what each change changed (old → new)
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Edit(edits::PlanEditCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<proxi::Error>() {
                Some(core) => eprintln!("error: {core} [{:?}]", core.code()),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn store_path(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path);
    }
    let dirs = directories::ProjectDirs::from("be", "Proxi", "Proxi")
        .context("no data directory for this user: pass --store PATH")?;
    Ok(dirs.data_dir().join("proxi.db"))
}

fn passphrase(confirm: bool) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("PROXI_PASSPHRASE") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase: set PROXI_PASSPHRASE, or run proxi in a terminal to be asked for it");
    }
    let first = rpassword::prompt_password("Passphrase: ")?;
    if confirm && rpassword::prompt_password("Same passphrase again: ")? != first {
        bail!("the two passphrases differ: nothing was created, try again");
    }
    Ok(first)
}

/// A secret from the environment, or asked (twice when it is being chosen).
fn secret(var: &str, prompt: &str, confirm: bool) -> anyhow::Result<String> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        bail!("set {var}, or run proxi in a terminal to be asked");
    }
    let first = rpassword::prompt_password(format!("{prompt}: "))?;
    if confirm && rpassword::prompt_password(format!("{prompt} (again): "))? != first {
        bail!("the two entries differ: nothing was changed, try again");
    }
    Ok(first)
}

/// Opens the store: with PROXI_PASSPHRASE when set, else with the key this computer's keyring keeps
/// for it (`proxi passphrase remember`), else with the passphrase asked at the terminal.
pub(crate) fn open(path: &Path) -> anyhow::Result<Proxi> {
    if std::env::var_os("PROXI_PASSPHRASE").is_none()
        && let Ok(Some(store)) = os_keyring::open(path)
    {
        return erase_refused(Proxi::new(store, Arc::new(SystemClock)));
    }
    let store = Store::open_guarded(path, &passphrase(false)?)?;
    erase_refused(Proxi::new(store, Arc::new(SystemClock)))
}

/// Every opening erases the plans whose person did not agree to keep them, once their grace days
/// have passed; said on the standard error.
fn erase_refused(mut app: Proxi) -> anyhow::Result<Proxi> {
    let erased = proxi::sync::team::erase_refused(&mut app, SystemClock.today())?;
    if !erased.is_empty() {
        eprintln!(
            "Erased {} plan(s) whose person did not agree to keep them ({} days after that consent).",
            erased.len(),
            proxi::domain::KEEP_REFUSED_GRACE_DAYS
        );
    }
    Ok(app)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let path = store_path(cli.store)?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Init { author } => {
            let mut store =
                Store::create(&path, &passphrase(true)?, KdfParams::RECOMMENDED, &author)?;
            let recovery = store.new_recovery_key()?;
            writeln!(out, "Created an empty store at {}", path.display())?;
            writeln!(
                out,
                "Recovery key, shown only this once: write it down and keep it away from this laptop."
            )?;
            writeln!(
                out,
                "It opens the store if the passphrase is forgotten (proxi passphrase recover):"
            )?;
            writeln!(out, "    {recovery}")?;
        }
        Command::Backup { output, into, keep } => {
            let app = open(&path)?;
            let info = match (output, into) {
                (Some(file), _) => app.store().backup_to(&file)?,
                (None, Some(folder)) => backup::backup_into(app.store(), &folder, keep)?,
                (None, None) => bail!("say where: -o FILE or --into FOLDER"),
            };
            writeln!(
                out,
                "Backup written: {} ({} bytes, {})",
                info.path, info.bytes, info.created
            )?;
            writeln!(
                out,
                "It opens with this store's passphrase (or recovery key) and also holds the team keys: keep it safe."
            )?;
        }
        Command::Restore { file, check } => {
            if check {
                let info = backup::inspect(&file)?;
                writeln!(
                    out,
                    "A sound backup of {} ({} bytes)",
                    info.created, info.bytes
                )?;
                return Ok(());
            }
            let report = backup::restore(&file, &passphrase(false)?, &path)?;
            writeln!(
                out,
                "Restored the backup of {} as {}",
                report.backup.created,
                path.display()
            )?;
            if let Some(aside) = report.kept_aside {
                writeln!(
                    out,
                    "The store that was there is kept, untouched, at {aside}"
                )?;
            }
        }
        Command::Passphrase { command } => match command {
            PassphraseCommand::Remember => {
                let store = Store::open_guarded(&path, &passphrase(false)?)?;
                os_keyring::remember(&store)?;
                writeln!(
                    out,
                    "This computer's keyring now opens {} without the passphrase \
                     (`proxi passphrase forget` undoes it)",
                    path.display()
                )?;
            }
            PassphraseCommand::Forget => {
                os_keyring::forget(&path)?;
                writeln!(
                    out,
                    "This computer's keyring no longer keeps the key of {}: the passphrase is \
                     asked again",
                    path.display()
                )?;
            }
            PassphraseCommand::Change | PassphraseCommand::Recover => {
                let mut store = if matches!(command, PassphraseCommand::Change) {
                    Store::open(&path, &passphrase(false)?)?
                } else {
                    Store::open_with_recovery(
                        &path,
                        &secret("PROXI_RECOVERY_KEY", "Recovery key", false)?,
                    )?
                };
                let new = secret("PROXI_NEW_PASSPHRASE", "New passphrase", true)?;
                if new.trim().is_empty() {
                    bail!("the new passphrase is empty: nothing was changed");
                }
                store.change_passphrase(&new, KdfParams::RECOMMENDED)?;
                writeln!(out, "The passphrase of {} is changed", path.display())?;
            }
        },
        Command::Demo {
            author,
            count,
            services,
        } => {
            let store = Store::create(&path, &passphrase(true)?, KdfParams::RECOMMENDED, &author)?;
            let store = match count {
                None => demo::fill(store, SystemClock.now(), services)?,
                Some(n) => demo::fill_many(store, SystemClock.now(), n, services)?,
            };
            let count = store
                .people(&PeopleQuery::default(), SystemClock.today())?
                .len();
            writeln!(
                out,
                "Created a demo store with {count} fictional people and {services} fictional services at {}",
                path.display()
            )?;
        }
        Command::Directory { command } => run_directory(&path, command, &mut out)?,
        Command::Person {
            command: PersonCommand::List { search, all },
        } => {
            let app = open(&path)?;
            let query = PeopleQuery {
                text: search,
                include_archived: all,
                ..PeopleQuery::default()
            };
            for p in app.people(&query)? {
                let archived = if p.archived { "  (archived)" } else { "" };
                writeln!(
                    out,
                    "{}  {}  {} {}{archived}",
                    p.id, p.full_name, p.postal_code, p.commune
                )?;
            }
        }
        Command::Plan {
            command: PlanCommand::Show { id, json },
        } => {
            let plan = open(&path)?.open_plan(id)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &plan)?;
                writeln!(out)?;
            } else {
                write_plan(&mut out, &plan)?;
            }
        }
        Command::Person {
            command: PersonCommand::Edit(command),
        } => edits::person(&mut open(&path)?, *command, &mut out)?,
        Command::Plan {
            command: PlanCommand::Edit(command),
        } => edits::plan(&mut open(&path)?, SystemClock.today(), command, &mut out)?,
        Command::Plan {
            command: PlanCommand::History { id, json: true },
        } => {
            serde_json::to_writer_pretty(&mut out, &open(&path)?.history(id)?)?;
            writeln!(out)?;
        }
        Command::Plan {
            command: PlanCommand::History { id, json: false },
        } => {
            for entry in open(&path)?.history(id)? {
                writeln!(
                    out,
                    "{}  {:<20}  {}  {}",
                    entry.at,
                    entry.action,
                    entry.author,
                    entry.device.get(..8).unwrap_or(&entry.device)
                )?;
                for c in &entry.changes {
                    if c.field.is_empty() {
                        writeln!(out, "    + {} {:?}", c.item, c.label)?;
                    } else {
                        writeln!(
                            out,
                            "    {} {:?} {}: {} -> {}",
                            c.item, c.label, c.field, c.old, c.new
                        )?;
                    }
                }
            }
        }
        Command::NeedsWatch(args) => bassin::needs_watch(&path, args, &mut out)?,
        Command::Helpdesk(args) => bassin::helpdesk(&path, args, &mut out)?,
        Command::Needs => {
            for n in open(&path)?.store().unmet_needs()? {
                writeln!(
                    out,
                    "{}  {}  {} {}  {}",
                    n.since,
                    n.theme.as_deref().unwrap_or("-"),
                    n.postal_code,
                    n.commune,
                    n.bassin.map(|b| format!("{b:?}")).unwrap_or_default()
                )?;
            }
        }
        Command::Due { days } => {
            for a in open(&path)?.actions_due(days)? {
                let late = if a.overdue { "  OVERDUE" } else { "" };
                writeln!(
                    out,
                    "{}  {}  {}  {}{late}",
                    a.due, a.person_id, a.display_name, a.what
                )?;
            }
        }
        Command::FollowUp {
            days,
            stuck_after,
            json,
        } => {
            let list = open(&path)?.follow_up(days, stuck_after)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(out, "Actions due by {}:", list.until)?;
                for a in &list.actions {
                    let late = if a.overdue { "  OVERDUE" } else { "" };
                    writeln!(
                        out,
                        "  {}  {}  {}  {}{late}",
                        a.due, a.person_id, a.display_name, a.what
                    )?;
                }
                writeln!(out, "Plans to review by {}:", list.until)?;
                for p in &list.reviews {
                    let date = p.review_date.as_deref().unwrap_or_default();
                    writeln!(out, "  {date}  {}  {}", p.id, p.display_name)?;
                }
                writeln!(
                    out,
                    "Orientations at one step for {} days or more:",
                    list.stuck_after_days
                )?;
                for o in &list.stuck {
                    writeln!(
                        out,
                        "  {}  {}  {}  {:?}  {}",
                        o.since, o.person_id, o.display_name, o.step, o.what
                    )?;
                }
            }
        }
        Command::Fhir { command } => liaison::fhir(&path, command, &mut out)?,
        Command::Stay { command } => liaison::stay(&path, command, &mut out)?,
        Command::Group { command } => bassin::group(&path, command, &mut out)?,
        Command::Community { command } => bassin::community(&path, command, &mut out)?,
        Command::Guide { command } => bassin::guide(&path, command, &mut out)?,
        Command::Concertation { command } => liaison::concertation(&path, command, &mut out)?,
        Command::Handover { command } => liaison::handover(&path, command, &mut out)?,
        Command::Export {
            id,
            output,
            pdf,
            lang,
        } => {
            let mut app = open(&path)?;
            if let Some(file) = pdf {
                std::fs::write(&file, app.record(id, lang.as_deref())?)
                    .with_context(|| format!("writing {}", file.display()))?;
            }
            let json = serde_json::to_string_pretty(&app.export(id)?)?;
            match output {
                Some(file) => {
                    std::fs::write(&file, json + "\n")
                        .with_context(|| format!("writing {}", file.display()))?;
                }
                None => writeln!(out, "{json}")?,
            }
        }
        Command::Print {
            id,
            lang,
            date,
            blank,
            sample,
            output,
        } => {
            let date = date.unwrap_or_else(|| SystemClock.today());
            let pdf = if blank {
                proxi::sheet::render_blank(lang.as_deref().unwrap_or("fr"), date)?
            } else if sample {
                let lang = lang.as_deref().unwrap_or("fr");
                proxi::sheet::render(&demo::typical_plan_in(lang), lang, date)?
            } else {
                let id = id.context("which person? give their id")?;
                open(&path)?.sheet(id, lang.as_deref(), Some(date))?
            };
            std::fs::write(&output, pdf)
                .with_context(|| format!("writing {}", output.display()))?;
            writeln!(out, "Wrote {}", output.display())?;
        }
        Command::Speak {
            id,
            lang,
            output,
            text,
        } => {
            let (script, lang) = open(&path)?.sheet_script(id, lang.as_deref())?;
            if text {
                writeln!(out, "{script}")?;
            } else {
                let status = proxi::sheet::speech::speak(&script, &lang, output.as_deref())
                    .map_err(proxi::Error::from)?
                    .wait()
                    .context("waiting for espeak-ng")?;
                if !status.success() {
                    bail!("espeak-ng stopped with {status}");
                }
                if let Some(output) = output {
                    writeln!(out, "Wrote {}", output.display())?;
                }
            }
        }
        Command::Erase { id, yes } => {
            if !yes {
                bail!("erasing cannot be undone: run again with --yes to erase {id}");
            }
            let mut app = open(&path)?;
            proxi::sync::team::erase(&mut app, id)?;
            let in_team = proxi::sync::team::info(app.store_mut())?.is_some();
            writeln!(out, "Erased {id}")?;
            if in_team {
                writeln!(
                    out,
                    "The team's laptops and the relay erase it too at their next sync."
                )?;
            }
        }
        Command::Audit { person, limit } => {
            for e in open(&path)?.audit_log(person, limit)? {
                let name = e.display_name.as_deref().unwrap_or("(erased)");
                let action = serde_json::to_value(e.action)?;
                let party = e.party.map(|p| format!("  → {p}")).unwrap_or_default();
                writeln!(
                    out,
                    "{}  {:<7} {}  {}  {}{party}",
                    e.at,
                    action.as_str().unwrap_or("?"),
                    e.person_id,
                    name,
                    e.author
                )?;
            }
        }
        Command::Team { command } => run_team(&path, command, &mut out)?,
        Command::Sync => {
            let app = std::sync::Mutex::new(open(&path)?);
            let report = proxi::sync::team::sync(&app)?;
            writeln!(
                out,
                "Synced: {} sent, {} received, {} merged.",
                report.pushed, report.pulled, report.applied
            )?;
            for why in &report.refused {
                writeln!(out, "Refused (nothing of it used): {why}")?;
            }
            let status = proxi::sync::team::status(
                app.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .store_mut(),
            )?;
            if status.private > 0 {
                writeln!(
                    out,
                    "{} plan(s) stay on this laptop: the person has not agreed to share them with the team.",
                    status.private
                )?;
            }
        }
        Command::Check => {
            let app = open(&path)?;
            app.store().integrity_check()?;
            writeln!(out, "ok")?;
        }
        Command::StressEdits => stress_edits(&path, &mut out)?,
    }
    Ok(())
}

fn run_team(path: &Path, command: TeamCommand, out: &mut impl Write) -> anyhow::Result<()> {
    use proxi::sync::team;
    let app = std::sync::Mutex::new(open(path)?);
    match command {
        TeamCommand::Create { code, name } => {
            let info = team::create(&app, &code, &name)?;
            writeln!(
                out,
                "Created team {} on this laptop ({}).",
                info.team, info.device
            )?;
            writeln!(out, "Invite colleagues' laptops with `proxi team invite`.")?;
        }
        TeamCommand::Invite { minutes } => {
            let code = team::invite(&app, minutes)?;
            writeln!(
                out,
                "Invitation code, valid {minutes} minutes, for one laptop; hand it over in person:"
            )?;
            writeln!(out, "    {code}")?;
        }
        TeamCommand::Join { code, name } => {
            let info = team::join(&app, &code, &name)?;
            writeln!(out, "Joined team {} as {}.", info.team, info.device)?;
            let report = team::sync(&app)?;
            writeln!(out, "First sync: {} received.", report.pulled)?;
        }
        TeamCommand::Revoke { device, yes } => {
            if !yes {
                bail!("revoking cannot be undone: run again with --yes to revoke {device}");
            }
            // Hear the team first, so that the new key reaches every laptop that joined meanwhile (a
            // failure here is told by the revocation itself, which needs the relay too).
            let _ = team::sync(&app);
            team::revoke(&app, device)?;
            writeln!(
                out,
                "Revoked {device}: the relay refuses it, and the team key changed."
            )?;
        }
        TeamCommand::Status => {
            let status = {
                let mut app = app
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                team::status(app.store_mut())?
            };
            let Some(info) = status.team else {
                writeln!(
                    out,
                    "This laptop is in no team: `proxi team create` or `proxi team join`."
                )?;
                return Ok(());
            };
            writeln!(out, "Team {} through {}", info.team, info.relay)?;
            for m in &info.members {
                let state = if m.revoked {
                    "revoked"
                } else if m.invited {
                    "invited"
                } else {
                    "member"
                };
                let me = if m.me { "  (this laptop)" } else { "" };
                writeln!(out, "  {}  {state:<8} {}{me}", m.device, m.name)?;
            }
            let when = |ms: Option<i64>| {
                ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                    .map_or_else(|| "never".to_owned(), |t| t.to_string())
            };
            writeln!(out, "Last sync: {}", when(status.last_ok))?;
            writeln!(out, "Plans waiting to be sent: {}", status.waiting)?;
            if let Some(problem) = status.problem {
                writeln!(out, "Last try failed: {}", problem.message)?;
            }
        }
    }
    Ok(())
}

fn run_directory(
    path: &Path,
    command: DirectoryCommand,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut app = open(path)?;
    match command {
        DirectoryCommand::Import { path: from } => {
            let report = app.import_directory(&from)?;
            writeln!(
                out,
                "Imported {} records ({} new, {} updated); the directory has {} services",
                report.records, report.added, report.updated, report.services
            )?;
            if !report.dangling.is_empty() {
                writeln!(
                    out,
                    "{} links point at records that are not in the directory (kept as they are):",
                    report.dangling.len()
                )?;
                for link in report.dangling.iter().take(20) {
                    writeln!(out, "    {link}")?;
                }
            }
        }
        DirectoryCommand::Export { folder, format } => {
            let files = app.export_directory(&folder, matches!(format, ExportFormat::Json))?;
            for file in files {
                writeln!(out, "{}", file.display())?;
            }
        }
        DirectoryCommand::Search {
            words,
            bassin,
            commune,
            lang,
            theme,
            quartier,
            free,
            wheelchair,
            open_now,
            limit,
        } => {
            let query = ServiceQuery {
                text: words.join(" "),
                bassins: bassin
                    .iter()
                    .map(|b| parse_bassin(b))
                    .collect::<anyhow::Result<_>>()?,
                communes: commune
                    .iter()
                    .map(|c| parse_commune(c))
                    .collect::<anyhow::Result<_>>()?,
                languages: lang,
                themes: theme,
                quartiers: quartier,
                free_or_low_cost: free,
                wheelchair,
                open_now,
                limit: Some(limit),
            };
            let result = app.search_services(&query)?;
            for hit in &result.hits {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    hit.id,
                    hit.name,
                    hit.organization.as_deref().unwrap_or("-"),
                    hit.commune_fr.as_deref().unwrap_or("-")
                )?;
            }
            writeln!(out, "{} of {} services", result.hits.len(), result.total)?;
        }
        DirectoryCommand::Show { id } => {
            let card = app.service(&id)?;
            writeln!(out, "{}", serde_json::to_string_pretty(&card)?)?;
        }
    }
    Ok(())
}

fn parse_bassin(text: &str) -> anyhow::Result<Bassin> {
    let key: String = proxi::text::fold(text)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    Bassin::ALL
        .into_iter()
        .find(|b| format!("{b:?}").to_ascii_lowercase() == key)
        .with_context(|| {
            format!("no bassin is called {text}: nord, nord-est, centre-ouest, sud or sud-est")
        })
}

fn parse_commune(text: &str) -> anyhow::Result<String> {
    let key = proxi::text::fold(text.trim());
    territory::areas()
        .iter()
        .find(|a| {
            a.nis == key
                || a.postal_code == key
                || proxi::text::fold(&a.commune_fr) == key
                || proxi::text::fold(&a.commune_nl) == key
        })
        .map(|a| a.nis.clone())
        .with_context(|| {
            format!("no Brussels commune is called {text}: give its name, postal code or NIS code")
        })
}

/// Creates a person, then adds priorities to them forever, printing `ack N` once each is stored.
fn stress_edits(path: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let mut app = open(path)?;
    let input = PersonInput {
        display_name: "Crash Test".into(),
        ..PersonInput::default()
    };
    let person = app.create_person(input)?;
    writeln!(out, "person {person}")?;
    out.flush()?;
    for n in 0u64.. {
        let words = format!("edit {n}");
        app.add_priority(
            person,
            PriorityInput {
                words,
                ..PriorityInput::default()
            },
        )?;
        writeln!(out, "ack {n}")?;
        out.flush()?;
    }
    Ok(())
}

fn write_plan(out: &mut impl Write, doc: &PlanDocument) -> std::io::Result<()> {
    let p = &doc.person;
    let born = p
        .birth_year
        .map(|y| format!(", born {y}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} {} ({}){born}  [{}]",
        p.first_name,
        p.last_name,
        p.display_name,
        p.languages.join(", ")
    )?;
    if p.interpreter_needed {
        writeln!(out, "Needs an interpreter")?;
    }
    let a = &p.address;
    writeln!(
        out,
        "{}, {} {}   {}",
        a.street, a.postal_code, a.commune, p.phone
    )?;
    if p.archived {
        writeln!(out, "ARCHIVED")?;
    }
    let plan = &doc.plan;
    if let Some(review) = plan.review_date {
        writeln!(out, "Review: {review}")?;
    }
    writeln!(out, "\nWhat matters to me")?;
    let mut priorities: Vec<_> = plan.priorities.iter().collect();
    priorities.sort_by_key(|x| (x.status != PriorityStatus::Active, x.rank));
    for x in priorities {
        let status = match x.status {
            PriorityStatus::Active => "",
            PriorityStatus::Achieved => "  (achieved)",
            PriorityStatus::LetGo => "  (let go)",
        };
        writeln!(
            out,
            "  {}. {} [{}]{status}",
            x.rank,
            x.words,
            x.card.as_deref().unwrap_or("-")
        )?;
    }
    for (title, list) in [
        ("My strengths and resources", &plan.strengths),
        ("My difficulties and needs", &plan.difficulties),
    ] {
        writeln!(out, "\n{title}")?;
        for x in list.iter().filter(|x| !x.closed) {
            writeln!(
                out,
                "  - {} [{}]",
                x.words,
                x.card.as_deref().unwrap_or("-")
            )?;
        }
    }
    writeln!(out, "\nWhat we agreed")?;
    for x in &plan.actions {
        let tick = if x.status == proxi::domain::ActionStatus::Done {
            "[x]"
        } else {
            "[ ]"
        };
        let who = match &x.who {
            Who::Person => "me".to_owned(),
            Who::InformalCarer { name } => name.clone(),
            Who::Member { id } => plan
                .network
                .iter()
                .find(|m| m.id == *id)
                .map_or("?".into(), |m| m.name.clone()),
            Who::Referent => "the referent".to_owned(),
            Who::Service { id } => format!("service {id}"),
            Who::Community { id } => format!("community {id}"),
        };
        let due = x.due.map(|d| format!(", by {d}")).unwrap_or_default();
        writeln!(
            out,
            "  {tick} {} ({who}{due}; {})",
            x.what,
            x.status.as_str()
        )?;
    }
    writeln!(out, "\nMy network")?;
    for m in plan.network.iter().filter(|m| !m.closed) {
        writeln!(
            out,
            "  {} ({:?}) {} {}",
            m.name, m.role, m.phone, m.organisation
        )?;
    }
    writeln!(out, "\nVisits")?;
    for v in &plan.visits {
        let next = v
            .next_visit
            .map(|d| format!(", next visit {d}"))
            .unwrap_or_default();
        writeln!(out, "  {} {}{next}: {}", v.date, v.place, v.notes)?;
    }
    Ok(())
}
