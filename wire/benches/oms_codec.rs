//! Codec throughput on the largest batch a provider commonly announces (batchSize 255):
//! writing an xmsBatch, reading it back (strict gate, schema walk, reference checks), and the
//! same through the SOAP wrapping a server actually receives.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use oxconf_wire::oms::{
    self, Content, DeliveryError, Operation, User, XmsBatch, XmsBody, XmsDataInBatch, XmsHead,
    XmsResponseWithId, XmsResponses,
};
use oxconf_wire::soap::SoapVersion;

fn batch(n: u32) -> XmsBatch {
    XmsBatch {
        client: Some("Microsoft Windows SharePoint Service".into()),
        items: (0..n)
            .map(|id| XmsDataInBatch {
                id,
                user: Some(User {
                    user_id: Some("user".into()),
                    password: Some("secret".into()),
                    reply_phone: None,
                    custom_data: Some(String::new()),
                }),
                head: Some(XmsHead {
                    required_service: Some("SMS_SENDER".into()),
                    source_type: Some("wssAlert".into()),
                    to: vec![format!("1367112{id:04}"), "13900000000".into()],
                    ..Default::default()
                }),
                body: XmsBody {
                    format: "SMS".into(),
                    slides: None,
                    contents: vec![Content {
                        content_type: "text/plain".into(),
                        content_id: format!("1.txt@{id:032x}"),
                        content_location: "1.txt".into(),
                        text: "Alert: the document <Budget & Plan> was changed \u{4e2d}\u{6587}"
                            .into(),
                    }],
                },
            })
            .collect(),
    }
}

fn responses(n: u32) -> XmsResponses {
    XmsResponses {
        items: (0..n)
            .map(|id| XmsResponseWithId {
                id,
                errors: vec![DeliveryError::ok()],
            })
            .collect(),
    }
}

fn codec(c: &mut Criterion) {
    let b = batch(255);
    let xml = b.to_xml();
    let req = oms::request(Operation::DeliverXmsBatch, SoapVersion::V11, Some(&xml));
    let r = responses(255);
    let r_xml = r.to_xml();

    c.bench_function("xmsBatch 255 write", |bench| {
        bench.iter(|| black_box(&b).to_xml())
    });
    c.bench_function("xmsBatch 255 parse", |bench| {
        bench.iter(|| XmsBatch::parse(black_box(&xml)).map(|p| p.value.items.len()))
    });
    c.bench_function(
        "DeliverXmsBatch 255 request parse (envelope + payload)",
        |bench| {
            bench.iter(|| {
                let parsed =
                    oms::parse_request(black_box(&req.headers), black_box(&req.body)).ok()?;
                XmsBatch::parse(parsed.payload.as_deref()?)
                    .ok()
                    .map(|p| p.value.items.len())
            })
        },
    );
    c.bench_function("xmsResponses 255 write+parse", |bench| {
        bench.iter(|| XmsResponses::parse(&black_box(&r).to_xml()).map(|p| p.findings.len()))
    });
    c.bench_function("xmsResponses 255 pairing", |bench| {
        let parsed = XmsResponses::parse(&r_xml)
            .map(|p| p.value)
            .unwrap_or_default();
        bench.iter(|| black_box(&parsed).pairing_findings().len())
    });
}

criterion_group!(benches, codec);
criterion_main!(benches);
