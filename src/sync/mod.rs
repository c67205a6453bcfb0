//! Team sync through a blind relay (issue 6), built bottom-up. So far: the sealed blob every change
//! and snapshot travels in ([`envelope`]). The engine, the relay and the team management come next.

pub mod envelope;
