//! EWS push notifications (MS-OXWSPSNTIF) and the notification subscriptions they come from
//! (MS-OXWSNTIF): the typed model, strict readers that report findings with stable rule
//! names, and writers for every role the suites and mocks play.
//!
//! Like `crate::oms`, every reader reads tolerantly and reports strictly: the value holds what
//! could be read, `findings` every deviation (wrong namespace, wrong order, missing or extra
//! element, value out of range, not an `xs:dateTime`...), each naming its rule (`rules`) and
//! the requirement it comes from. Only input that cannot be read at all (not well-formed, not
//! a SOAP envelope, a DTD, over the limits) is an `Err(LayerError)`.

pub mod model;
pub mod ns;
mod read;
pub mod rules;
mod schema;
mod write;

pub use read::{push_url_problem, response_server_version_info};

pub use model::*;

use crate::finding::{Finding, LayerError};
use crate::soap::SoapVersion;
use crate::xml::Limits;
use serde::{Deserialize, Serialize};

/// What a reader got out of a message: the SOAP version (from the envelope), the
/// `t:RequestServerVersion` / `t:ServerVersionInfo` header's `Version`, the value, and the
/// findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received<T> {
    pub soap: SoapVersion,
    pub server_version: Option<String>,
    pub value: T,
    pub findings: Vec<Finding>,
}

/// What a push listener answered to a SendNotification, as the server side reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListenerAnswer {
    /// `SendNotificationResult` (in whatever namespace: findings say if it is the wrong one)
    /// with the SubscriptionStatus text, and the status when the text is exactly a valid one.
    Result {
        status_text: Option<String>,
        status: Option<SubscriptionStatus>,
    },
    /// A SOAP fault.
    Fault { code: String, reason: String },
    /// Some other body element (its local name).
    Other(String),
    /// A Body without element.
    Empty,
}

/// The `t:ServerVersionInfo` attributes a response header carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerVersionInfo {
    pub major_version: Option<i32>,
    pub minor_version: Option<i32>,
    pub major_build_number: Option<i32>,
    pub minor_build_number: Option<i32>,
    pub version: Option<String>,
}

/// One item-level response message (CreateItem, MoveItem, CopyItem: the new items' ids;
/// DeleteItem, UpdateItem: none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResponse {
    pub response: ResponseMessage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<BaseId>,
}

/// One GetFolder response message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderResponse {
    pub response: ResponseMessage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<FolderInfo>,
}

/// The EWS responses the mocks write and the push-server suite reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EwsResponse {
    Subscribe(Vec<SubscribeResponse>),
    Unsubscribe(Vec<ResponseMessage>),
    GetEvents(Vec<SendNotificationMessage>),
    CreateItem(Vec<ItemResponse>),
    DeleteItem(Vec<ItemResponse>),
    MoveItem(Vec<ItemResponse>),
    CopyItem(Vec<ItemResponse>),
    UpdateItem(Vec<ItemResponse>),
    GetFolder(Vec<FolderResponse>),
    /// A SOAP fault: its code's local name and its reason text.
    Fault {
        code: String,
        reason: String,
    },
}

/// How a writer names the two EWS namespaces. Prefixes carry no meaning (PSNTIF-R007), so a
/// listener must read all three styles alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Prefixes {
    /// `m:` and `t:`, as Exchange writes them.
    #[default]
    Conventional,
    /// Default namespace declarations on each element that changes namespace, no prefixes.
    Default,
    /// Prefixes of the caller's choosing (messages, types).
    Custom(String, String),
}

// ---- readers (peer input) ----

/// Reads a SendNotification request (listener side).
pub fn read_send_notification(
    body: &str,
    limits: Limits,
) -> Result<Received<SendNotification>, LayerError> {
    read::send_notification(body, limits)
}

/// Reads a listener's answer to a SendNotification (server side).
pub fn read_listener_answer(
    body: &str,
    limits: Limits,
) -> Result<Received<ListenerAnswer>, LayerError> {
    read::listener_answer(body, limits)
}

/// Reads an EWS request (mock server side): Subscribe, Unsubscribe, GetEvents, the item and
/// folder operations, or `Other`.
pub fn read_request(body: &str, limits: Limits) -> Result<Received<EwsRequest>, LayerError> {
    read::request(body, limits)
}

/// Reads an EWS response (client side: the push-server suite reading the SUT's answers).
pub fn read_response(body: &str, limits: Limits) -> Result<Received<EwsResponse>, LayerError> {
    read::response(body, limits)
}

// ---- writers ----

/// A SendNotification envelope (with `t:RequestServerVersion` when `n.server_version` is set).
pub fn write_send_notification(
    version: SoapVersion,
    n: &SendNotification,
    prefixes: &Prefixes,
) -> String {
    write::send_notification(version, n, prefixes)
}

/// A listener's answer: `m:SendNotificationResult/m:SubscriptionStatus`.
pub fn write_listener_answer(version: SoapVersion, status: SubscriptionStatus) -> String {
    write::listener_answer(version, status)
}

/// An EWS request envelope with `t:RequestServerVersion Version=server_version` when given.
pub fn write_request(
    version: SoapVersion,
    server_version: Option<&str>,
    request: &EwsRequest,
) -> String {
    write::request(version, server_version, request)
}

/// An EWS response envelope, with `t:ServerVersionInfo` in its header when given.
pub fn write_response(
    version: SoapVersion,
    server_version: Option<&ServerVersionInfo>,
    response: &EwsResponse,
) -> String {
    write::response(version, server_version, response)
}
