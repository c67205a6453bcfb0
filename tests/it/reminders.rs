//! Reminders on the desktop, received on a real D-Bus session by a notification server of our own
//! that owns `org.freedesktop.Notifications` (as a desktop's would), and clicked there.
//!
//! `make test` runs the core tests inside `.ci/keyring-session.sh` (a D-Bus session). Without one
//! these tests fail and say so: they are not skipped.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dbus::Message;
use dbus::blocking::Connection;
use dbus::channel::{MatchingReceiver, Sender as _};
use dbus::message::MatchRule;
use jiff::civil::date;
use proxi::ErrorCode;
use proxi::Proxi;
use proxi::app::ORIENTATION_STUCK_DAYS;
use proxi::clock::SteppingClock;
use proxi::domain::{ActionInput, ActionStatus, Who};
use proxi::reminders::{self, Counts, DueDates, Notice};
use uuid::Uuid;

use crate::support::{new_store, someone};

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// One `Notify` call, as the server received it.
#[derive(Debug, Clone)]
struct Received {
    id: u32,
    app: String,
    summary: String,
    body: String,
    actions: Vec<String>,
}

enum Command {
    Click(u32),
    Close(u32),
    /// From now on, answer `Notify` with an error (a desktop that refuses notifications).
    Refuse,
    Stop,
}

/// A notification server on the session bus: records what it is sent; clicks and closes on demand.
struct Server {
    received: Arc<Mutex<Vec<Received>>>,
    commands: Sender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start() -> Server {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session, so no desktop notifications: run these tests with `make test` \
             (or `bash .ci/keyring-session.sh cargo test`)"
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let (commands, inbox): (Sender<Command>, Receiver<Command>) = channel();
        let (ready, started) = channel();
        let log = Arc::clone(&received);
        let thread = std::thread::spawn(move || {
            let conn = Connection::new_session().expect("the session bus");
            let reply = conn
                .request_name(NAME, false, true, true)
                .expect("the name request is answered");
            assert_eq!(
                reply,
                dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply::PrimaryOwner,
                "another notification server owns {NAME}"
            );
            let mut next_id = 0u32;
            let refusing = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let refuse = Arc::clone(&refusing);
            conn.start_receive(
                MatchRule::new_method_call(),
                Box::new(move |msg: Message, conn: &Connection| {
                    let refused = refuse.load(std::sync::atomic::Ordering::SeqCst);
                    let reply = match msg.member().as_deref() {
                        Some("Notify") if refused => {
                            let name = dbus::strings::ErrorName::new(
                                "org.freedesktop.DBus.Error.AccessDenied",
                            )
                            .expect("an error name");
                            let text =
                                std::ffi::CString::new("notifications are off").expect("text");
                            msg.error(&name, &text)
                        }
                        Some("Notify") => {
                            let mut args = msg.iter_init();
                            let app: String = args.read().expect("app name");
                            let _replaces: u32 = args.read().expect("replaces id");
                            let _icon: String = args.read().expect("icon");
                            let summary: String = args.read().expect("summary");
                            let body: String = args.read().expect("body");
                            let actions: Vec<String> = args.read().expect("actions");
                            next_id += 1;
                            log.lock().expect("log").push(Received {
                                id: next_id,
                                app,
                                summary,
                                body,
                                actions,
                            });
                            msg.method_return().append1(next_id)
                        }
                        Some("GetCapabilities") => msg
                            .method_return()
                            .append1(vec!["actions".to_owned(), "body".to_owned()]),
                        Some("GetServerInformation") => msg
                            .method_return()
                            .append2("test", "proxi")
                            .append2("1", "1.2"),
                        _ => msg.method_return(),
                    };
                    let _ = conn.send(reply);
                    true
                }),
            );
            let _ = ready.send(());
            // A click is said again every 250 ms for 5 s, as a person clicks again when nothing
            // happens: a notice listens for its click only once it is shown, so on a loaded machine
            // a click in the first instant can come before it listens. A notice answers one click.
            let mut clicks: Vec<(u32, std::time::Instant)> = Vec::new();
            let mut last_said = std::time::Instant::now();
            loop {
                conn.process(Duration::from_millis(50))
                    .expect("the bus answers");
                if last_said.elapsed() >= Duration::from_millis(250) {
                    last_said = std::time::Instant::now();
                    clicks.retain(|(_, since)| since.elapsed() < Duration::from_secs(5));
                    for (id, _) in &clicks {
                        let signal = Message::new_signal(PATH, NAME, "ActionInvoked")
                            .expect("signal")
                            .append2(*id, "default");
                        conn.send(signal).expect("sent");
                    }
                }
                match inbox.try_recv() {
                    Ok(Command::Click(id)) => {
                        let signal = Message::new_signal(PATH, NAME, "ActionInvoked")
                            .expect("signal")
                            .append2(id, "default");
                        conn.send(signal).expect("sent");
                        clicks.push((id, std::time::Instant::now()));
                    }
                    Ok(Command::Close(id)) => {
                        let signal = Message::new_signal(PATH, NAME, "NotificationClosed")
                            .expect("signal")
                            .append2(id, 2u32);
                        conn.send(signal).expect("sent");
                    }
                    Ok(Command::Refuse) => {
                        refusing.store(true, std::sync::atomic::Ordering::SeqCst)
                    }
                    Ok(Command::Stop) => break,
                    Err(_) => {}
                }
            }
            conn.release_name(NAME).expect("released");
        });
        started
            .recv_timeout(Duration::from_secs(10))
            .expect("the server started");
        Server {
            received,
            commands,
            thread: Some(thread),
        }
    }

