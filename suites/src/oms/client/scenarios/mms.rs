//! Multimedia messages (MS-OMS 2.2.4.1-2.2.4.16): the SMIL presentation of an MMS and the
//! media it references.

use crate::oms::client::claims;
use crate::oms::client::probe::with_client;
use base64::Engine;
use harness::{Cx, Level, Scenario, Stop};
use mocks::oms::scripted::example_service_info;
use wire::oms::xms_data::{FORMAT_MMS, MMS_SENDER};
use wire::oms::{Content, Operation, XmsData};

pub(super) fn all() -> Vec<Scenario> {
    vec![smil()]
}

/// Requirements whose rules the xmsData and SMIL parser enforces for `smil`.
const SMIL_RULES: [&str; 17] = [
    "OMS-R082", "OMS-R083", "OMS-R069", "OMS-R064", "OMS-R067", "OMS-R066", "OMS-R075", "OMS-R076",
    "OMS-R071", "OMS-R072", "OMS-R073", "OMS-R074", "OMS-R026", "OMS-R070", "OMS-R065", "OMS-R077",
    "OMS-R025",
];

/// The image formats an MMS may carry (MS-OMS 2.2.4.3), told apart by their signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ImageKind {
    Gif,
    Jpeg,
}

impl ImageKind {
    fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageKind::Jpeg)
        } else {
            None
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            ImageKind::Gif => "image/gif",
            ImageKind::Jpeg => "image/jpeg",
        }
    }
}

/// A GIF's logical screen size (width, height): two little-endian u16 after the signature.
fn gif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let b = bytes.get(6..10)?;
    Some((
        u32::from(u16::from_le_bytes([b[0], b[1]])),
        u32::from(u16::from_le_bytes([b[2], b[3]])),
    ))
}

/// The contents the slides show as images ("cid:" + contentId, or a bare contentId).
fn slide_images(data: &XmsData) -> Vec<&Content> {
    let Some(slides) = &data.body.slides else {
        return Vec::new();
    };
    slides
        .body
        .iter()
        .filter_map(|par| par.img.as_ref())
        .filter_map(|img| {
            let id = img.src.strip_prefix("cid:").unwrap_or(&img.src);
            data.body.contents.iter().find(|c| c.content_id == id)
        })
        .collect()
}

/// MS-OMS 2.2.4.3: media travel base64-encoded; an image is a GIF (GIF89a) or a JPEG no larger
/// than the root-layout screen.
fn judge_image(cx: &Cx, content: &Content, screen: Option<(u32, u32)>) -> Result<(), Stop> {
    let what = format!("image content {:?}", content.content_id);
    let compact: String = content
        .text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| {
            cx.cite(["OMS-R030"]).fail(
                &format!("{what} is base64"),
                "base64-encoded media",
                e.to_string(),
            )
        })?;
    let kind = ImageKind::sniff(&bytes);
    cx.cite(["OMS-R030"]).expect(
        &format!("{what} is a GIF or JPEG image"),
        kind.is_some(),
        "GIF89a or JPEG signature",
        format!(
            "{} bytes starting {:02x?}",
            bytes.len(),
            &bytes[..bytes.len().min(6)]
        ),
    )?;
    let Some(kind) = kind else {
        return Ok(());
    };
    let declared = content.content_type.trim().to_ascii_lowercase();
    cx.cite(["OMS-R030"]).expect_eq(
        &format!("contentType of {what}"),
        kind.media_type(),
        declared.as_str(),
    )?;
    match (kind, screen) {
        (ImageKind::Gif, Some((width, height))) => {
            let size = gif_size(&bytes);
            cx.cite(["OMS-R030"]).expect(
                &format!("{what} fits the root-layout screen"),
                size.is_some_and(|(w, h)| w <= width && h <= height),
                format!("at most {width}x{height} pixels"),
                size.map_or("no GIF screen descriptor".to_string(), |(w, h)| {
                    format!("{w}x{h}")
                }),
            )
        }
        _ => {
            cx.cite(["OMS-R030"]).info(
                &format!("{what} size"),
                "not measured (JPEG, or no root-layout)",
            );
            Ok(())
        }
    }
}

