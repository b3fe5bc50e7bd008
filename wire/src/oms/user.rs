//! GetUserInfo documents: xmsUser (request) and userInfo (result), MS-OMS 3.1.4.2.3.

use serde::{Deserialize, Serialize};

use super::ns::OMS_NS;
use super::schema::{Checker, Slot};
use crate::finding::{LayerError, Parsed};
use crate::xml::XmlWriter;

/// tXmsUser: the credentials a client presents (OMS-R125).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsUser {
    pub client: Option<String>,
    pub user_id: Option<String>,
    pub password: Option<String>,
    /// Ignored by servers (OMS-R126).
    pub custom_data: Option<String>,
}

/// tUserError: simple content with a required code and an optional severity (OMS-R132).
/// Whether the code is "OK" or "ok" is judged by the suites (E-OMS-07), not here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserError {
    pub code: Option<String>,
    pub severity: Option<String>,
    pub text: String,
}

/// tUserInfo (OMS-R128).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub reply_phone: Option<String>,
    pub smtp_address: Option<String>,
    /// Required by the schema; `None` only when a peer left it out.
    pub error: Option<UserError>,
    pub custom_data: Option<String>,
}

impl XmsUser {
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        let mut attrs = vec![("xmlns", OMS_NS)];
        if let Some(client) = &self.client {
            attrs.push(("client", client.as_str()));
        }
        w.start("xmsUser", &attrs);
        w.opt_text_element("userId", self.user_id.as_deref());
        w.opt_text_element("password", self.password.as_deref());
        w.opt_text_element("customData", self.custom_data.as_deref());
        w.end("xmsUser");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "xmsUser")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &["client"], &[], "OMS-R125");
        let kids = c.sequence(
            root,
            &path,
            &[
                Slot::opt("userId"),
                Slot::opt("password"),
                Slot::opt("customData"),
            ],
            "OMS-R125",
        );
        let read = |c: &mut Checker, name: &str| {
            c.opt_simple(kids.first(name), &format!("{path}/{name}"), "OMS-R125")
        };
        let user_id = read(&mut c, "userId");
        let password = read(&mut c, "password");
        let custom_data = read(&mut c, "customData");
        Ok(Parsed {
            value: XmsUser {
                client: root.attribute("client").map(str::to_owned),
                user_id,
                password,
                custom_data,
            },
            findings: c.finish(),
        })
    }
}

impl UserInfo {
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        w.start("userInfo", &[("xmlns", OMS_NS)]);
        w.opt_text_element("replyPhone", self.reply_phone.as_deref());
        w.opt_text_element("smtpAddress", self.smtp_address.as_deref());
        if let Some(error) = &self.error {
            let mut attrs = Vec::new();
            if let Some(code) = &error.code {
                attrs.push(("code", code.as_str()));
            }
            if let Some(severity) = &error.severity {
                attrs.push(("severity", severity.as_str()));
            }
            w.text_element("error", &attrs, &error.text);
        }
        w.opt_text_element("customData", self.custom_data.as_deref());
        w.end("userInfo");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "userInfo")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &[], &[], "OMS-R128");
        let kids = c.sequence(
            root,
            &path,
            &[
                Slot::opt("replyPhone"),
                Slot::opt("smtpAddress"),
                Slot::one("error"),
                Slot::opt("customData"),
            ],
            "OMS-R128",
        );
        let reply_phone = c.opt_simple(
            kids.first("replyPhone"),
            &format!("{path}/replyPhone"),
            "OMS-R128",
        );
        let smtp_address = c.opt_simple(
            kids.first("smtpAddress"),
            &format!("{path}/smtpAddress"),
            "OMS-R128",
        );
        let error = kids.first("error").map(|n| {
            let p = format!("{path}/error");
            c.attributes(n, &p, &["code", "severity"], &["code"], "OMS-R132");
            let text = c.text(n, &p, "OMS-R132");
            UserError {
                code: n.attribute("code").map(str::to_owned),
                severity: n.attribute("severity").map(str::to_owned),
                text,
            }
        });
        let custom_data = c.opt_simple(
            kids.first("customData"),
            &format!("{path}/customData"),
            "OMS-R128",
        );
        Ok(Parsed {
            value: UserInfo {
                reply_phone,
                smtp_address,
                error,
                custom_data,
            },
            findings: c.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::rules;
    use rstest::rstest;

    #[test]
    fn spec_example_4_2_request_reads() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xmsUser client=\"Microsoft Office Outlook 12.0\"\n    xmlns = \"http://schemas.microsoft.com/office/Outlook/2006/OMS\">\n  <userId>myname</userId>\n  <password>mypwd</password>\n  <customData/>\n</xmsUser>";
        let parsed = XmsUser::parse(xml).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.value.user_id.as_deref(), Some("myname"));
        assert_eq!(parsed.value.custom_data.as_deref(), Some(""));
        assert_eq!(
            parsed.value.client.as_deref(),
            Some("Microsoft Office Outlook 12.0")
        );
    }

    #[test]
    fn round_trips() {
        let u = XmsUser {
            client: Some("c & \"q\"".into()),
            user_id: Some("<me>".into()),
            password: None,
            custom_data: Some(String::new()),
        };
        assert_eq!(XmsUser::parse(&u.to_xml()).unwrap(), Parsed::clean(u));
        let i = UserInfo {
            reply_phone: Some("090123456".into()),
            smtp_address: None,
            error: Some(UserError {
                code: Some("OK".into()),
                severity: None,
                text: "fine".into(),
            }),
            custom_data: None,
        };
        assert_eq!(UserInfo::parse(&i.to_xml()).unwrap(), Parsed::clean(i));
    }

    #[rstest]
    #[case::no_error("<userInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><replyPhone>1</replyPhone></userInfo>", &[rules::SCHEMA_ELEMENT_MISSING][..])]
    #[case::no_code("<userInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error severity=\"failure\"/></userInfo>", &[rules::SCHEMA_ATTRIBUTE_MISSING][..])]
    #[case::order("<userInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"OK\"/><replyPhone>1</replyPhone></userInfo>", &[rules::SCHEMA_ELEMENT_ORDER][..])]
    #[case::no_namespace("<userInfo><error code=\"ok\"/></userInfo>", &[rules::SCHEMA_ROOT_NAMESPACE][..])]
    fn user_info_findings(#[case] xml: &str, #[case] expected: &[&str]) {
        let parsed = UserInfo::parse(xml).unwrap();
        let got: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn missing_error_reads_as_none_with_r128() {
        let parsed = UserInfo::parse(
            "<userInfo xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>",
        )
        .unwrap();
        assert_eq!(parsed.value.error, None);
        assert_eq!(parsed.findings[0].requirement, Some("OMS-R128"));
    }
}