    /// Waits until `n` notices arrived; all of them.
    fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received.lock().expect("log").clone();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the server thread ends");
        }
    }
}

fn act(what: &str, due: jiff::civil::Date) -> ActionInput {
    ActionInput {
        what: what.into(),
        who: Who::Referent,
        due: Some(due),
        priority_id: None,
        outcome: String::new(),
    }
}

/// Alice has an action overdue, Bruno one due today and his plan to review, Chloé one next week;
/// a done action and an archived person's are not reminded. Today is 2026-12-01.
fn a_week_of_follow_up() -> (tempfile::TempDir, std::path::PathBuf, Proxi, Uuid, Uuid) {
    let (dir, path, mut app) = new_store();
    let alice = app.create_person(someone("Alice")).expect("alice");
    let bruno = app.create_person(someone("Bruno")).expect("bruno");
    let chloe = app.create_person(someone("Chloé")).expect("chloé");
    app.add_action(alice, act("Appeler le CPAS", date(2026, 11, 25)))
        .expect("alice's action");
    app.add_action(bruno, act("Passer à la pharmacie", date(2026, 12, 1)))
        .expect("bruno's action");
    app.set_review_date(bruno, Some(date(2026, 11, 30)))
        .expect("bruno's review");
    app.add_action(chloe, act("Visite du kiné", date(2026, 12, 8)))
        .expect("chloé's action");
    let done = app
        .add_action(chloe, act("Déjà fait", date(2026, 11, 24)))
        .expect("done");
    app.set_action_status(chloe, done, ActionStatus::Done, Some("Fait".into()))
        .expect("status");
    let zoe = app.create_person(someone("Zoé")).expect("zoé");
    app.add_action(zoe, act("Archivée", date(2026, 11, 24)))
        .expect("zoé's action");
    app.set_archived(zoe, true).expect("archived");
    let later = Arc::new(SteppingClock::new(
        "2026-12-01T08:00:00Z".parse().expect("instant"),
        jiff::SignedDuration::from_secs(1),
    ));
    (dir, path, Proxi::new(app.into_store(), later), alice, bruno)
}

#[test]
fn the_open_store_names_each_person_and_what_is_due() {
    let (_dir, _path, app, alice, bruno) = a_week_of_follow_up();
    let notices = reminders::unlocked(
        &app.follow_up(0, ORIENTATION_STUCK_DAYS).expect("follow-up"),
        "fr",
    );
    assert_eq!(
        notices,
        vec![
            Notice {
                summary: "Alice".into(),
                body: "En retard (depuis le 25/11) : Appeler le CPAS".into(),
                person: Some(alice),
                open: "Ouvrir".into(),
            },
            Notice {
                summary: "Bruno".into(),
                body: "Aujourd’hui : Passer à la pharmacie\nPlan à revoir (prévu le 30/11)".into(),
                person: Some(bruno),
                open: "Ouvrir".into(),
            },
        ]
    );
    let dutch = reminders::unlocked(
        &app.follow_up(0, ORIENTATION_STUCK_DAYS).expect("follow-up"),
        "nl",
    );
    assert_eq!(dutch[0].body, "Te laat (sinds 25/11): Appeler le CPAS");
    assert_eq!(dutch[1].open, "Openen");
}

#[test]
fn beyond_three_people_one_notice_sums_up_the_rest() {
    let (_dir, _path, mut app) = new_store();
    for name in ["Anna", "Bert", "Cléo", "Dirk", "Emma"] {
        let id = app.create_person(someone(name)).expect("person");
        app.add_action(id, act("Téléphoner", date(2026, 11, 23)))
            .expect("action");
    }
    let notices = reminders::unlocked(
        &app.follow_up(0, ORIENTATION_STUCK_DAYS).expect("follow-up"),
        "en",
    );
    assert_eq!(notices.len(), 3);
    assert_eq!(notices[0].body, "Today: Téléphoner");
    assert_eq!(notices[2].summary, "3 more people");
    assert_eq!(notices[2].person, None);
}

