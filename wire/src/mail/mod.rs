//! MIME reply mail of MS-OMS 2.2.2.1.
