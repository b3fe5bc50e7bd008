//! XML plumbing shared by every codec: the strict gate for peer input and small writing helpers.

pub mod gate;

pub use gate::{parse_strict, Limits};
