//! The documents the reference client writes: xmsData for DeliverXms and xmsBatch for
//! DeliverXmsBatch (MS-OMS 2.2.4, 3.1.4.3, 3.1.4.4), with the document-level faults applied.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use wire::oms::smil::{cid, FIT_SLICE, REGION_IMAGE, REGION_TEXT};
use wire::oms::xms_data::{FORMAT_MMS, FORMAT_SMS, MMS_SENDER, SMS_SENDER, TEXT_PLAIN};
use wire::oms::{
    Content, Img, Layout, Meta, MmsSlides, Par, Region, RootLayout, SmilHead, Text, User, XmsBatch,
    XmsBody, XmsData, XmsDataInBatch, XmsHead,
};

use super::faults::{ClientFault, Faults};
use super::plan::Part;
use super::settings::ClientSettings;

/// The client attribute (MS-OMS 2.2.6.1): free text naming the client.
pub const CLIENT_NAME: &str = "oxconf reference client";
/// Root-layout colour: "#RRGGBB" (OMS-R076, E-OMS-10).
pub const BACKGROUND: &str = "#ffffff";
/// The 8-digit colour of the MS-OMS 4.3 example, for the `smil-bad-colour` fault.
const BAD_BACKGROUND: &str = "#ffffffff";
const IMAGE_GIF: &str = "image/gif";
const TEXT_HTML: &str = "text/html";
/// Display time of the single slide, in milliseconds.
const SLIDE_DURATION: &str = "5000";

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// A token that makes content ids unique across messages ("<n>.txt@<token>"), shaped like the
/// ids of the MS-OMS 4.3 example. Uniqueness, not unpredictability, is what matters here.
fn token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    format!(
        "{:016X}.{:08X}{:08X}",
        nanos as u64,
        std::process::id(),
        n as u32
    )
}

/// Writes the documents of one logical message (one token for all its requests).
pub(crate) struct Composer<'a> {
    settings: &'a ClientSettings,
    token: String,
}

