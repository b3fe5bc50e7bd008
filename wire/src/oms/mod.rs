//! MS-OMS payloads: the documents carried as escaped strings inside the SOAP wrappers, their
//! strict readers and canonical writers, the validators a server suite judges by, and the
//! client interpretation rules.
//!
//! Every `parse` reads tolerantly and reports strictly: the value holds what could be read,
//! `findings` every deviation from the schema and the normative text, each with a stable rule
//! name (see `rules`), a path and the requirement it comes from. Only input that cannot be read
//! at all (not well-formed, wrong root element) is an `Err(LayerError)`, naming the embedded
//! document as its layer.

pub mod batch;
pub mod codes;
pub mod envelope;
pub mod interpret;
pub mod ns;
pub mod operation;
pub mod response;
pub mod rules;
pub mod schedule;
pub(crate) mod schema;
pub mod service_info;
pub mod smil;
pub mod text;
pub mod user;
pub mod xms_data;

pub use batch::{XmsBatch, XmsDataInBatch, XmsResponseWithId, XmsResponses};
pub use envelope::{
    fault_response, parse_request, parse_response, request, response, HttpSoap, OmsRequest,
    OmsResponse, ResponseBody,
};
pub use interpret::{interpret, Interpretation, Outcome};
pub use ns::OMS_NS;
pub use operation::Operation;
pub use response::{delivered, pairing_findings, DeliveryError, XmsResponse};
pub use rules::RULES;
pub use service_info::{
    AuthenticationType, MmsSender, ServiceInfo, SmsLimits, SmsSender, SupportedService,
};
pub use smil::{Audio, Img, Layout, Meta, MmsSlides, Par, Region, RootLayout, SmilHead, Text};
pub use user::{UserError, UserInfo, XmsUser};
pub use xms_data::{Content, User, XmsBody, XmsData, XmsHead};
