//! Reminders on the desktop: actions due today or overdue, and plans to review, as notifications
//! through D-Bus (`org.freedesktop.Notifications`, the freedesktop standard every Linux desktop serves).
//!
//! Two kinds of notice:
//! - **unlocked**: one notice per person, with their name and what is due (clicking it opens the plan);
//! - **locked**: counts only ("2 actions en retard"), never a name or a word of a plan. The counts come
//!   from [`DueDates`], a small file kept beside the store that holds **dates only** (no person, no
//!   words), written while the store is open so that a locked window can still count.
//!
//! The desktop shell decides *when* (at launch and at a time of day); this module decides *what*.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::FollowUp;
use crate::{Error, Result};

/// How many people get a notice of their own; beyond, one notice sums up the rest.
pub const MAX_PEOPLE: usize = 3;

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    /// The plan that clicking opens; none: the follow-up list (or the unlock screen).
    pub person: Option<Uuid>,
    /// The word on the notice's button.
    pub open: String,
}

/// What is due on a given day, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub overdue: u32,
    pub today: u32,
    pub reviews: u32,
}

impl Counts {
    /// Nothing to remind.
    pub fn is_empty(self) -> bool {
        self.overdue == 0 && self.today == 0 && self.reviews == 0
    }
}

/// The due dates of the open actions and of the plan reviews, without anything else: what a locked
/// window may know. Kept as `<store>.reminders.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDates {
    pub actions: Vec<Date>,
    pub reviews: Vec<Date>,
}

impl DueDates {
    /// The dates of a follow-up list (take one that looks far ahead: days pass while locked).
    pub fn of(follow_up: &FollowUp) -> DueDates {
        let mut actions: Vec<Date> = follow_up.actions.iter().map(|a| a.due).collect();
        let mut reviews: Vec<Date> = follow_up
            .reviews
            .iter()
            .filter_map(|p| p.review_date.as_deref()?.parse().ok())
            .collect();
        actions.sort();
        reviews.sort();
        DueDates { actions, reviews }
    }

    /// What is due on `today`.
    pub fn counts(&self, today: Date) -> Counts {
        let count = |dates: &[Date], keep: &dyn Fn(Date) -> bool| {
            u32::try_from(dates.iter().filter(|d| keep(**d)).count()).unwrap_or(u32::MAX)
        };
        Counts {
            overdue: count(&self.actions, &|d| d < today),
            today: count(&self.actions, &|d| d == today),
            reviews: count(&self.reviews, &|d| d <= today),
        }
    }

    /// The dates kept for the store at `store`; none when there is no file or it cannot be read.
    pub fn load(store: &Path) -> Option<DueDates> {
        let bytes = std::fs::read(path_for(store)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keeps these dates beside the store (written aside, then renamed).
    ///
    /// # Errors
    /// [`Error::Storage`] if the file cannot be written.
    pub fn save(&self, store: &Path) -> Result<()> {
        let path = path_for(store);
        let json = serde_json::to_vec(self).map_err(|e| Error::Storage(e.to_string()))?;
        let partial = path.with_extension("json.new");
        std::fs::write(&partial, json)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| Error::Storage(format!("{}: {e}", path.display())))
    }

    /// Removes the file (reminders switched off).
    ///
    /// # Errors
    /// [`Error::Storage`] if it exists and cannot be removed.
    pub fn forget(store: &Path) -> Result<()> {
        match std::fs::remove_file(path_for(store)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Storage(format!(
                "{}: {e}",
                path_for(store).display()
            ))),
            _ => Ok(()),
        }
    }
}

/// The dates file of the store at `store`.
pub fn path_for(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".reminders.json");
    PathBuf::from(name)
}

/// The words of the notices, in the interface's language.
struct Words {
    title: &'static str,
    open: &'static str,
    overdue: (&'static str, &'static str),
    today: (&'static str, &'static str),
    reviews: (&'static str, &'static str),
    open_to_see: &'static str,
    late_since: &'static str,
    due_today: &'static str,
    review: &'static str,
    others: (&'static str, &'static str),
    others_body: &'static str,
}

fn words(lang: &str) -> Words {
    match lang {
        "nl" => Words {
            title: "Proxi: te doen",
            open: "Openen",
            overdue: ("{n} actie te laat", "{n} acties te laat"),
            today: ("{n} actie voor vandaag", "{n} acties voor vandaag"),
            reviews: ("{n} plan te herzien", "{n} plannen te herzien"),
            open_to_see: "Open Proxi om te zien welke.",
            late_since: "Te laat (sinds {d})",
            due_today: "Vandaag",
            review: "Plan te herzien (gepland op {d})",
            others: ("Nog {n} persoon", "Nog {n} personen"),
            others_body: "Zie de opvolgingslijst in Proxi.",
        },
        "en" => Words {
            title: "Proxi: to do",
            open: "Open",
            overdue: ("{n} overdue action", "{n} overdue actions"),
            today: ("{n} action due today", "{n} actions due today"),
            reviews: ("{n} plan to review", "{n} plans to review"),
            open_to_see: "Open Proxi to see which.",
            late_since: "Overdue (since {d})",
            due_today: "Today",
            review: "Plan to review (planned on {d})",
            others: ("{n} more person", "{n} more people"),
            others_body: "See the follow-up list in Proxi.",
        },
        _ => Words {
            title: "Proxi : à faire",
            open: "Ouvrir",
            overdue: ("{n} action en retard", "{n} actions en retard"),
            today: (
                "{n} action pour aujourd’hui",
                "{n} actions pour aujourd’hui",
            ),
            reviews: ("{n} plan à revoir", "{n} plans à revoir"),
            open_to_see: "Ouvrez Proxi pour voir lesquelles.",
            late_since: "En retard (depuis le {d})",
            due_today: "Aujourd’hui",
            review: "Plan à revoir (prévu le {d})",
            others: ("{n} autre personne", "{n} autres personnes"),
            others_body: "Voyez la liste de suivi dans Proxi.",
        },
    }
}