#[test]
fn a_locked_window_counts_from_dates_alone_and_names_no_one() {
    let (_dir, path, app, _alice, _bruno) = a_week_of_follow_up();
    let dates = DueDates::of(
        &app.follow_up(365, ORIENTATION_STUCK_DAYS)
            .expect("follow-up"),
    );
    dates.save(&path).expect("saved");
    let on_disk = std::fs::read_to_string(reminders::path_for(&path)).expect("the file");
    for word in [
        "Alice",
        "Bruno",
        "Chloé",
        "Exemple",
        "CPAS",
        "pharmacie",
        "kiné",
    ] {
        assert!(!on_disk.contains(word), "{word} is in {on_disk}");
    }
    let kept = DueDates::load(&path).expect("read back");
    assert_eq!(
        kept.counts(date(2026, 12, 1)),
        Counts {
            overdue: 1,
            today: 1,
            reviews: 1
        }
    );
    // Days pass while the window stays locked: the counts follow the calendar.
    assert_eq!(
        kept.counts(date(2026, 12, 8)),
        Counts {
            overdue: 2,
            today: 1,
            reviews: 1
        }
    );
    let notice = reminders::locked(kept.counts(date(2026, 12, 1)), "fr").expect("a notice");
    assert_eq!(notice.summary, "Proxi : à faire");
    assert_eq!(
        notice.body,
        "1 action en retard, 1 action pour aujourd’hui, 1 plan à revoir.\nOuvrez Proxi pour voir lesquelles."
    );
    assert_eq!(notice.person, None);
    let plural = reminders::locked(kept.counts(date(2026, 12, 8)), "nl").expect("a notice");
    assert!(
        plural
            .body
            .starts_with("2 acties te laat, 1 actie voor vandaag")
    );
    assert_eq!(reminders::locked(Counts::default(), "fr"), None);

    // A damaged file counts nothing rather than failing; switching reminders off removes it.
    std::fs::write(reminders::path_for(&path), "{ damaged").expect("write");
    assert_eq!(DueDates::load(&path), None);
    DueDates::forget(&path).expect("removed");
    assert!(!reminders::path_for(&path).exists());
    DueDates::forget(&path).expect("removing twice is fine");
}

/// The notices reach a real notification server with the right counts; the locked one carries no
/// name; clicking a person's notice gives back that person's plan to open.
#[test]
fn notices_reach_the_desktop_and_a_click_opens_the_plan() {
    let (_dir, path, app, alice, bruno) = a_week_of_follow_up();
    let server = Server::start();

    DueDates::of(
        &app.follow_up(365, ORIENTATION_STUCK_DAYS)
            .expect("follow-up"),
    )
    .save(&path)
    .expect("saved");
    let counts = DueDates::load(&path)
        .expect("dates")
        .counts(date(2026, 12, 1));
    let locked = reminders::locked(counts, "fr").expect("a notice");
    let (opened, clicks) = channel();
    let on_open = |tx: Sender<Option<Uuid>>| move |person| tx.send(person).expect("sent");
    reminders::show(&locked, on_open(opened.clone())).expect("shown while locked");
    for notice in reminders::unlocked(
        &app.follow_up(0, ORIENTATION_STUCK_DAYS).expect("follow-up"),
        "fr",
    ) {
        reminders::show(&notice, on_open(opened.clone())).expect("shown");
    }
    let got = server.wait_for(3);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|n| n.app == "Proxi"));
    assert!(got.iter().all(|n| n.actions == ["default", "Ouvrir"]));

    let locked_seen = &got[0];
    assert_eq!(
        locked_seen.body,
        "1 action en retard, 1 action pour aujourd’hui, 1 plan à revoir.\nOuvrez Proxi pour voir lesquelles."
    );
    for word in ["Alice", "Bruno", "Exemple", "CPAS", "pharmacie"] {
        let text = format!("{} {}", locked_seen.summary, locked_seen.body);
        assert!(!text.contains(word), "a locked notice says {word}: {text}");
    }
    assert_eq!(got[1].summary, "Alice");
    assert!(got[1].body.contains("Appeler le CPAS"));
    assert_eq!(got[2].summary, "Bruno");

    // Bruno's notice is clicked; Alice's is dismissed; the locked one is clicked too.
    server
        .commands
        .send(Command::Click(got[2].id))
        .expect("cmd");
    assert_eq!(
        clicks
            .recv_timeout(Duration::from_secs(10))
            .expect("a click"),
        Some(bruno)
    );
    server
        .commands
        .send(Command::Close(got[1].id))
        .expect("cmd");
    server
        .commands
        .send(Command::Click(got[0].id))
        .expect("cmd");
    assert_eq!(
        clicks
            .recv_timeout(Duration::from_secs(10))
            .expect("a click"),
        None,
        "the locked notice opens the window, no plan (and Alice's dismissal opened nothing)"
    );
    assert!(
        clicks.recv_timeout(Duration::from_millis(300)).is_err(),
        "nothing else was opened"
    );
    let _ = alice;

    // A desktop that refuses notifications: a clear error, nothing else.
    server.commands.send(Command::Refuse).expect("cmd");
    std::thread::sleep(Duration::from_millis(200));
    let err = reminders::show(&locked, |_| {}).expect_err("refused");
    assert_eq!(err.code(), ErrorCode::NotificationsUnavailable);
    server.stop();
}
