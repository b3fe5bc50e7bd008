//! What a subscriber under test must claim before some scenarios run.

use harness::Claim;

pub const OWN_LISTENER: Claim = Claim::new(
    "own_listener",
    "set push.own_listener = true if the app puts its own listener's URL in Subscribe",
);