impl<'a> Composer<'a> {
    pub(super) fn new(settings: &'a ClientSettings) -> Composer<'a> {
        Composer {
            settings,
            token: token(),
        }
    }

    fn faults(&self) -> &Faults {
        &self.settings.faults
    }

    fn content_id(&self, n: usize, extension: &str) -> String {
        format!("{n}.{extension}@{}", self.token)
    }

    /// The credentials (authenticationType "other": user name and password).
    fn user(&self) -> Option<User> {
        if self.faults().on(ClientFault::NoUserElement) {
            return None;
        }
        Some(User {
            user_id: Some(self.settings.user.clone()),
            password: Some(self.settings.password.clone()),
            reply_phone: None,
            custom_data: None,
        })
    }

    pub(super) fn sms_head(recipients: &[String]) -> XmsHead {
        head(SMS_SENDER, recipients)
    }

    pub(super) fn mms_head(recipients: &[String]) -> XmsHead {
        head(MMS_SENDER, recipients)
    }

    /// One text/plain content per part (OMS-R028).
    pub(super) fn sms_body(&self, parts: &[Part]) -> XmsBody {
        let content_type = if self.faults().on(ClientFault::SmsContentTypeHtml) {
            TEXT_HTML
        } else {
            TEXT_PLAIN
        };
        XmsBody {
            format: FORMAT_SMS.to_owned(),
            slides: None,
            contents: parts
                .iter()
                .map(|p| Content {
                    content_type: content_type.to_owned(),
                    content_id: self.content_id(p.number, "txt"),
                    content_location: format!("{}.txt", p.number),
                    text: p.text.clone(),
                })
                .collect(),
        }
    }

    /// One slide showing the image above the text, laid out as in the corrected MS-OMS 4.3
    /// example (E-OMS-13), each media object referenced as "cid:" + contentId.
    pub(super) fn mms_body(&self, text: &str, gif: &[u8]) -> XmsBody {
        let text_id = self.content_id(1, "txt");
        let image_id = self.content_id(2, "gif");
        let background = if self.faults().on(ClientFault::SmilBadColour) {
            BAD_BACKGROUND
        } else {
            BACKGROUND
        };
        let region = |id: &str, top: &str, height: &str| Region {
            id: id.to_owned(),
            left: "0".to_owned(),
            top: top.to_owned(),
            width: "120".to_owned(),
            height: height.to_owned(),
            fit: Some(FIT_SLICE.to_owned()),
        };
        let slides = MmsSlides {
            head: Some(SmilHead {
                meta: Some(Meta {
                    name: "author".to_owned(),
                    content: CLIENT_NAME.to_owned(),
                }),
                layout: Layout {
                    root: RootLayout {
                        width: 120,
                        height: 120,
                        background_color: background.to_owned(),
                    },
                    regions: vec![
                        region(REGION_IMAGE, "0", "90"),
                        region(REGION_TEXT, "90", "30"),
                    ],
                },
            }),
            body: vec![Par {
                dur: SLIDE_DURATION.to_owned(),
                img: Some(Img {
                    src: cid(&image_id),
                    region: REGION_IMAGE.to_owned(),
                }),
                text: Some(Text {
                    src: cid(&text_id),
                    region: REGION_TEXT.to_owned(),
                    foreground_color: None,
                }),
                audio: None,
            }],
        };
        XmsBody {
            format: FORMAT_MMS.to_owned(),
            slides: Some(slides),
            contents: vec![
                Content {
                    content_type: TEXT_PLAIN.to_owned(),
                    content_id: text_id,
                    content_location: "1.txt".to_owned(),
                    text: text.to_owned(),
                },
                Content {
                    content_type: IMAGE_GIF.to_owned(),
                    content_id: image_id,
                    content_location: "2.gif".to_owned(),
                    text: base64::engine::general_purpose::STANDARD.encode(gif),
                },
            ],
        }
    }

    /// The xmsData document of a DeliverXms request.
    pub(super) fn xms_data(&self, head: XmsHead, body: XmsBody) -> String {
        let doc = XmsData {
            client: Some(CLIENT_NAME.to_owned()),
            user: self.user(),
            head: Some(head),
            body,
        }
        .to_xml();
        self.reorder(doc)
    }

    /// The xmsBatch document of a DeliverXmsBatch request; `items` carry the ids to write.
    pub(super) fn batch(&self, items: Vec<(u32, XmsHead, XmsBody)>) -> String {
        let faults = self.faults();
        let user = self.user().map(|mut u| {
            if faults.on(ClientFault::BatchPasswordInReplyPhone) {
                u.reply_phone = u.password.take();
            }
            u
        });
        let doc = XmsBatch {
            client: Some(CLIENT_NAME.to_owned()),
            items: items
                .into_iter()
                .map(|(id, head, mut body)| {
                    if faults.on(ClientFault::BatchFormatLowercase) {
                        body.format = FORMAT_SMS.to_ascii_lowercase();
                    }
                    if faults.on(ClientFault::BatchContentTypePlainText) {
                        for c in &mut body.contents {
                            c.content_type = "plain/text".to_owned();
                        }
                    }
                    XmsDataInBatch {
                        id,
                        user: user.clone(),
                        head: Some(head),
                        body,
                    }
                })
                .collect(),
        }
        .to_xml();
        self.reorder(doc)
    }

    fn reorder(&self, doc: String) -> String {
        if self.faults().on(ClientFault::HeadAfterBody) {
            heads_after_bodies(&doc)
        } else {
            doc
        }
    }
}

fn head(service: &str, recipients: &[String]) -> XmsHead {
    XmsHead {
        scheduled: None,
        required_service: Some(service.to_owned()),
        source_type: None,
        to: recipients.to_vec(),
        subject: None,
    }
}

/// Moves every `<xmsHead>..</xmsHead>` behind the `</xmsBody>` that follows it. Works on the
/// writer's own output, where text is escaped, so the tags cannot occur inside content.
fn heads_after_bodies(xml: &str) -> String {
    const HEAD_OPEN: &str = "<xmsHead>";
    const HEAD_CLOSE: &str = "</xmsHead>";
    const BODY_CLOSE: &str = "</xmsBody>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(HEAD_OPEN) {
        let Some(head_end) = rest[start..]
            .find(HEAD_CLOSE)
            .map(|i| start + i + HEAD_CLOSE.len())
        else {
            break;
        };
        let Some(body_end) = rest[head_end..]
            .find(BODY_CLOSE)
            .map(|i| head_end + i + BODY_CLOSE.len())
        else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&rest[head_end..body_end]);
        out.push_str(&rest[start..head_end]);
        rest = &rest[body_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::oms::{rules, XmsBatch, XmsData};

    fn settings(faults: &[ClientFault]) -> ClientSettings {
        let mut s = ClientSettings::new("alice", "secret");
        s.faults = faults.iter().copied().collect();
        s
    }

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn parts(texts: &[&str]) -> Vec<Part> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Part {
                number: i + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn sms_document_is_clean_and_complete() {
        let s = settings(&[]);
        let c = Composer::new(&s);
        let doc = c.xms_data(
            Composer::sms_head(&rs(&["1", "2"])),
            c.sms_body(&parts(&["a<b", "c"])),
        );
        let parsed = XmsData::parse(&doc).unwrap();
        assert_eq!(parsed.findings, vec![]);
        let v = parsed.value;
        let user = v.user.unwrap();
        assert_eq!(user.user_id.as_deref(), Some("alice"));
        assert_eq!(user.password.as_deref(), Some("secret"));
        let head = v.head.unwrap();
        assert_eq!(head.required_service.as_deref(), Some("SMS_SENDER"));
        assert_eq!(head.to, rs(&["1", "2"]));
        assert_eq!(v.body.format, "SMS");
        assert_eq!(v.body.contents.len(), 2);
        assert_eq!(v.body.contents[0].text, "a<b");
        assert_eq!(v.body.contents[0].content_type, "text/plain");
        assert_eq!(v.body.contents[1].content_location, "2.txt");
        assert!(v.body.contents[1].content_id.starts_with("2.txt@"));
    }

    #[test]
    fn mms_document_is_clean_and_references_resolve() {
        let s = settings(&[]);
        let c = Composer::new(&s);
        let doc = c.xms_data(
            Composer::mms_head(&rs(&["1"])),
            c.mms_body("hello", b"GIF89a"),
        );
        let parsed = XmsData::parse(&doc).unwrap();
        assert_eq!(parsed.findings, vec![]);
        let body = parsed.value.body;
        assert_eq!(body.format, "MMS");
        let slides = body.slides.unwrap();
        let head = slides.head.unwrap();
        assert_eq!(head.layout.root.background_color, "#ffffff");
        assert_eq!(head.layout.regions.len(), 2);
        assert_eq!(slides.body[0].img.as_ref().unwrap().region, "Image");
        assert_eq!(body.contents[1].content_type, "image/gif");
        assert_eq!(body.contents[1].text, "R0lGODlh");
    }

    #[test]
    fn content_ids_differ_between_messages() {
        let s = settings(&[]);
        let a = Composer::new(&s).content_id(1, "txt");
        let b = Composer::new(&s).content_id(1, "txt");
        assert_ne!(a, b);
    }

    #[test]
    fn head_after_body_moves_every_head() {
        let s = settings(&[ClientFault::HeadAfterBody]);
        let c = Composer::new(&s);
        let item = |id| {
            (
                id,
                Composer::sms_head(&rs(&["1"])),
                c.sms_body(&parts(&["x"])),
            )
        };
        let doc = c.batch(vec![item(1), item(2)]);
        let parsed = XmsBatch::parse(&doc).unwrap();
        let order = parsed
            .findings
            .iter()
            .filter(|f| f.rule == rules::SCHEMA_ELEMENT_ORDER)
            .count();
        assert_eq!(order, 2, "{:?}", parsed.findings);
        assert!(doc.find("</xmsBody><xmsHead>").is_some());
    }

    #[test]
    fn document_faults_show_in_findings() {
        let s = settings(&[ClientFault::SmsContentTypeHtml, ClientFault::NoUserElement]);
        let c = Composer::new(&s);
        let doc = c.xms_data(Composer::sms_head(&rs(&["1"])), c.sms_body(&parts(&["x"])));
        let parsed = XmsData::parse(&doc).unwrap();
        let got: Vec<&str> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(got, vec![rules::XMS_BODY_SMS_CONTENT_TYPE]);
        assert_eq!(parsed.value.user, None);
    }

    #[test]
    fn bad_colour() {
        let s = settings(&[ClientFault::SmilBadColour]);
        let c = Composer::new(&s);
        let doc = c.xms_data(Composer::mms_head(&rs(&["1"])), c.mms_body("x", b"G"));
        let parsed = XmsData::parse(&doc).unwrap();
        assert!(parsed
            .findings
            .iter()
            .any(|f| f.rule == rules::SMIL_COLOR_FORMAT));
    }
}
