//! The `oxconf` command and the pieces `tests/` reuse: profile planning and the subcommands.

pub mod cli;
pub mod commands;
pub mod plan;
