//! MS-OXCNOTIF core notifications: the suites for a decoder of RopNotify NotificationData.

pub mod decoder;
