//! Round trips: every model written by `to_xml` reads back equal and without any finding, and
//! every operation's request/response survives the SOAP wrapping in both SOAP versions, with
//! payloads full of markup characters, `]]>`, quotes, line breaks and CJK text.

use oxconf_wire::oms::smil::{cid, REGION_IMAGE, REGION_TEXT};
use oxconf_wire::oms::{
    self, Audio, AuthenticationType, Content, DeliveryError, Img, Layout, Meta, MmsSender,
    MmsSlides, Operation, Par, Region, ResponseBody, RootLayout, ServiceInfo, SmilHead, SmsLimits,
    SmsSender, SupportedService, Text, User, UserError, UserInfo, XmsBatch, XmsBody, XmsData,
    XmsDataInBatch, XmsHead, XmsResponse, XmsResponseWithId, XmsResponses, XmsUser,
};
use oxconf_wire::soap::SoapVersion;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Text any XML 1.0 document can carry, biased towards what breaks naive escaping.
fn xml_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => any::<char>()
            .prop_filter("XML character", |c| matches!(*c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..))
            .prop_map(String::from),
        1 => Just("]]>".to_owned()),
        1 => Just("&amp;".to_owned()),
        1 => Just("<&>".to_owned()),
        1 => Just("\"'".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => Just("\t".to_owned()),
        1 => Just(" ".to_owned()),
        1 => Just("\u{4e2d}\u{6587}".to_owned()),
        1 => Just("abc".to_owned()),
    ];
    vec(token, 0..8).prop_map(|t| t.concat())
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._@-]{1,12}"
}

fn sms_limits() -> impl Strategy<Value = SmsLimits> {
    (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(a, b, c, d)| SmsLimits {
        max_recipients_per_message: a,
        max_messages_per_send: b,
        max_sbcs_per_message: c,
        max_dbcs_per_message: d,
    })
}

fn supported_service() -> impl Strategy<Value = SupportedService> {
    let sms = (sms_limits(), option::of(sms_limits()))
        .prop_map(|(limits, long)| SmsSender { limits, long });
    let mms = (any::<bool>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(s, r, z, l)| {
        MmsSender {
            support_slide: s,
            max_recipients_per_message: r,
            max_size_per_message: z,
            max_slides_per_message: l,
        }
    });
    (option::of(sms), option::of(mms))
        .prop_filter("at least one service", |(s, m)| s.is_some() || m.is_some())
        .prop_map(|(sms, mms)| SupportedService { sms, mms })
}

fn service_info() -> impl Strategy<Value = ServiceInfo> {
    (
        (xml_text(), xml_text(), xml_text(), option::of(any::<u16>())),
        (xml_text(), xml_text(), 0..3usize, option::of(any::<u32>())),
        supported_service(),
    )
        .prop_map(
            |((provider, uri, page, locale), (local, english, auth, batch), supported)| {
                ServiceInfo {
                    service_provider: provider,
                    service_uri: format!("https://{uri}"),
                    sign_up_page: format!("https://{page}"),
                    target_locale: locale,
                    local_name: local,
                    english_name: english,
                    authentication_type: [
                        AuthenticationType::Passport,
                        AuthenticationType::FullTrust,
                        AuthenticationType::Other,
                    ][auth],
                    batch_size: batch,
                    supported_service: supported,
                }
            },
        )
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(xml_text())
}

fn user() -> impl Strategy<Value = User> {
    (opt_text(), opt_text(), opt_text(), opt_text()).prop_map(|(u, p, r, c)| User {
        user_id: u,
        password: p,
        reply_phone: r,
        custom_data: c,
    })
}

fn head() -> impl Strategy<Value = XmsHead> {
    (
        option::of((0i64..4_102_444_800).prop_map(oms::schedule::format_utc_minute)),
        option::of(prop_oneof![
            Just("SMS_SENDER".to_owned()),
            Just("MMS_SENDER".to_owned())
        ]),
        opt_text(),
        vec(xml_text(), 1..4),
        opt_text(),
    )
        .prop_map(
            |(scheduled, required_service, source_type, to, subject)| XmsHead {
                scheduled,
                required_service,
                source_type,
                to,
                subject,
            },
        )
}

