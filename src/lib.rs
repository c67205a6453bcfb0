//! Proxi's core: goal-oriented care plans for the *référents de proximité* of Brussels.
//!
//! Each person accompanied has one plan, kept as an automerge document ([`document`]) in a local
//! SQLCipher store ([`store`]). The use cases ([`app::Proxi`]) are what the desktop shell and the
//! `proxi` command line both call; nothing here depends on a window.

pub mod app;
pub mod backup;
pub mod clock;
pub mod community;
pub mod concertation;
pub mod demo;
pub mod diff;
pub mod directory;
pub mod document;
pub mod domain;
pub mod edit;
pub mod error;
pub mod fhir;
pub mod group;
pub mod guide;
pub mod handover;
pub mod helpdesk;
pub mod hospital;
pub mod needs;
pub mod os_keyring;
pub mod passphrase;
pub mod printing;
pub mod reminders;
pub mod settings;
pub mod sheet;
pub mod store;
pub mod sync;
pub mod territory;
pub mod text;

pub use app::{Proxi, StatementList};
pub use error::{Error, ErrorCode, Result};
