//! `oxconf mock NAME`: run a mock peer standalone, as a user would point their SUT at it.

use super::exit;
use crate::cli::MockArgs;

/// A peer `oxconf mock` can start.
pub struct PeerInfo {
    pub name: &'static str,
    pub description: &'static str,
}

pub fn peers() -> Vec<PeerInfo> {
    Vec::new()
}

pub fn run(args: &MockArgs) -> i32 {
    if args.list || args.name.is_none() {
        println!("mock peers:");
        for p in peers() {
            println!("  {:<14} {}", p.name, p.description);
        }
        return exit::OK;
    }
    let name = args.name.clone().unwrap_or_default();
    eprintln!("oxconf: unknown mock `{name}`; see `oxconf mock --list`");
    exit::USAGE
}
