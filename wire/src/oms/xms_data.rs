//! xmsData, the DeliverXms/SendXms request document (MS-OMS 2.2.4.14-2.2.4.18,
//! 3.1.4.3.2.3). The message parts (user, xmsHead, xmsBody) are shared with batch items.

use serde::{Deserialize, Serialize};

use super::ns::OMS_NS;
use super::rules;
use super::schedule::parse_oms_utc;
use super::schema::{attr_path, child_path, Checker, Slot};
use super::smil::MmsSlides;
use crate::finding::{Finding, LayerError, Parsed};
use crate::media_type::essence;
use crate::xml::XmlWriter;

/// xmsBody/@format values (OMS-R083).
pub const FORMAT_SMS: &str = "SMS";
pub const FORMAT_MMS: &str = "MMS";
/// tRequiredServiceTypeEnum values, case-sensitive (OMS-R095).
pub const SMS_SENDER: &str = "SMS_SENDER";
pub const MMS_SENDER: &str = "MMS_SENDER";
/// The only content type of text messages (OMS-R028).
pub const TEXT_PLAIN: &str = "text/plain";

/// tUser (OMS-R079).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub user_id: Option<String>,
    pub password: Option<String>,
    pub reply_phone: Option<String>,
    /// Ignored by servers (OMS-R081).
    pub custom_data: Option<String>,
}

/// tXmsHeader (OMS-R087).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsHead {
    /// `YYYY-MM-DDThh:mm:00Z` (OMS-R088).
    pub scheduled: Option<String>,
    /// SMS_SENDER or MMS_SENDER; kept as written so a wrong spelling can be reported.
    pub required_service: Option<String>,
    pub source_type: Option<String>,
    /// Recipients' mobile numbers, at least one (OMS-R078).
    pub to: Vec<String>,
    pub subject: Option<String>,
}

/// tContent: one text part or media object, base64 for media (OMS-R027).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    pub content_type: String,
    pub content_id: String,
    pub content_location: String,
    pub text: String,
}

/// tXmsBody (OMS-R082).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsBody {
    /// "SMS" or "MMS".
    pub format: String,
    pub slides: Option<MmsSlides>,
    pub contents: Vec<Content>,
}

/// tXmsData (OMS-R086).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsData {
    pub client: Option<String>,
    pub user: Option<User>,
    pub head: Option<XmsHead>,
    pub body: XmsBody,
}

impl XmsBody {
    /// Checks that need the whole body rather than one element: text messages carry only
    /// text/plain (OMS-R028), SMIL references resolve. `path` is the xmsBody element's path.
    pub fn semantic_findings(&self, path: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        if self.format == FORMAT_SMS {
            for (i, content) in self.contents.iter().enumerate() {
                if !is_text_plain(&content.content_type) {
                    out.push(
                        Finding::violation(
                            rules::XMS_BODY_SMS_CONTENT_TYPE,
                            attr_path(&child_path(path, "content", Some(i)), "contentType"),
                            format!(
                                "a text message carries content of type {:?}; only text/plain is allowed",
                                content.content_type
                            ),
                        )
                        .requirement("OMS-R028"),
                    );
                }
            }
        }
        if let Some(slides) = &self.slides {
            out.extend(slides.reference_findings(&self.contents, &format!("{path}/mmsSlides")));
        }
        out
    }
}

/// Media type essence "text/plain", parameters and letter case aside.
fn is_text_plain(content_type: &str) -> bool {
    essence(content_type) == TEXT_PLAIN
}

impl XmsData {
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        let mut attrs = vec![("xmlns", OMS_NS)];
        if let Some(client) = &self.client {
            attrs.push(("client", client.as_str()));
        }
        w.start("xmsData", &attrs);
        write_message(&mut w, self.user.as_ref(), self.head.as_ref(), &self.body);
        w.end("xmsData");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "xmsData")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &["client"], &[], "OMS-R086");
        let (user, head, body) = read_message(&mut c, root, &path, "OMS-R086");
        let value = XmsData {
            client: root.attribute("client").map(str::to_owned),
            user,
            head,
            body,
        };
        c.extend(value.validate_references());
        Ok(Parsed {
            value,
            findings: c.finish(),
        })
    }

    /// Body-level checks on the model (SMS content types, SMIL references), also usable on
    /// documents a suite builds itself. `parse` already includes them.
    pub fn validate_references(&self) -> Vec<Finding> {
        self.body.semantic_findings("/xmsData/xmsBody")
    }

    /// The recipients of xmsHead/to (empty without a head).
    pub fn recipients(&self) -> &[String] {
        self.head.as_ref().map_or(&[], |h| h.to.as_slice())
    }
}

