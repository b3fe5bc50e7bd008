//! What a push listener under test must claim before some scenarios run.

use harness::Claim;

pub const SOAP12: Claim = Claim::new(
    "soap12",
    "set [claims] soap12 = true if the listener serves the SOAP 1.2 binding (optional, E-PS-08)",
);
pub const HTTPS: Claim = Claim::new(
    "https",
    "point target.url at the listener's https:// endpoint (with target.ca_file)",
);

pub const ALL: &[Claim] = &[SOAP12, HTTPS];
