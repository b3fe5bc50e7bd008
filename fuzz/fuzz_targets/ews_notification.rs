//! See fuzz/README.md and `oxconf_wire::fuzzing::ews_notification` for what this target covers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wire::fuzzing::ews_notification(data));