fn plural(forms: (&str, &str), n: u32) -> String {
    let form = if n == 1 { forms.0 } else { forms.1 };
    form.replace("{n}", &n.to_string())
}

fn day(date: Date) -> String {
    format!("{:02}/{:02}", date.day(), date.month())
}

/// The one notice of a locked window: counts, no name. None when nothing is due.
pub fn locked(counts: Counts, lang: &str) -> Option<Notice> {
    if counts.is_empty() {
        return None;
    }
    let w = words(lang);
    let parts: Vec<String> = [
        (w.overdue, counts.overdue),
        (w.today, counts.today),
        (w.reviews, counts.reviews),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(forms, n)| plural(forms, n))
    .collect();
    Some(Notice {
        summary: w.title.to_owned(),
        body: format!("{}.\n{}", parts.join(", "), w.open_to_see),
        person: None,
        open: w.open.to_owned(),
    })
}

/// The notices of an open store, one per person (the first [`MAX_PEOPLE`], most overdue first),
/// from a follow-up list looking at today only (`follow_up(0, …)`).
pub fn unlocked(follow_up: &FollowUp, lang: &str) -> Vec<Notice> {
    let w = words(lang);
    let today = follow_up.today;
    // Per person, in the order of the list (overdue first), the lines of their notice.
    let mut order: Vec<Uuid> = Vec::new();
    let mut lines: BTreeMap<Uuid, (String, Vec<String>)> = BTreeMap::new();
    let mut line = |id: Uuid, name: &str, text: String| {
        if !lines.contains_key(&id) {
            order.push(id);
        }
        lines
            .entry(id)
            .or_insert_with(|| (name.to_owned(), Vec::new()))
            .1
            .push(text);
    };
    for action in follow_up.actions.iter().filter(|a| a.due <= today) {
        let when = if action.due < today {
            w.late_since.replace("{d}", &day(action.due))
        } else {
            w.due_today.to_owned()
        };
        line(
            action.person_id,
            &action.display_name,
            format!("{when} : {}", action.what),
        );
    }
    for person in &follow_up.reviews {
        let Some(date) = person
            .review_date
            .as_deref()
            .and_then(|d| d.parse::<Date>().ok())
            .filter(|d| *d <= today)
        else {
            continue;
        };
        line(
            person.id,
            &person.display_name,
            w.review.replace("{d}", &day(date)),
        );
    }
    let shown = if order.len() > MAX_PEOPLE {
        MAX_PEOPLE - 1
    } else {
        order.len()
    };
    let mut notices: Vec<Notice> = order[..shown]
        .iter()
        .filter_map(|id| {
            let (name, body) = lines.get(id)?;
            Some(Notice {
                summary: name.clone(),
                body: body.join("\n"),
                person: Some(*id),
                open: w.open.to_owned(),
            })
        })
        .collect();
    let rest = u32::try_from(order.len() - shown).unwrap_or(u32::MAX);
    if rest > 0 {
        notices.push(Notice {
            summary: plural(w.others, rest),
            body: w.others_body.to_owned(),
            person: None,
            open: w.open.to_owned(),
        });
    }
    // The colon of French is spaced; Dutch and English write it close.
    if lang == "nl" || lang == "en" {
        for notice in &mut notices {
            notice.body = notice.body.replace(" : ", ": ");
        }
    }
    notices
}

/// Shows `notice` on the desktop; `on_open` runs (on a thread of its own) when the referent clicks
/// it, with the plan to open. The notice names Proxi's desktop entry, so the desktop shows its icon.
///
/// # Errors
/// [`Error::NotificationsUnavailable`] when no notification service answers on the session bus.
pub fn show(notice: &Notice, on_open: impl FnOnce(Option<Uuid>) + Send + 'static) -> Result<()> {
    let notice = notice.clone();
    // The D-Bus connection of a shown notice stays on the thread that made it (it is not `Send`):
    // the thread shows the notice, says how it went, then waits for the click.
    let (shown, outcome) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("proxi-notice".into())
        .spawn(move || {
            let handle = notify_rust::Notification::new()
                .appname("Proxi")
                .summary(&notice.summary)
                .body(&notice.body)
                .icon("proxi-desktop")
                .hint(notify_rust::Hint::DesktopEntry("Proxi".into()))
                .action("default", &notice.open)
                .show();
            match handle {
                Ok(handle) => {
                    let _ = shown.send(Ok(()));
                    handle.wait_for_action(|action| {
                        if action == "default" {
                            on_open(notice.person);
                        }
                    });
                }
                Err(e) => {
                    let _ = shown.send(Err(Error::NotificationsUnavailable(e.to_string())));
                }
            }
        })
        .map_err(|e| Error::NotificationsUnavailable(e.to_string()))?;
    outcome
        .recv()
        .map_err(|e| Error::NotificationsUnavailable(e.to_string()))?
}
