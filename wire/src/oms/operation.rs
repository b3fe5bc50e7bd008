//! The operations of MS-OMS 3.1.4 and the names their messages use.

use super::ns::ACTION_PREFIX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    GetServiceInfo,
    GetUserInfo,
    DeliverXms,
    /// Not in the WSDL; assumed to mirror DeliverXms (E-OMS-26).
    SendXms,
    DeliverXmsBatch,
}

impl Operation {
    pub const ALL: [Operation; 5] = [
        Operation::GetServiceInfo,
        Operation::GetUserInfo,
        Operation::DeliverXms,
        Operation::SendXms,
        Operation::DeliverXmsBatch,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::GetServiceInfo => "GetServiceInfo",
            Operation::GetUserInfo => "GetUserInfo",
            Operation::DeliverXms => "DeliverXms",
            Operation::SendXms => "SendXms",
            Operation::DeliverXmsBatch => "DeliverXmsBatch",
        }
    }

    /// The SOAP action (OMS-R106).
    pub fn action(self) -> String {
        format!("{ACTION_PREFIX}{}", self.name())
    }

    /// The operation an action names. Surrounding quotes and whitespace are ignored; the
    /// comparison is otherwise exact (URIs are case-sensitive).
    pub fn from_action(a: &str) -> Option<Operation> {
        let a = a.trim();
        let a = a
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or(a);
        let name = a.strip_prefix(ACTION_PREFIX)?;
        Self::from_element(name)
    }

    /// The operation whose request wrapper element is called `n`.
    pub fn from_element(n: &str) -> Option<Operation> {
        Self::ALL.into_iter().find(|op| op.name() == n)
    }

    /// The string parameter inside the request wrapper; GetServiceInfo has none.
    pub fn param_element(self) -> Option<&'static str> {
        match self {
            Operation::GetServiceInfo => None,
            Operation::GetUserInfo => Some("xmsUser"),
            Operation::DeliverXms | Operation::SendXms => Some("xmsData"),
            Operation::DeliverXmsBatch => Some("packageXml"),
        }
    }

    pub fn response_element(self) -> String {
        format!("{}Response", self.name())
    }

    pub fn result_element(self) -> String {
        format!("{}Result", self.name())
    }

    /// Root element of the document carried in the request parameter.
    pub fn payload_in(self) -> Option<&'static str> {
        match self {
            Operation::GetServiceInfo => None,
            Operation::GetUserInfo => Some("xmsUser"),
            Operation::DeliverXms | Operation::SendXms => Some("xmsData"),
            Operation::DeliverXmsBatch => Some("xmsBatch"),
        }
    }

    /// Root element of the document carried in the result.
    pub fn payload_out(self) -> &'static str {
        match self {
            Operation::GetServiceInfo => "serviceInfo",
            Operation::GetUserInfo => "userInfo",
            Operation::DeliverXms | Operation::SendXms => "xmsResponse",
            Operation::DeliverXmsBatch => "xmsResponses",
        }
    }

    /// The requirement that makes the result an escaped serialized document.
    pub(crate) fn result_requirement(self) -> &'static str {
        match self {
            Operation::GetServiceInfo => "OMS-R109",
            Operation::GetUserInfo => "OMS-R127",
            Operation::DeliverXms | Operation::SendXms => "OMS-R140",
            Operation::DeliverXmsBatch => "OMS-R145",
        }
    }

    /// The requirement that makes the request parameter an escaped serialized document.
    pub(crate) fn param_requirement(self) -> &'static str {
        match self {
            Operation::GetServiceInfo => "OMS-R108",
            Operation::GetUserInfo => "OMS-R124",
            Operation::DeliverXms | Operation::SendXms => "OMS-R139",
            Operation::DeliverXmsBatch => "OMS-R141",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(Operation::GetServiceInfo, None, "serviceInfo")]
    #[case(Operation::GetUserInfo, Some("xmsUser"), "userInfo")]
    #[case(Operation::DeliverXms, Some("xmsData"), "xmsResponse")]
    #[case(Operation::SendXms, Some("xmsData"), "xmsResponse")]
    #[case(Operation::DeliverXmsBatch, Some("xmsBatch"), "xmsResponses")]
    fn names_round_trip(
        #[case] op: Operation,
        #[case] payload_in: Option<&str>,
        #[case] payload_out: &str,
    ) {
        assert_eq!(Operation::from_action(&op.action()), Some(op));
        assert_eq!(
            Operation::from_action(&format!("\"{}\"", op.action())),
            Some(op)
        );
        assert_eq!(Operation::from_element(op.name()), Some(op));
        assert_eq!(op.payload_in(), payload_in);
        assert_eq!(op.payload_out(), payload_out);
        assert_eq!(op.response_element(), format!("{}Response", op.name()));
        assert_eq!(op.result_element(), format!("{}Result", op.name()));
    }

    #[rstest]
    #[case::other_namespace("http://example.com/DeliverXms")]
    #[case::wrong_case("http://schemas.microsoft.com/office/Outlook/2006/OMS/deliverxms")]
    #[case::bare_name("DeliverXms")]
    #[case::empty("")]
    fn unknown_actions(#[case] action: &str) {
        assert_eq!(Operation::from_action(action), None);
    }

    #[test]
    fn spec_actions() {
        assert_eq!(
            Operation::DeliverXmsBatch.action(),
            "http://schemas.microsoft.com/office/Outlook/2006/OMS/DeliverXmsBatch"
        );
        assert_eq!(
            Operation::DeliverXmsBatch.param_element(),
            Some("packageXml")
        );
        assert_eq!(Operation::GetServiceInfo.param_element(), None);
    }
}
