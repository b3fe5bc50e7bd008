//! The `oxconf` command and the pieces `tests/` reuse: profile planning, scenario selection and
//! the subcommands.

pub mod out;

pub mod cli;
pub mod commands;
pub mod interop;
pub mod library;
pub mod plan;
pub mod select;
pub mod session;

/// The peers, for tests that start one as a stand-in for their own SUT (see [`library`]).
pub use mocks;
