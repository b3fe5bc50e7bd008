//! Mock peers, one per protocol role. Each is scriptable, records what it receives, has named
//! fault switches, and is the reference implementation of its role.

pub mod cnotif;
pub mod ews;
pub mod fault;
pub mod hostile;
pub mod http;
pub mod net;
pub mod oms;
pub mod record;
pub mod smtp;