fn content(content_type: &'static str, id: usize) -> impl Strategy<Value = Content> {
    (word(), xml_text(), xml_text()).prop_map(move |(w, location, text)| Content {
        content_type: content_type.to_owned(),
        content_id: format!("{id}.{w}"),
        content_location: location,
        text,
    })
}

fn sms_body() -> impl Strategy<Value = XmsBody> {
    (1..4usize)
        .prop_flat_map(|n| (0..n).map(|i| content("text/plain", i)).collect::<Vec<_>>())
        .prop_map(|contents| XmsBody {
            format: "SMS".to_owned(),
            slides: None,
            contents,
        })
}

fn color() -> impl Strategy<Value = String> {
    "#[0-9a-fA-F]{6}"
}

fn length() -> impl Strategy<Value = String> {
    "[0-9]{1,3}(\\.[0-9]{1,2})?%?"
}

fn region(id: &'static str) -> impl Strategy<Value = Region> {
    (
        length(),
        length(),
        length(),
        length(),
        prop_oneof![Just("slice"), Just("stream")],
    )
        .prop_map(move |(left, top, width, height, fit)| Region {
            id: id.to_owned(),
            left,
            top,
            width,
            height,
            fit: Some(fit.to_owned()),
        })
}

/// An MMS body with slides whose references all resolve: content 0 is text, 1 an image,
/// 2 audio.
fn mms_body() -> impl Strategy<Value = XmsBody> {
    let contents = (
        content("text/plain", 0),
        content("image/gif", 1),
        content("audio/mid", 2),
    )
        .prop_map(|(a, b, c)| vec![a, b, c]);
    let layout = (
        any::<u32>(),
        any::<u32>(),
        color(),
        region(REGION_IMAGE),
        region(REGION_TEXT),
        any::<bool>(),
    )
        .prop_map(|(w, h, bg, img, text, both)| Layout {
            root: RootLayout {
                width: w,
                height: h,
                background_color: bg,
            },
            regions: if both { vec![img, text] } else { vec![text] },
        });
    let head = (option::of((xml_text(), xml_text())), layout).prop_map(|(meta, layout)| SmilHead {
        meta: meta.map(|(name, content)| Meta { name, content }),
        layout,
    });
    (
        contents,
        option::of(head),
        vec(
            (
                any::<u16>(),
                any::<bool>(),
                any::<bool>(),
                option::of(color()),
            ),
            1..4,
        ),
    )
        .prop_map(|(contents, head, pars)| {
            let has_image_region = head
                .as_ref()
                .is_none_or(|h| h.layout.regions.iter().any(|r| r.id == REGION_IMAGE));
            let body = pars
                .into_iter()
                .map(|(dur, with_img, with_audio, fg)| Par {
                    dur: dur.to_string(),
                    img: (with_img && has_image_region).then(|| Img {
                        src: cid(&contents[1].content_id),
                        region: REGION_IMAGE.to_owned(),
                    }),
                    text: Some(Text {
                        src: cid(&contents[0].content_id),
                        region: REGION_TEXT.to_owned(),
                        foreground_color: fg,
                    }),
                    audio: with_audio.then(|| Audio {
                        src: cid(&contents[2].content_id),
                    }),
                })
                .collect();
            XmsBody {
                format: "MMS".to_owned(),
                slides: Some(MmsSlides { head, body }),
                contents,
            }
        })
}

fn body() -> impl Strategy<Value = XmsBody> {
    prop_oneof![sms_body(), mms_body()]
}

fn xms_data() -> impl Strategy<Value = XmsData> {
    (opt_text(), option::of(user()), option::of(head()), body()).prop_map(
        |(client, user, head, body)| XmsData {
            client,
            user,
            head,
            body,
        },
    )
}

fn delivery_error() -> impl Strategy<Value = DeliveryError> {
    (xml_text(), xml_text(), opt_text(), opt_text()).prop_map(|(code, severity, content, list)| {
        DeliveryError {
            code: Some(code),
            severity: Some(severity),
            content,
            recipient_list: list,
        }
    })
}

fn xms_response() -> impl Strategy<Value = XmsResponse> {
    vec(delivery_error(), 1..4).prop_map(|errors| XmsResponse { errors })
}

