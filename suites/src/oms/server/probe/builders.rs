//! Message builders: the profile's account and recipients, text and multimedia messages,
//! media objects and SMIL presentations, each content identified by a fresh nonce.

use super::Oms;
use crate::common::recipients;
use crate::oms::profile_keys::Account;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use std::sync::atomic::Ordering;
use wire::oms::smil::{cid, FIT_SLICE, REGION_IMAGE, REGION_TEXT};
use wire::oms::{
    Audio, Content, Img, Layout, Meta, MmsSlides, Par, Region, RootLayout, ServiceInfo, SmilHead,
    Text, User, XmsBatch, XmsBody, XmsData, XmsDataInBatch, XmsHead, XmsUser,
};

impl Oms {
    /// The profile's main account as a tUser.
    pub fn user(&self) -> User {
        self.uses_account.store(true, Ordering::Relaxed);
        User {
            user_id: Some(self.env.account.user.clone()),
            password: Some(self.env.account.password.clone()),
            reply_phone: None,
            custom_data: None,
        }
    }

    pub fn user_as(&self, account: &Account) -> User {
        User {
            user_id: Some(account.user.clone()),
            password: Some(account.password.clone()),
            reply_phone: None,
            custom_data: None,
        }
    }

    pub fn xms_user(&self) -> XmsUser {
        self.uses_account.store(true, Ordering::Relaxed);
        XmsUser {
            client: Some("oxconf".into()),
            user_id: Some(self.env.account.user.clone()),
            password: Some(self.env.account.password.clone()),
            custom_data: None,
        }
    }

    /// The profile's first `n` recipients, cycling when the profile lists fewer.
    pub fn recipients(&self, n: usize) -> Vec<String> {
        recipients::cycling(&self.env.recipients, n)
    }

    pub fn text_content(&self, index: usize, text: &str) -> Content {
        Content {
            content_type: "text/plain".into(),
            content_id: format!("{index}.txt@{}", self.nonce()),
            content_location: format!("{index}.txt"),
            text: text.to_string(),
        }
    }

    /// A text message from the main account.
    pub fn sms(&self, to: &[String], text: &str) -> XmsData {
        self.sms_parts(to, &[text])
    }

    /// A text message with one content element per part (MS-OMS 2.2.4.16).
    pub fn sms_parts(&self, to: &[String], parts: &[&str]) -> XmsData {
        XmsData {
            client: Some("oxconf".into()),
            user: Some(self.user()),
            head: Some(XmsHead {
                required_service: Some("SMS_SENDER".into()),
                to: to.to_vec(),
                ..XmsHead::default()
            }),
            body: XmsBody {
                format: "SMS".into(),
                slides: None,
                contents: parts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.text_content(i, t))
                    .collect(),
            },
        }
    }

    /// A batch of text messages, one per (id, recipients, text).
    pub fn sms_batch(&self, items: &[(u32, Vec<String>, String)]) -> XmsBatch {
        XmsBatch {
            client: Some("oxconf".into()),
            items: items
                .iter()
                .map(|(id, to, text)| {
                    let d = self.sms(to, text);
                    XmsDataInBatch {
                        id: *id,
                        user: d.user,
                        head: d.head,
                        body: d.body,
                    }
                })
                .collect(),
        }
    }

    /// A text message from `account` (SMS_SENDER when advertised, else a one-page MMS), for
    /// scenarios about who sends rather than what.
    pub fn text_message_as(
        &self,
        info: &ServiceInfo,
        account: &Account,
        to: &[String],
        text: &str,
    ) -> XmsData {
        let mut data = self.text_message(info, to, text);
        data.user = Some(self.user_as(account));
        data
    }

    /// A text message from the main account: SMS when SMS_SENDER is advertised, else a
    /// one-page MMS carrying the text.
    pub fn text_message(&self, info: &ServiceInfo, to: &[String], text: &str) -> XmsData {
        if info.supported_service.sms.is_some() || info.supported_service.mms.is_none() {
            self.sms(to, text)
        } else {
            self.mms(to, None, vec![self.text_content(0, text)])
        }
    }

    /// A multimedia message from the main account: slide mode when `slides` is given, else
    /// non-slide mode (each content a page, MS-OMS 2.2.4.16).
    pub fn mms(&self, to: &[String], slides: Option<MmsSlides>, contents: Vec<Content>) -> XmsData {
        XmsData {
            client: Some("oxconf".into()),
            user: Some(self.user()),
            head: Some(XmsHead {
                required_service: Some("MMS_SENDER".into()),
                to: to.to_vec(),
                subject: Some(format!("oxconf {}", self.nonce())),
                ..XmsHead::default()
            }),
            body: XmsBody {
                format: "MMS".into(),
                slides,
                contents,
            },
        }
    }

    /// A media object: `bytes` base64-encoded, named "<index>.<extension>".
    pub fn media(
        &self,
        index: usize,
        content_type: &str,
        extension: &str,
        bytes: &[u8],
    ) -> Content {
        Content {
            content_type: content_type.to_string(),
            content_id: format!("{index}.{extension}@{}", self.nonce()),
            content_location: format!("{index}.{extension}"),
            text: BASE64.encode(bytes),
        }
    }

    /// A SMIL presentation with one slide per entry of `slides`, each showing the contents at
    /// those indexes (images in the Image region, text in the Text region, audio played),
    /// referenced as "cid:" + contentId and laid out as the corrected 4.3 example (E-OMS-13).
    pub fn smil(&self, contents: &[Content], slides: &[Vec<usize>]) -> MmsSlides {
        let region = |id: &str, top: &str, height: &str| Region {
            id: id.to_string(),
            left: "0".into(),
            top: top.into(),
            width: "120".into(),
            height: height.into(),
            fit: Some(FIT_SLICE.into()),
        };
        let body = slides
            .iter()
            .map(|indexes| {
                let mut par = Par {
                    dur: "3000".into(),
                    ..Par::default()
                };
                for c in indexes.iter().filter_map(|i| contents.get(*i)) {
                    let src = cid(&c.content_id);
                    let kind = c.content_type.to_ascii_lowercase();
                    if kind.starts_with("image/") {
                        par.img = Some(Img {
                            src,
                            region: REGION_IMAGE.into(),
                        });
                    } else if kind.starts_with("audio/") {
                        par.audio = Some(Audio { src });
                    } else {
                        par.text = Some(Text {
                            src,
                            region: REGION_TEXT.into(),
                            foreground_color: None,
                        });
                    }
                }
                par
            })
            .collect();
        MmsSlides {
            head: Some(SmilHead {
                meta: Some(Meta {
                    name: "author".into(),
                    content: "oxconf".into(),
                }),
                layout: Layout {
                    root: RootLayout {
                        width: 120,
                        height: 120,
                        background_color: "#ffffff".into(),
                    },
                    regions: vec![
                        region(REGION_IMAGE, "0", "90"),
                        region(REGION_TEXT, "90", "30"),
                    ],
                },
            }),
            body,
        }
    }
}
