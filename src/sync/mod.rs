//! Team sync through a blind relay (issue 6), built bottom-up: the sealed blob every change and
//! snapshot travels in ([`envelope`]), and the engine that makes blobs of this device's changes and
//! merges the blobs of the others ([`engine`]). The relay and the team management come next.

pub mod engine;
pub mod envelope;
pub mod wire;
