//! Multimedia-message checks (step 6 of a delivery): the SMIL presentation, the media
//! (MS-OMS 2.2.4.3), the slide and size limits of MMS_SENDER (3.1.4.1.3.5) and policy.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use wire::media_type::essence;
use wire::oms::{codes, Content, DeliveryError, MmsSender, MmsSlides};

use super::errors::failure;
use super::faults::Faults;
use super::policy::{content_ids_unique_and_qualified, offends};
use super::sms::is_text_plain;

/// The media types of the 2.2.4.3 table, lower-cased (compared case-insensitively).
pub const MEDIA_TYPES: &[&str] = &[
    "text/plain",
    "image/jpeg",
    "image/gif",
    "audio/mid",
    "audio/amr",
];

/// Base64 as clients write it: line breaks allowed, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded bytes of a media object, `None` if it is not base64 or empty (an object without
/// bytes is no image or sound either).
fn decode_media(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    BASE64.decode(compact.as_bytes()).ok()
}

fn type_allowed(content_type: &str, faults: &Faults) -> bool {
    if faults.on("accept-any-media") {
        return true;
    }
    let essence = essence(content_type);
    MEDIA_TYPES.contains(&essence.as_str()) && !(faults.on("reject-amr") && essence == "audio/amr")
}

/// Whether a SMIL src names a content: "cid:" + contentId, or the bare contentId (E-OMS-13).
fn resolves(src: &str, contents: &[Content]) -> bool {
    let id = src.strip_prefix("cid:").unwrap_or(src);
    contents
        .iter()
        .any(|c| c.content_id == id || c.content_id == src)
}

fn slides_resolve(slides: &MmsSlides, contents: &[Content]) -> bool {
    slides.body.iter().all(|par| {
        let srcs = [
            par.img.as_ref().map(|i| i.src.as_str()),
            par.text.as_ref().map(|t| t.src.as_str()),
            par.audio.as_ref().map(|a| a.src.as_str()),
        ];
        srcs.into_iter()
            .flatten()
            .all(|src| resolves(src, contents))
    })
}

