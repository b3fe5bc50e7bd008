//! One module per subcommand.

pub mod coverage;
pub mod decode;
pub mod list;
pub mod load;
pub mod matrix;
pub mod mock;
pub mod paths;
pub mod profile;
pub mod report;
pub mod run;

/// Exit codes shared by every command.
pub use harness::report::model::exit;
