//! Phone replies (MS-OMS 2.2.2.1, 3.1.4.5): provoking them through the reply trigger and
//! catching them on the SMTP sink.
