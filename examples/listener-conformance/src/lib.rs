//! Stands for an implementer's crate holding a push notification listener (the web service
//! Exchange POSTs SendNotification to). It has no listener of its own: its test
//! (`tests/push_listener.rs`) starts oxconf's reference listener in its place and shows the one
//! call that judges it. Put your own server there and keep the rest.
