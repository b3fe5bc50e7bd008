//! What a client under test must claim before some scenarios run.

use harness::Claim;

pub const UDP_PUSH: Claim = Claim::new(
    "udp_push",
    "set claims.udp_push = true if the client takes UDP datagrams on {udp_port}",
);
