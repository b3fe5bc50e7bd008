//! Seed inputs for the fuzz targets, derived from the golden vectors (`vectors/`).
//!
//! A coverage-guided fuzzer gets past the XML reader and into the schema checks much sooner
//! when it starts from real documents. The vectors already hold every document shape the
//! suites know about, so the seeds are computed from them instead of being copied into the
//! repository: `fuzz/src/bin/seed.rs` writes them to `fuzz/corpus/<target>/`, and
//! `wire/tests/fuzz_regressions.rs` runs the entry points over them in `cargo test`.
//!
//! The SOAP seeds wrap each vector document in the request or response that carries it, in
//! both SOAP versions. `vectors/` holds no mail, so the reply-mail seeds are the builder's
//! conformant and fault-injected replies.

use serde::Deserialize;

use crate::mail::{build_reply, BuildOptions, MediaPart, Reply, ReplyBody, TextEncoding};
use crate::oms::{fault_response, request, response, HttpSoap, Operation};
use crate::soap::{FaultCode, SoapVersion};

/// One seed input: the target it is for, a file name unique within that target, the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seed {
    pub target: &'static str,
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<VectorCase>,
}

#[derive(Deserialize)]
struct VectorCase {
    id: u32,
    #[serde(rename = "type")]
    typ: String,
    xml: String,
}

/// The payload target that reads documents of root element `typ`.
fn payload_target(typ: &str) -> Option<&'static str> {
    Some(match typ {
        "serviceInfo" => "service_info",
        "xmsUser" | "userInfo" => "user",
        "xmsData" => "xms_data",
        "xmsResponse" => "xms_response",
        "xmsBatch" | "xmsResponses" => "batch",
        _ => return None,
    })
}

/// An HTTP message in the framing `fuzzing::soap_envelope` reads: header lines, an empty
/// line, the body.
fn http_bytes(message: &HttpSoap) -> Vec<u8> {
    let mut out = String::new();
    for (name, value) in &message.headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&message.body);
    out.into_bytes()
}

fn version_tag(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "soap11",
        SoapVersion::V12 => "soap12",
    }
}

/// Seeds from one vector file: each case's document for its payload target, and the SOAP
/// messages that carry it. `stem` is the file name without `.json` (it prefixes the seed
/// names); `json` the file's text. Err when the file is not in the vector format.
pub fn from_vector_file(stem: &str, json: &str) -> Result<Vec<Seed>, String> {
    let file: VectorFile =
        serde_json::from_str(json).map_err(|e| format!("{stem}.json is not a vector file: {e}"))?;
    let mut seeds = Vec::new();
    for case in &file.cases {
        let name = format!("{stem}-{:03}", case.id);
        if let Some(target) = payload_target(&case.typ) {
            seeds.push(Seed {
                target,
                name: format!("{name}.xml"),
                data: case.xml.clone().into_bytes(),
            });
        }
        for op in Operation::ALL {
            for version in SoapVersion::ALL {
                let tag = version_tag(version);
                if op.payload_in() == Some(case.typ.as_str()) {
                    seeds.push(Seed {
                        target: "soap_envelope",
                        name: format!("{name}-{}-request-{tag}.http", op.name()),
                        data: http_bytes(&request(op, version, Some(&case.xml))),
                    });
                }
                if op.payload_out() == case.typ {
                    seeds.push(Seed {
                        target: "soap_envelope",
                        name: format!("{name}-{}-response-{tag}.http", op.name()),
                        data: http_bytes(&response(op, version, &case.xml)),
                    });
                }
            }
        }
    }
    Ok(seeds)
}

/// Seeds that do not come from a vector file: requests without a parameter, faults, and the
/// reply mail.
pub fn synthetic() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for version in SoapVersion::ALL {
        let tag = version_tag(version);
        for op in Operation::ALL {
            seeds.push(Seed {
                target: "soap_envelope",
                name: format!("{}-request-no-parameter-{tag}.http", op.name()),
                data: http_bytes(&request(op, version, None)),
            });
        }
        for (code, label) in [(FaultCode::Client, "client"), (FaultCode::Server, "server")] {
            seeds.push(Seed {
                target: "soap_envelope",
                name: format!("fault-{label}-{tag}.http"),
                data: http_bytes(&fault_response(version, code, "fault <reason> & more")),
            });
        }
    }
    seeds.extend(mail_seeds());
    seeds
}