pub(crate) fn write_message(
    w: &mut XmlWriter,
    user: Option<&User>,
    head: Option<&XmsHead>,
    body: &XmsBody,
) {
    if let Some(user) = user {
        w.start("user", &[]);
        w.opt_text_element("userId", user.user_id.as_deref());
        w.opt_text_element("password", user.password.as_deref());
        w.opt_text_element("replyPhone", user.reply_phone.as_deref());
        w.opt_text_element("customData", user.custom_data.as_deref());
        w.end("user");
    }
    if let Some(head) = head {
        w.start("xmsHead", &[]);
        w.opt_text_element("scheduled", head.scheduled.as_deref());
        w.opt_text_element("requiredService", head.required_service.as_deref());
        w.opt_text_element("sourceType", head.source_type.as_deref());
        w.start("to", &[]);
        for r in &head.to {
            w.text_element("recipient", &[], r);
        }
        w.end("to");
        w.opt_text_element("subject", head.subject.as_deref());
        w.end("xmsHead");
    }
    w.start("xmsBody", &[("format", &body.format)]);
    if let Some(slides) = &body.slides {
        slides.write(w);
    }
    for content in &body.contents {
        w.text_element(
            "content",
            &[
                ("contentType", &content.content_type),
                ("contentId", &content.content_id),
                ("contentLocation", &content.content_location),
            ],
            &content.text,
        );
    }
    w.end("xmsBody");
}

/// Reads user?, xmsHead?, xmsBody of xmsData or a batch item.
pub(crate) fn read_message(
    c: &mut Checker,
    node: roxmltree::Node<'_, '_>,
    path: &str,
    requirement: &'static str,
) -> (Option<User>, Option<XmsHead>, XmsBody) {
    let kids = c.sequence(
        node,
        path,
        &[
            Slot::opt("user"),
            Slot::opt("xmsHead"),
            Slot::one("xmsBody"),
        ],
        requirement,
    );
    let user = kids
        .first("user")
        .map(|n| read_user(c, n, &format!("{path}/user")));
    let head = kids
        .first("xmsHead")
        .map(|n| read_head(c, n, &format!("{path}/xmsHead")));
    let body = kids
        .first("xmsBody")
        .map(|n| read_body(c, n, &format!("{path}/xmsBody")))
        .unwrap_or_default();
    (user, head, body)
}

