//! What a push server under test must offer before some scenarios run.

use harness::Claim;

/// EWS CreateItem (implied when the profile has no `push.trigger`): scenarios that need many
/// events at once or exact item ids cause them with it.
pub const CREATE_ITEM: Claim = Claim::new(
    "create_item",
    "leave push.trigger unset so the suite can cause events with EWS CreateItem",
);
