//! A scripted MS-OMS server for testing clients.
