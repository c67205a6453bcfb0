//! Team sync through a blind relay (issue 6): the sealed blob every change travels in ([`envelope`]),
//! the engine that makes blobs of this device's changes and merges the blobs of the others
//! ([`engine`]) over what it keeps between runs ([`ledger`]: the store, or memory), the framing of a pull answer ([`wire`]), the relay's HTTP client ([`client`]), and
//! the team: its devices, invitations, revocations, erasures, and one sync ([`team`]).
//!
//! What travels (the envelope, the pull frames, the invitation codes) is the `proxi-wire` crate,
//! which the relay uses too without linking anything else of Proxi.

pub mod client;
pub mod engine;
mod error;
mod invitation;
mod keys;
pub mod ledger;
mod roster;
mod run;
mod snapshot;
pub mod team;

pub use error::SyncError;
pub use proxi_wire::envelope;
pub use proxi_wire::frame as wire;
