//! EWS push notifications (MS-OXWSPSNTIF, with the MS-OXWSNTIF subscriptions they come from):
//! one suite per role. `push-listener` judges a client web service that receives
//! SendNotification, `push-server` an Exchange-like server that sends them, and
//! `push-subscriber` an application that creates the subscriptions.

pub mod common;
pub mod listener;
pub mod load;
pub mod server;
pub mod subscriber;