/// MS-OMS 2.2.4.1-2.2.4.16: an MMS is an xmsData with format "MMS" whose mmsSlides hold a
/// SMIL presentation: head (meta?, layout: root-layout with a #RRGGBB background and one or
/// two Image/Text regions with fit), body of par slides whose img/text/audio reference
/// contents by contentId and regions of the layout; media base64-encoded.
fn smil() -> Scenario {
    Scenario::new("oms-client/mms/smil")
        .title("An MMS carries format MMS and a valid SMIL presentation referencing its base64 media")
        .section("MS-OMS 2.2.4.9")
        .section("MS-OMS 2.2.4.3")
        .section("MS-OMS 2.2.4.16")
        .requirements([
            "OMS-R025", "OMS-R026", "OMS-R030", "OMS-R064", "OMS-R065", "OMS-R066", "OMS-R067",
            "OMS-R069", "OMS-R070", "OMS-R071", "OMS-R072", "OMS-R073", "OMS-R074", "OMS-R075",
            "OMS-R076", "OMS-R077", "OMS-R082", "OMS-R083", "OMS-R085",
        ])
        .level(Level::Must)
        .needs(claims::MMS)
        .caught_by("smil-bad-colour")
        // The request checks run over every request: an MMS-only envelope defect fails here.
        .caught_by_breaking("mms-wrong-soap-action", ["OMS-R106"])
        .caught_by_breaking("mms-wrong-namespace", ["OMS-R007"])
        .run(with_client(|cx, client| async move {
            let server = client.server(&example_service_info(), false).await?;
            client
                .send_mms(&server, &client.recipients(1), "oxconf: multimedia")
                .await?;
            let requests = client
                .requests_for(&server, Operation::DeliverXms, &["OMS-R083"])
                .await?;
            for r in &requests {
                let parsed = client.parse_xms_data(r)?;
                client.judge_findings("MMS xmsData", &parsed.findings, &SMIL_RULES)?;
                let data = parsed.value;
                cx.cite(["OMS-R083"]).expect_eq(
                    "xmsBody/@format of a multimedia message",
                    FORMAT_MMS,
                    data.body.format.as_str(),
                )?;
                let service = data.head.as_ref().and_then(|h| h.required_service.as_deref());
                cx.cite(["OMS-R090"]).expect(
                    "xmsHead/requiredService of a multimedia message",
                    service.is_none_or(|s| s == MMS_SENDER),
                    format!("absent or {MMS_SENDER:?}"),
                    format!("{service:?}"),
                )?;
                let Some(slides) = &data.body.slides else {
                    return Err(Stop::skip(
                        "the client sent the MMS without mmsSlides (non-slide mode, MS-OMS 2.2.4.16): \
                         there is no SMIL presentation to judge",
                    ));
                };
                // In slide mode the contents are the slides' objects (MS-OMS 2.2.4.16).
                let referenced: Vec<&str> = slides
                    .body
                    .iter()
                    .flat_map(|p| {
                        [
                            p.img.as_ref().map(|i| i.src.as_str()),
                            p.text.as_ref().map(|t| t.src.as_str()),
                            p.audio.as_ref().map(|a| a.src.as_str()),
                        ]
                    })
                    .flatten()
                    .map(|src| src.strip_prefix("cid:").unwrap_or(src))
                    .collect();
                let unused: Vec<&str> = data
                    .body
                    .contents
                    .iter()
                    .map(|c| c.content_id.as_str())
                    .filter(|id| !referenced.contains(id))
                    .collect();
                cx.cite(["OMS-R085"]).expect(
                    "every content is an object of a slide",
                    unused.is_empty(),
                    "each contentId referenced by an img, text or audio src",
                    if unused.is_empty() {
                        "all referenced".to_string()
                    } else {
                        format!("not referenced: {}", unused.join(", "))
                    },
                )?;
                let screen = slides.head.as_ref().map(|h| (h.layout.root.width, h.layout.root.height));
                if screen.is_none() {
                    cx.cite(["OMS-R064"]).info(
                        "SMIL head",
                        "absent (allowed): layout, regions and colours not judged",
                    );
                }
                let images = slide_images(&data);
                if images.is_empty() {
                    return Err(Stop::inconclusive(
                        "no slide shows an image, so the media rules cannot be judged; \
                         the trigger must put {image_file} on the slide",
                    ));
                }
                for image in images {
                    judge_image(&cx, image, screen)?;
                }
            }
            Ok(())
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::media::GIF;
    use rstest::rstest;

    #[rstest]
    #[case::gif89a(GIF, Some(ImageKind::Gif))]
    #[case::gif87a(b"GIF87a\x01\x00\x01\x00", Some(ImageKind::Gif))]
    #[case::jpeg(&[0xff, 0xd8, 0xff, 0xe0, 0x00], Some(ImageKind::Jpeg))]
    #[case::png(b"\x89PNG\r\n\x1a\n", None)]
    #[case::empty(b"", None)]
    fn sniffs_images(#[case] bytes: &[u8], #[case] expected: Option<ImageKind>) {
        assert_eq!(ImageKind::sniff(bytes), expected);
    }

    #[rstest]
    #[case::tiny(GIF, Some((1, 1)))]
    #[case::wide(b"GIF89a\x40\x01\xf0\x00", Some((320, 240)))]
    #[case::truncated(b"GIF89a\x01", None)]
    fn reads_gif_screen_size(#[case] bytes: &[u8], #[case] expected: Option<(u32, u32)>) {
        assert_eq!(gif_size(bytes), expected);
    }
}
