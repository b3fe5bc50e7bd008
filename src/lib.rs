//! oxconf