fn reply(body: ReplyBody) -> Reply {
    Reply {
        from: "\"Mobile Inbound Agent\" <incomingmessage@service-provider.example>".to_owned(),
        to: "someone@example.com".to_owned(),
        phone: "+8613601391354".to_owned(),
        date: String::new(),
        body,
    }
}

fn mail_seeds() -> Vec<Seed> {
    let texts = [
        ("ascii", "hello", "us-ascii"),
        (
            "utf8",
            "caf\u{e9} \u{4f60}\u{597d} = .dot\r\n.line",
            "utf-8",
        ),
        ("gb2312", "\u{4f60}\u{597d}\u{4e16}\u{754c}", "gb2312"),
        ("long", &"a message that needs folding ".repeat(12), "utf-8"),
    ];
    let text_options: Vec<(&str, BuildOptions)> = vec![
        ("default", BuildOptions::default()),
        (
            "base64",
            BuildOptions {
                text_encoding: TextEncoding::Base64,
                ..BuildOptions::default()
            },
        ),
        (
            "8bit-nocharset",
            BuildOptions {
                text_encoding: TextEncoding::EightBit,
                charset_param: false,
                ..BuildOptions::default()
            },
        ),
        (
            "html",
            BuildOptions {
                html_alternative: true,
                ..BuildOptions::default()
            },
        ),
        (
            "mixed-noclass",
            BuildOptions {
                container: Some("mixed".to_owned()),
                content_class: Some(String::new()),
                reply_to_mobile: false,
                ..BuildOptions::default()
            },
        ),
    ];
    let mut seeds = Vec::new();
    for (label, text, charset) in texts {
        for (option_label, options) in &text_options {
            let body = ReplyBody::Text {
                text: text.to_owned(),
                charset: charset.to_owned(),
            };
            seeds.push(Seed {
                target: "reply_mail",
                name: format!("text-{label}-{option_label}.eml"),
                data: build_reply(&reply(body), options),
            });
        }
    }
    let media = vec![
        MediaPart {
            content_type: "text/plain; charset=utf-8".to_owned(),
            name: "text.txt".to_owned(),
            data: "caption \u{4f60}\u{597d}".as_bytes().to_vec(),
        },
        MediaPart {
            content_type: "image/gif".to_owned(),
            name: "image.gif".to_owned(),
            data: b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!".to_vec(),
        },
        MediaPart {
            content_type: "audio/mid".to_owned(),
            name: "sound.mid".to_owned(),
            data: b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60".to_vec(),
        },
    ];
    let smil = "<smil><head><layout><root-layout width=\"176\" height=\"144\"/></layout></head>\
                <body><par dur=\"5000ms\"><img src=\"cid:image.gif\"/><audio src=\"cid:sound.mid\"/></par></body></smil>";
    let mms_options: Vec<(&str, BuildOptions)> = vec![
        ("default", BuildOptions::default()),
        (
            "smil-last",
            BuildOptions {
                smil_first: false,
                ..BuildOptions::default()
            },
        ),
        (
            "alternative-subject",
            BuildOptions {
                container: Some("alternative".to_owned()),
                subject: Some("=?utf-8?B?5L2g5aW9?= [open]".to_owned()),
                ..BuildOptions::default()
            },
        ),
    ];
    for (with_smil, label) in [(true, "smil"), (false, "nosmil")] {
        for (option_label, options) in &mms_options {
            let body = ReplyBody::Mms {
                subject: "Photo".to_owned(),
                smil: with_smil.then(|| smil.to_owned()),
                media: media.clone(),
            };
            seeds.push(Seed {
                target: "reply_mail",
                name: format!("mms-{label}-{option_label}.eml"),
                data: build_reply(&reply(body), options),
            });
        }
    }
    seeds
}