fn xms_batch() -> impl Strategy<Value = XmsBatch> {
    (
        opt_text(),
        vec((option::of(user()), option::of(head()), body()), 1..4),
    )
        .prop_map(|(client, items)| XmsBatch {
            client,
            items: items
                .into_iter()
                .enumerate()
                .map(|(i, (user, head, body))| XmsDataInBatch {
                    id: u32::try_from(i).unwrap() * 7,
                    user,
                    head,
                    body,
                })
                .collect(),
        })
}

fn xms_responses() -> impl Strategy<Value = XmsResponses> {
    vec(vec(delivery_error(), 1..3), 1..4).prop_map(|items| XmsResponses {
        items: items
            .into_iter()
            .enumerate()
            .map(|(i, errors)| XmsResponseWithId {
                id: u32::try_from(i).unwrap() + 100,
                errors,
            })
            .collect(),
    })
}

fn xms_user() -> impl Strategy<Value = XmsUser> {
    (opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(client, user_id, password, custom_data)| XmsUser {
            client,
            user_id,
            password,
            custom_data,
        },
    )
}

fn user_info() -> impl Strategy<Value = UserInfo> {
    (
        opt_text(),
        opt_text(),
        xml_text(),
        opt_text(),
        xml_text(),
        opt_text(),
    )
        .prop_map(
            |(reply_phone, smtp_address, code, severity, text, custom_data)| UserInfo {
                reply_phone,
                smtp_address,
                error: Some(UserError {
                    code: Some(code),
                    severity,
                    text,
                }),
                custom_data,
            },
        )
}

fn operation() -> impl Strategy<Value = Operation> {
    (0..Operation::ALL.len()).prop_map(|i| Operation::ALL[i])
}

fn version() -> impl Strategy<Value = SoapVersion> {
    prop_oneof![Just(SoapVersion::V11), Just(SoapVersion::V12)]
}

macro_rules! round_trip {
    ($name:ident, $strategy:expr, $ty:ty) => {
        proptest! {
            #[test]
            fn $name(value in $strategy) {
                let xml = value.to_xml();
                let parsed = <$ty>::parse(&xml).map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
                prop_assert_eq!(&parsed.findings, &vec![], "{}", xml);
                prop_assert_eq!(parsed.value, value);
            }
        }
    };
}

round_trip!(service_info_round_trips, service_info(), ServiceInfo);
round_trip!(xms_data_round_trips, xms_data(), XmsData);
round_trip!(xms_response_round_trips, xms_response(), XmsResponse);
round_trip!(xms_batch_round_trips, xms_batch(), XmsBatch);
round_trip!(xms_responses_round_trips, xms_responses(), XmsResponses);
round_trip!(xms_user_round_trips, xms_user(), XmsUser);
round_trip!(user_info_round_trips, user_info(), UserInfo);

proptest! {
    #[test]
    fn requests_survive_soap(op in operation(), v in version(), payload in xml_text()) {
        let payload_arg = op.param_element().map(|_| payload.as_str());
        let req = oms::request(op, v, payload_arg);
        let parsed = oms::parse_request(&req.headers, &req.body)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", req.body)))?;
        prop_assert_eq!(&parsed.findings, &vec![]);
        prop_assert_eq!(parsed.op, op);
        prop_assert_eq!(parsed.version, v);
        prop_assert_eq!(parsed.payload.as_deref(), payload_arg);
    }

    #[test]
    fn responses_survive_soap(op in operation(), v in version(), payload in xml_text()) {
        let resp = oms::response(op, v, &payload);
        let parsed = oms::parse_response(op, v, &resp.headers, &resp.body)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", resp.body)))?;
        prop_assert_eq!(&parsed.findings, &vec![]);
        prop_assert_eq!(parsed.body, ResponseBody::Result(payload));
    }

    /// A whole document (declaration included) inside the wrapper, as the protocol carries it.
    #[test]
    fn documents_survive_soap(data in xms_data(), v in version()) {
        let req = oms::request(Operation::DeliverXms, v, Some(&data.to_xml()));
        let parsed = oms::parse_request(&req.headers, &req.body).unwrap();
        let doc = XmsData::parse(parsed.payload.as_deref().unwrap()).unwrap();
        prop_assert_eq!(doc.value, data);
    }
}
