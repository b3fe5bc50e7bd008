//! The `oxconf` command and the pieces `tests/` reuse: profile planning, scenario selection and
//! the subcommands.

pub mod out;

pub mod cli;
pub mod commands;
pub mod interop;
pub mod plan;
pub mod select;
pub mod session;
