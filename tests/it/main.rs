//! Integration tests of Proxi's core, compiled as one binary.

mod cli;
mod crash;
mod merge;
mod roundtrip;
mod sheet;
mod store;
mod support;
mod usecases;
mod validation;
