//! MS-OMS payloads.
