//! Namespaces of MS-OMS 2.2.1.

/// Target namespace of every wrapper element and of every embedded document (its root and,
/// with elementFormDefault="qualified", all its child elements).
pub const OMS_NS: &str = "http://schemas.microsoft.com/office/Outlook/2006/OMS";

/// Namespace older provider code put serviceInfo in (E-OMS-03); tolerated as a deviation.
pub const LEGACY_SERVICE_INFO_NS: &str =
    "http://schemas.microsoft.com/office/Outlook/2006/OMS/serviceInfo";

/// Prefix of every SOAP action; the operation name follows.
pub const ACTION_PREFIX: &str = "http://schemas.microsoft.com/office/Outlook/2006/OMS/";
