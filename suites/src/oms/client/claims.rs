//! What an OMS client under test must claim before some scenarios run.

use harness::Claim;

pub const BATCH: Claim = Claim::new(
    "batch",
    "set [claims] batch = true if the trigger sends the messages of {batch_file} (DeliverXmsBatch)",
);
pub const MMS: Claim = Claim::new(
    "mms",
    "set [claims] mms = true if the trigger sends an MMS when {kind} is \"mms\" (with {image_file})",
);
pub const HTTPS: Claim = Claim::new(
    "https",
    "set [claims] https = true if the client can use https with the CA in {ca_file}",
);
pub const CREDENTIALS: Claim = Claim::new(
    "credentials",
    "set oms.user and oms.password to the account the client is configured with",
);

pub const ALL: &[Claim] = &[BATCH, MMS, HTTPS, CREDENTIALS];
