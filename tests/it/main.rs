//! Integration tests of Proxi's core, compiled as one binary.

mod backup;
mod cli;
mod community;
mod concertation;
mod crash;
mod directory;
mod fhir;
mod group;
mod guide;
mod handover;
mod helpdesk;
mod hospital;
mod keyring;
mod merge;
mod needs;
mod privacy;
mod reminders;
mod roundtrip;
mod sheet;
mod store;
mod support;
mod sync_replica;
mod sync_sim;
mod usecases;
mod validation;
