//! MS-OXCNOTIF peers: the reference NotificationData decoder.

pub mod decoder;