/// The first problem of a multimedia message, or `None` when it may be sent. Without a
/// subject it is sent without one (OMS-R093); meta is not looked at (OMS-R068), nor contentId
/// outside slide mode (OMS-R031).
pub(crate) fn check(
    sender: &MmsSender,
    subject: Option<&str>,
    slides: Option<&MmsSlides>,
    contents: &[Content],
    blocked_words: &[String],
    faults: &Faults,
) -> Option<DeliveryError> {
    let invalid_format = || Some(failure(faults, codes::INVALID_FORMAT));
    match slides {
        Some(_) if faults.on("reject-mms-slides") => return invalid_format(),
        None if faults.on("reject-mms-without-slides") => return invalid_format(),
        _ => {}
    }
    if faults.on("meta-validated") {
        let meta = slides
            .and_then(|s| s.head.as_ref())
            .and_then(|h| h.meta.as_ref());
        if meta.is_some_and(|m| m.name != "author") {
            return invalid_format();
        }
    }
    // Slides the server does not support are not looked at: the message goes out page by page.
    let slide_mode = slides.filter(|_| sender.support_slide);
    match slide_mode {
        Some(s) if !slides_resolve(s, contents) => return invalid_format(),
        None if faults.on("content-id-checked")
            && !content_ids_unique_and_qualified(
                contents.iter().map(|c| c.content_id.as_str()),
            ) =>
        {
            return invalid_format()
        }
        _ => {}
    }

    let mut bad: Vec<&str> = Vec::new();
    let mut size: u64 = 0;
    for c in contents {
        if is_text_plain(&c.content_type) {
            size += c.text.len() as u64;
            continue;
        }
        match decode_media(&c.text).filter(|_| type_allowed(&c.content_type, faults)) {
            Some(bytes) => size += bytes.len() as u64,
            None => bad.push(if c.content_location.is_empty() {
                &c.content_id
            } else {
                &c.content_location
            }),
        }
    }
    if !bad.is_empty() {
        let e = failure(faults, codes::INVALID_MEDIA);
        return Some(if faults.on("invalid-media-no-content") {
            e
        } else {
            e.with_content(&bad.join(";"))
        });
    }
    let max_slides = sender.max_slides_per_message;
    if let Some(s) = slide_mode {
        if faults.over(s.body.len() as u64, u64::from(max_slides))
            && !faults.on("ignore-slides-limit")
        {
            return Some(
                failure(faults, codes::SLIDES_LIMIT).with_content(&max_slides.to_string()),
            );
        }
    }
    let max_size = sender.max_size_per_message;
    if size > u64::from(max_size) && !faults.on("ignore-size-limit") {
        return Some(failure(faults, codes::SIZE_LIMIT).with_content(&max_size.to_string()));
    }
    let texts = subject.into_iter().chain(
        contents
            .iter()
            .filter(|c| is_text_plain(&c.content_type))
            .map(|c| c.text.as_str()),
    );
    if !faults.on("blocked-text-ok") && texts.into_iter().any(|t| offends(t, blocked_words)) {
        return Some(failure(faults, codes::INVALID_CHAR));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::reference;
    use super::*;
    use rstest::rstest;
    use wire::oms::{Layout, Meta, Par, RootLayout, SmilHead, Text};

    const GIF: &str = "R0lGODlhAQABAAAAACw=";

    fn content(t: &str, id: &str, location: &str, text: &str) -> Content {
        Content {
            content_type: t.into(),
            content_id: id.into(),
            content_location: location.into(),
            text: text.into(),
        }
    }

    fn basic() -> Vec<Content> {
        vec![
            content("text/plain", "t@x", "1.txt", "hello"),
            content("image/gif", "g@x", "1.gif", GIF),
        ]
    }

    fn slides(src: &str, pars: usize, meta: &str) -> MmsSlides {
        MmsSlides {
            head: Some(SmilHead {
                meta: Some(Meta {
                    name: meta.into(),
                    content: "x".into(),
                }),
                layout: Layout {
                    root: RootLayout {
                        width: 120,
                        height: 120,
                        background_color: "#ffffff".into(),
                    },
                    regions: vec![],
                },
            }),
            body: (0..pars)
                .map(|_| Par {
                    dur: "1000".into(),
                    img: None,
                    text: Some(Text {
                        src: src.into(),
                        region: "Text".into(),
                        foreground_color: None,
                    }),
                    audio: None,
                })
                .collect(),
        }
    }

    fn run(
        faults: &[&str],
        subject: Option<&str>,
        s: Option<&MmsSlides>,
        contents: &[Content],
    ) -> Option<(String, Option<String>)> {
        let names: Vec<String> = faults.iter().map(|s| s.to_string()).collect();
        let sender = reference::service_info().supported_service.mms.unwrap();
        check(
            &sender,
            subject,
            s,
            contents,
            &[reference::BLOCKED_TEXT.to_string()],
            &Faults::parse(&names).unwrap(),
        )
        .map(|e| (e.code.unwrap_or_default(), e.content))
    }

    fn code(faults: &[&str], s: Option<&MmsSlides>, contents: &[Content]) -> Option<String> {
        run(faults, Some("subject"), s, contents).map(|(c, _)| c)
    }

    #[test]
    fn reference_accepts_slides_and_pages() {
        assert_eq!(code(&[], None, &basic()), None);
        assert_eq!(
            code(&[], Some(&slides("cid:t@x", 1, "author")), &basic()),
            None
        );
        assert_eq!(code(&[], Some(&slides("t@x", 1, "author")), &basic()), None);
        assert_eq!(
            code(&[], Some(&slides("cid:t@x", 1, "anything")), &basic()),
            None
        );
        assert_eq!(run(&[], None, None, &basic()), None);
    }

    #[test]
    fn unresolved_src_is_invalid_format() {
        assert_eq!(
            code(&[], Some(&slides("cid:nope", 1, "author")), &basic()).as_deref(),
            Some("invalidFormat")
        );
    }

    #[rstest]
    #[case::unsupported(content("video/mp4", "v@x", "1.mp4", GIF), "1.mp4")]
    #[case::not_base64(content("image/gif", "g2@x", "2.gif", "not base64!"), "2.gif")]
    #[case::empty(content("image/jpeg", "j@x", "", ""), "j@x")]
    fn invalid_media_names_locations(#[case] extra: Content, #[case] listed: &str) {
        let mut contents = basic();
        contents.push(extra);
        assert_eq!(
            run(&[], None, None, &contents),
            Some(("invalidMedia".into(), Some(listed.into())))
        );
    }

    #[test]
    fn media_types_compare_case_insensitively() {
        let mut contents = basic();
        contents.push(content("AUDIO/AMR", "a@x", "1.amr", GIF));
        contents.push(content("Image/JPEG", "j@x", "1.jpg", GIF));
        assert_eq!(code(&[], None, &contents), None);
        assert_eq!(
            code(&["reject-amr"], None, &contents).as_deref(),
            Some("invalidMedia")
        );
    }

    #[test]
    fn limits() {
        let too_many = slides("cid:t@x", 11, "author");
        assert_eq!(
            run(&[], None, Some(&too_many), &basic()),
            Some(("slidesLimit".into(), Some("10".into())))
        );
        assert_eq!(
            code(&["ignore-slides-limit"], Some(&too_many), &basic()),
            None
        );
        let at_limit = slides("cid:t@x", 10, "author");
        assert_eq!(code(&[], Some(&at_limit), &basic()), None);
        assert_eq!(
            code(&["limit-off-by-one"], Some(&at_limit), &basic()).as_deref(),
            Some("slidesLimit")
        );
        let mut big = basic();
        big[0].text = "x".repeat(30_001);
        assert_eq!(
            run(&[], None, None, &big),
            Some(("sizeLimit".into(), Some("30000".into())))
        );
        assert_eq!(code(&["ignore-size-limit"], None, &big), None);
        let gif_bytes = BASE64.decode(GIF).unwrap().len();
        big[0].text = "x".repeat(30_000 - gif_bytes);
        assert_eq!(code(&[], None, &big), None);
        big[0].text.push('x');
        assert_eq!(code(&[], None, &big).as_deref(), Some("sizeLimit"));
    }

    #[rstest]
    #[case(Some("forbidden-word"), "hi")]
    #[case(None, "a forbidden-word")]
    fn blocked_text_in_subject_or_text(#[case] subject: Option<&str>, #[case] text: &str) {
        let mut contents = basic();
        contents[0].text = text.into();
        assert_eq!(
            run(&[], subject, None, &contents)
                .map(|(c, _)| c)
                .as_deref(),
            Some("invalidChar")
        );
        assert_eq!(run(&["blocked-text-ok"], subject, None, &contents), None);
    }

    #[rstest]
    #[case(&["reject-mms-slides"], true, Some("invalidFormat"))]
    #[case(&["reject-mms-slides"], false, None)]
    #[case(&["reject-mms-without-slides"], false, Some("invalidFormat"))]
    #[case(&["reject-mms-without-slides"], true, None)]
    #[case(&["accept-any-media"], false, None)]
    #[case(&["invalid-media-no-content"], false, None)]
    fn slide_faults(
        #[case] faults: &[&str],
        #[case] with_slides: bool,
        #[case] expected: Option<&str>,
    ) {
        let s = slides("cid:t@x", 1, "author");
        let s = with_slides.then_some(&s);
        assert_eq!(code(faults, s, &basic()).as_deref(), expected);
    }

    #[test]
    fn fault_details() {
        let s = slides("cid:t@x", 1, "producer");
        assert_eq!(
            code(&["meta-validated"], Some(&s), &basic()).as_deref(),
            Some("invalidFormat")
        );
        let mut contents = basic();
        contents.push(content("video/mp4", "v@x", "1.mp4", GIF));
        assert_eq!(code(&["accept-any-media"], None, &contents), None);
        assert_eq!(
            run(&["invalid-media-no-content"], None, None, &contents),
            Some(("invalidMedia".into(), None))
        );
        let mut plain_ids = basic();
        plain_ids[0].content_id = "plain".into();
        assert_eq!(code(&[], None, &plain_ids), None);
        assert_eq!(
            code(&["content-id-checked"], None, &plain_ids).as_deref(),
            Some("invalidFormat")
        );
        let s = slides("cid:plain", 1, "author");
        assert_eq!(code(&["content-id-checked"], Some(&s), &plain_ids), None);
    }
}
