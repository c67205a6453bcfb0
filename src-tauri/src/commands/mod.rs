//! The IPC commands, one module per feature.

pub mod community;
pub mod directory;
pub mod group;
pub mod guide;
pub mod helpdesk;
pub mod hospital;
pub mod needs;
pub mod people;
pub mod plan;
pub mod reminders;
pub mod rights;
pub mod session;
pub mod setup;
pub mod sheet;
pub mod sync;