fn read_user(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> User {
    c.attributes(node, path, &[], &[], "OMS-R079");
    let kids = c.sequence(
        node,
        path,
        &[
            Slot::opt("userId"),
            Slot::opt("password"),
            Slot::opt("replyPhone"),
            Slot::opt("customData"),
        ],
        "OMS-R079",
    );
    let mut read =
        |name: &str| c.opt_simple(kids.first(name), &format!("{path}/{name}"), "OMS-R079");
    User {
        user_id: read("userId"),
        password: read("password"),
        reply_phone: read("replyPhone"),
        custom_data: read("customData"),
    }
}

fn read_head(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> XmsHead {
    c.attributes(node, path, &[], &[], "OMS-R087");
    let kids = c.sequence(
        node,
        path,
        &[
            Slot::opt("scheduled"),
            Slot::opt("requiredService"),
            Slot::opt("sourceType"),
            Slot::one("to"),
            Slot::opt("subject"),
        ],
        "OMS-R087",
    );
    let scheduled = c.opt_simple(
        kids.first("scheduled"),
        &format!("{path}/scheduled"),
        "OMS-R088",
    );
    if let Some(s) = &scheduled {
        check_scheduled(c, s, &format!("{path}/scheduled"));
    }
    let required_service = c.opt_simple(
        kids.first("requiredService"),
        &format!("{path}/requiredService"),
        "OMS-R090",
    );
    if let Some(s) = &required_service {
        if s != SMS_SENDER && s != MMS_SENDER {
            let hint = if s.contains(' ') {
                " (spaces instead of underscore, as in the 4.4 example, E-OMS-02)"
            } else {
                ""
            };
            c.push(
                Finding::violation(
                    rules::XMS_HEAD_REQUIRED_SERVICE,
                    format!("{path}/requiredService"),
                    format!("requiredService {s:?} is neither SMS_SENDER nor MMS_SENDER{hint}"),
                )
                .requirement("OMS-R090"),
            );
        }
    }
    let source_type = c.opt_simple(
        kids.first("sourceType"),
        &format!("{path}/sourceType"),
        "OMS-R087",
    );
    let to = match kids.first("to") {
        None => Vec::new(),
        Some(n) => {
            let p = format!("{path}/to");
            c.attributes(n, &p, &[], &[], "OMS-R078");
            let recipients = c.sequence(
                n,
                &p,
                &[Slot::many("recipient").missing_as(rules::XMS_HEAD_NO_RECIPIENT, "OMS-R078")],
                "OMS-R078",
            );
            recipients
                .all("recipient")
                .iter()
                .enumerate()
                .map(|(i, r)| c.simple(*r, &child_path(&p, "recipient", Some(i)), "OMS-R078"))
                .collect()
        }
    };
    let subject = c.opt_simple(
        kids.first("subject"),
        &format!("{path}/subject"),
        "OMS-R087",
    );
    XmsHead {
        scheduled,
        required_service,
        source_type,
        to,
        subject,
    }
}

fn check_scheduled(c: &mut Checker, value: &str, path: &str) {
    match parse_oms_utc(value) {
        None => c.push(
            Finding::violation(
                rules::XMS_HEAD_SCHEDULED_FORMAT,
                path,
                format!("scheduled {value:?} is not a UTC time YYYY-MM-DDThh:mm:ssZ"),
            )
            .requirement("OMS-R088"),
        ),
        Some((_, second)) if second != 0 => c.push(
            Finding::violation(
                rules::XMS_HEAD_SCHEDULED_SECONDS,
                path,
                format!("scheduled {value:?} has seconds {second:02}; they must be 00"),
            )
            .requirement("OMS-R088"),
        ),
        Some(_) => {}
    }
}

fn read_body(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> XmsBody {
    c.attributes(node, path, &["format"], &["format"], "OMS-R082");
    let format = node.attribute("format").unwrap_or_default().to_owned();
    if node.attribute("format").is_some() && format != FORMAT_SMS && format != FORMAT_MMS {
        c.push(
            Finding::violation(
                rules::XMS_BODY_FORMAT,
                attr_path(path, "format"),
                format!("format {format:?} is neither \"SMS\" nor \"MMS\""),
            )
            .requirement("OMS-R083"),
        );
    }
    let kids = c.sequence(
        node,
        path,
        &[
            Slot::opt("mmsSlides"),
            Slot::many("content").missing_as(rules::XMS_BODY_NO_CONTENT, "OMS-R082"),
        ],
        "OMS-R082",
    );
    let slides = kids
        .first("mmsSlides")
        .map(|n| MmsSlides::read(c, n, &format!("{path}/mmsSlides")));
    let contents = kids
        .all("content")
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let p = child_path(path, "content", Some(i));
            const ATTRS: &[&str] = &["contentType", "contentId", "contentLocation"];
            c.attributes(*n, &p, ATTRS, ATTRS, "OMS-R027");
            let text = c.text(*n, &p, "OMS-R027");
            let get = |name: &str| n.attribute(name).unwrap_or_default().to_owned();
            Content {
                content_type: get("contentType"),
                content_id: get("contentId"),
                content_location: get("contentLocation"),
                text,
            }
        })
        .collect();
    XmsBody {
        format,
        slides,
        contents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn sms() -> XmsData {
        XmsData {
            client: Some("Microsoft Office Outlook 12.0".into()),
            user: Some(User {
                user_id: Some("myname".into()),
                password: Some("mypwd".into()),
                reply_phone: Some("13801391350".into()),
                custom_data: Some(String::new()),
            }),
            head: Some(XmsHead {
                scheduled: Some("2005-04-20T14:20:00Z".into()),
                required_service: Some(SMS_SENDER.into()),
                source_type: None,
                to: vec!["135xxxx".into(), "139xxxx".into()],
                subject: None,
            }),
            body: XmsBody {
                format: FORMAT_SMS.into(),
                slides: None,
                contents: vec![Content {
                    content_type: TEXT_PLAIN.into(),
                    content_id: "Att0.txt@AB".into(),
                    content_location: "1.txt".into(),
                    text: "(1/2) <hello> & \u{4f60}\u{597d}".into(),
                }],
            },
        }
    }

    fn rules_after(edit: impl Fn(String) -> String) -> Vec<&'static str> {
        let xml = edit(sms().to_xml());
        let parsed = XmsData::parse(&xml).unwrap();
        parsed.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn round_trips_clean() {
        let d = sms();
        assert_eq!(XmsData::parse(&d.to_xml()).unwrap(), Parsed::clean(d));
    }

    #[rstest]
    #[case::sms_sender_with_space(|x: String| x.replace(">SMS_SENDER<", ">SMS SENDER<"), &[rules::XMS_HEAD_REQUIRED_SERVICE][..])]
    #[case::lower_case_service(|x: String| x.replace(">SMS_SENDER<", ">sms_sender<"), &[rules::XMS_HEAD_REQUIRED_SERVICE][..])]
    #[case::seconds(|x: String| x.replace("14:20:00Z", "14:20:30Z"), &[rules::XMS_HEAD_SCHEDULED_SECONDS][..])]
    #[case::not_utc(|x: String| x.replace("14:20:00Z", "14:20:00+08:00"), &[rules::XMS_HEAD_SCHEDULED_FORMAT][..])]
    #[case::no_recipient(|x: String| x.replace("<recipient>135xxxx</recipient><recipient>139xxxx</recipient>", ""), &[rules::XMS_HEAD_NO_RECIPIENT][..])]
    #[case::no_to(|x: String| x.replace("<to><recipient>135xxxx</recipient><recipient>139xxxx</recipient></to>", ""), &[rules::SCHEMA_ELEMENT_MISSING][..])]
    #[case::format(|x: String| x.replace("format=\"SMS\"", "format=\"sms\""), &[rules::XMS_BODY_FORMAT][..])]
    #[case::no_format(|x: String| x.replace(" format=\"SMS\"", ""), &[rules::SCHEMA_ATTRIBUTE_MISSING][..])]
    #[case::image_in_sms(|x: String| x.replace("contentType=\"text/plain\"", "contentType=\"image/gif\""), &[rules::XMS_BODY_SMS_CONTENT_TYPE][..])]
    #[case::no_content_id(|x: String| x.replace(" contentId=\"Att0.txt@AB\"", ""), &[rules::SCHEMA_ATTRIBUTE_MISSING][..])]
    #[case::head_after_body(|x: String| {
        let head_start = x.find("<xmsHead>").unwrap();
        let head_end = x.find("</xmsHead>").unwrap() + "</xmsHead>".len();
        let head = x[head_start..head_end].to_string();
        x.replace(&head, "").replace("</xmsData>", &format!("{head}</xmsData>"))
    }, &[rules::SCHEMA_ELEMENT_ORDER][..])]
    #[case::unqualified_child(|x: String| x.replace("<user>", "<user xmlns=\"\">"), &[rules::SCHEMA_ELEMENT_NAMESPACE][..])]
    #[case::no_body(|x: String| {
        let start = x.find("<xmsBody").unwrap();
        let end = x.find("</xmsBody>").unwrap() + "</xmsBody>".len();
        format!("{}{}", &x[..start], &x[end..])
    }, &[rules::SCHEMA_ELEMENT_MISSING][..])]
    fn findings(#[case] edit: fn(String) -> String, #[case] expected: &[&str]) {
        assert_eq!(rules_after(edit), expected);
    }

    #[test]
    fn content_type_parameters_are_still_text_plain() {
        assert!(is_text_plain("Text/Plain; charset=utf-8"));
        assert!(!is_text_plain("text/html"));
    }

    #[test]
    fn recipients_helper() {
        assert_eq!(sms().recipients(), ["135xxxx", "139xxxx"]);
        assert!(XmsData::default().recipients().is_empty());
    }
}
