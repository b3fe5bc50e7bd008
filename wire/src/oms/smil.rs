//! The SMIL subset of mmsSlides (MS-OMS 2.2.4.1-2.2.4.13): layout, slides and their media
//! references.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::rules;
use super::schema::{attr_path, child_path, Checker, Slot};
use super::xms_data::Content;
use crate::finding::Finding;
use crate::xml::XmlWriter;

/// Region ids the specification allows (OMS-R072).
pub const REGION_IMAGE: &str = "Image";
pub const REGION_TEXT: &str = "Text";
/// fit values (OMS-R073).
pub const FIT_SLICE: &str = "slice";
pub const FIT_STREAM: &str = "stream";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MmsSlides {
    pub head: Option<SmilHead>,
    /// The par elements of body (slides).
    pub body: Vec<Par>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SmilHead {
    pub meta: Option<Meta>,
    pub layout: Layout,
}

/// Ignored by servers (OMS-R068).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub name: String,
    pub content: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub root: RootLayout,
    /// One or two regions (OMS-R066).
    pub regions: Vec<Region>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootLayout {
    pub width: u32,
    /// unsignedInt here, unsignedByte in the printed WSDL (E-OMS-09).
    pub height: u32,
    /// "#RRGGBB" (OMS-R076).
    pub background_color: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// "Image" or "Text".
    pub id: String,
    pub left: String,
    pub top: String,
    pub width: String,
    pub height: String,
    /// Required by the schema; `None` only when a peer left it out (E-OMS-11).
    pub fit: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Par {
    /// Milliseconds.
    pub dur: String,
    pub img: Option<Img>,
    pub text: Option<Text>,
    pub audio: Option<Audio>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Img {
    pub src: String,
    pub region: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Text {
    pub src: String,
    pub region: String,
    pub foreground_color: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Audio {
    pub src: String,
}

/// "cid:" + contentId, the reference form of the corrected examples (E-OMS-13).
pub fn cid(content_id: &str) -> String {
    format!("cid:{content_id}")
}

/// "#RRGGBB" with hexadecimal digits of either case.
pub fn is_rgb_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// A non-negative decimal number, optionally followed by "%" (E-OMS-12).
pub fn is_region_length(s: &str) -> bool {
    let n = s.strip_suffix('%').unwrap_or(s);
    let (int, frac) = match n.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (n, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A whole number of milliseconds.
pub fn is_duration_ms(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl MmsSlides {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.start("mmsSlides", &[]);
        if let Some(head) = &self.head {
            w.start("head", &[]);
            if let Some(meta) = &head.meta {
                w.empty("meta", &[("name", &meta.name), ("content", &meta.content)]);
            }
            w.start("layout", &[]);
            let root = &head.layout.root;
            let (width, height) = (root.width.to_string(), root.height.to_string());
            w.empty(
                "root-layout",
                &[
                    ("width", &width),
                    ("height", &height),
                    ("background-color", &root.background_color),
                ],
            );
            for r in &head.layout.regions {
                let mut attrs = vec![
                    ("id", r.id.as_str()),
                    ("left", &r.left),
                    ("top", &r.top),
                    ("width", &r.width),
                    ("height", &r.height),
                ];
                if let Some(fit) = &r.fit {
                    attrs.push(("fit", fit));
                }
                w.empty("region", &attrs);
            }
            w.end("layout");
            w.end("head");
        }
        w.start("body", &[]);
        for par in &self.body {
            w.start("par", &[("dur", &par.dur)]);
            if let Some(img) = &par.img {
                w.empty("img", &[("src", &img.src), ("region", &img.region)]);
            }
            if let Some(text) = &par.text {
                let mut attrs = vec![("src", text.src.as_str()), ("region", &text.region)];
                if let Some(color) = &text.foreground_color {
                    attrs.push(("foreground-color", color));
                }
                w.empty("text", &attrs);
            }
            if let Some(audio) = &par.audio {
                w.empty("audio", &[("src", &audio.src)]);
            }
            w.end("par");
        }
        w.end("body");
        w.end("mmsSlides");
    }

    pub(crate) fn read(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> MmsSlides {
        c.attributes(node, path, &[], &[], "OMS-R069");
        let kids = c.sequence(
            node,
            path,
            &[Slot::opt("head"), Slot::one("body")],
            "OMS-R069",
        );
        let head = kids
            .first("head")
            .map(|n| read_head(c, n, &format!("{path}/head")));
        let body = match kids.first("body") {
            None => Vec::new(),
            Some(n) => {
                let p = format!("{path}/body");
                c.attributes(n, &p, &[], &[], "OMS-R026");
                let pars = c.sequence(
                    n,
                    &p,
                    &[Slot::many("par").missing_as(rules::SMIL_NO_PAR, "OMS-R026")],
                    "OMS-R026",
                );
                pars.all("par")
                    .iter()
                    .enumerate()
                    .map(|(i, par)| read_par(c, *par, &child_path(&p, "par", Some(i))))
                    .collect()
            }
        };
        MmsSlides { head, body }
    }

    /// Cross-references: every src names a content (as "cid:" + contentId, or bare as a
    /// tolerated deviation), every region reference names a region of the layout, region ids
    /// are unique. Without a head there is no layout to resolve regions against, and the
    /// schema makes head optional, so region references are then not judged.
    pub fn reference_findings(&self, contents: &[Content], path: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        let layout_path = format!("{path}/head/layout");
        let regions: Option<Vec<&str>> = self
            .head
            .as_ref()
            .map(|h| h.layout.regions.iter().map(|r| r.id.as_str()).collect());
        // Every lookup goes through a set: the slides are the peer's, and a message may hold
        // as many regions, slides and contents as the size limit allows.
        let mut region_set: Option<HashSet<&str>> = None;
        if let Some(ids) = &regions {
            let set = region_set.insert(HashSet::new());
            for (i, id) in ids.iter().enumerate() {
                if !set.insert(id) {
                    out.push(
                        Finding::violation(
                            rules::SMIL_REGION_DUPLICATE,
                            attr_path(&child_path(&layout_path, "region", Some(i)), "id"),
                            format!("region id {id:?} is defined twice"),
                        )
                        .requirement("OMS-R066"),
                    );
                }
            }
        }
        let content_ids: HashSet<&str> = contents.iter().map(|c| c.content_id.as_str()).collect();
        let mut defined: Option<String> = None;
        for (i, par) in self.body.iter().enumerate() {
            let par_path = child_path(&format!("{path}/body"), "par", Some(i));
            let refs = [
                par.img
                    .as_ref()
                    .map(|m| ("img", &m.src, Some(&m.region), "OMS-R065")),
                par.text
                    .as_ref()
                    .map(|t| ("text", &t.src, Some(&t.region), "OMS-R077")),
                par.audio
                    .as_ref()
                    .map(|a| ("audio", &a.src, None, "OMS-R025")),
            ];
            for (name, src, region, requirement) in refs.into_iter().flatten() {
                let el_path = format!("{par_path}/{name}");
                check_src(
                    src,
                    &content_ids,
                    &attr_path(&el_path, "src"),
                    requirement,
                    &mut out,
                );
                if let (Some(region), Some(ids), Some(set)) = (region, &regions, &region_set) {
                    if !set.contains(region.as_str()) {
                        let defined = defined.get_or_insert_with(|| defined_regions(ids));
                        out.push(
                            Finding::violation(
                                rules::SMIL_REGION_UNDEFINED,
                                attr_path(&el_path, "region"),
                                format!("region {region:?} is not defined in the layout (defined: {defined})"),
                            )
                            .requirement(requirement),
                        );
                    }
                }
            }
        }
        out
    }
}

/// The defined region ids as an undefined-region finding lists them: the first few, each cut
/// short. The list is repeated in every such finding and the ids are the peer's, so listing
/// them all would cost regions x references of memory.
fn defined_regions(ids: &[&str]) -> String {
    const LISTED: usize = 8;
    const ID_CHARS: usize = 40;
    let shown: Vec<String> = ids
        .iter()
        .take(LISTED)
        .map(|id| match id.char_indices().nth(ID_CHARS) {
            Some((cut, _)) => format!("{:?}...", &id[..cut]),
            None => format!("{id:?}"),
        })
        .collect();
    let mut out = format!("[{}]", shown.join(", "));
    if ids.len() > LISTED {
        out.push_str(&format!(" and {} more", ids.len() - LISTED));
    }
    out
}

fn check_src(
    src: &str,
    content_ids: &HashSet<&str>,
    path: &str,
    requirement: &'static str,
    out: &mut Vec<Finding>,
) {
    let known = |id: &str| content_ids.contains(id);
    match src.strip_prefix("cid:") {
        Some(id) if known(id) => {}
        _ if known(src) => out.push(
            Finding::deviation(
                rules::SMIL_SRC_BARE,
                "E-OMS-13",
                path,
                format!("src {src:?} is a bare contentId; the reference form is \"cid:{src}\""),
            )
            .requirement(requirement),
        ),
        _ => out.push(
            Finding::violation(
                rules::SMIL_SRC_UNRESOLVED,
                path,
                format!("src {src:?} names no content element's contentId"),
            )
            .requirement(requirement),
        ),
    }
}

fn read_head(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> SmilHead {
    c.attributes(node, path, &[], &[], "OMS-R064");
    let kids = c.sequence(
        node,
        path,
        &[Slot::opt("meta"), Slot::one("layout")],
        "OMS-R064",
    );
    let meta = kids.first("meta").map(|n| {
        let p = format!("{path}/meta");
        c.attributes(
            n,
            &p,
            &["name", "content"],
            &["name", "content"],
            "OMS-R067",
        );
        c.empty_content(n, &p, "OMS-R067");
        Meta {
            name: n.attribute("name").unwrap_or_default().to_owned(),
            content: n.attribute("content").unwrap_or_default().to_owned(),
        }
    });
    let layout = kids
        .first("layout")
        .map(|n| read_layout(c, n, &format!("{path}/layout")))
        .unwrap_or_default();
    SmilHead { meta, layout }
}

fn read_layout(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> Layout {
    c.attributes(node, path, &[], &[], "OMS-R066");
    let kids = c.sequence(
        node,
        path,
        &[Slot::one("root-layout"), Slot::up_to("region", 2)],
        "OMS-R066",
    );
    let root = kids
        .first("root-layout")
        .map(|n| read_root_layout(c, n, &format!("{path}/root-layout")))
        .unwrap_or_default();
    let regions = kids
        .all("region")
        .iter()
        .enumerate()
        .map(|(i, n)| read_region(c, *n, &child_path(path, "region", Some(i))))
        .collect();
    Layout { root, regions }
}

fn color_check(c: &mut Checker, value: &str, path: &str, requirement: &'static str) {
    if !is_rgb_color(value) {
        let hint = if value.len() == 9 && value.starts_with('#') {
            " (8 hex digits, as in the 4.3 example, E-OMS-10)"
        } else {
            ""
        };
        c.push(
            Finding::violation(
                rules::SMIL_COLOR_FORMAT,
                path,
                format!("colour {value:?} is not \"#RRGGBB\"{hint}"),
            )
            .requirement(requirement),
        );
    }
}

fn read_root_layout(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> RootLayout {
    const ATTRS: &[&str] = &["width", "height", "background-color"];
    c.attributes(node, path, ATTRS, ATTRS, "OMS-R075");
    c.empty_content(node, path, "OMS-R075");
    let background_color = node
        .attribute("background-color")
        .unwrap_or_default()
        .to_owned();
    if node.attribute("background-color").is_some() {
        color_check(
            c,
            &background_color,
            &attr_path(path, "background-color"),
            "OMS-R076",
        );
    }
    RootLayout {
        width: c.u32_attr(node, path, "width", "OMS-R075"),
        height: c.u32_attr(node, path, "height", "OMS-R075"),
        background_color,
    }
}

fn read_region(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> Region {
    const ATTRS: &[&str] = &["id", "left", "top", "width", "height", "fit"];
    c.attributes(node, path, ATTRS, ATTRS, "OMS-R071");
    c.empty_content(node, path, "OMS-R071");
    let get = |name: &str| node.attribute(name).unwrap_or_default().to_owned();
    let id = get("id");
    if node.attribute("id").is_some() && id != REGION_IMAGE && id != REGION_TEXT {
        c.push(
            Finding::violation(
                rules::SMIL_REGION_ID,
                attr_path(path, "id"),
                format!("region id {id:?} is neither \"Image\" nor \"Text\""),
            )
            .requirement("OMS-R072"),
        );
    }
    for name in ["left", "top", "width", "height"] {
        if let Some(v) = node.attribute(name) {
            if !is_region_length(v) {
                c.push(
                    Finding::violation(
                        rules::SMIL_REGION_GEOMETRY,
                        attr_path(path, name),
                        format!("{name} {v:?} is not a non-negative number (optionally with %)"),
                    )
                    .requirement("OMS-R074"),
                );
            }
        }
    }
    let fit = node.attribute("fit").map(str::to_owned);
    if let Some(f) = &fit {
        if f != FIT_SLICE && f != FIT_STREAM {
            c.push(
                Finding::violation(
                    rules::SMIL_REGION_FIT,
                    attr_path(path, "fit"),
                    format!("fit {f:?} is neither \"slice\" nor \"stream\""),
                )
                .requirement("OMS-R073"),
            );
        }
    }
    Region {
        id,
        left: get("left"),
        top: get("top"),
        width: get("width"),
        height: get("height"),
        fit,
    }
}

fn read_par(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> Par {
    c.attributes(node, path, &["dur"], &["dur"], "OMS-R070");
    let dur = node.attribute("dur").unwrap_or_default().to_owned();
    if node.attribute("dur").is_some() && !is_duration_ms(&dur) {
        c.push(
            Finding::violation(
                rules::SMIL_PAR_DUR,
                attr_path(path, "dur"),
                format!("dur {dur:?} is not a whole number of milliseconds"),
            )
            .requirement("OMS-R070"),
        );
    }
    let kids = c.sequence(
        node,
        path,
        &[Slot::opt("img"), Slot::opt("text"), Slot::opt("audio")],
        "OMS-R070",
    );
    let img = kids.first("img").map(|n| {
        let p = format!("{path}/img");
        c.attributes(n, &p, &["src", "region"], &["src", "region"], "OMS-R065");
        c.empty_content(n, &p, "OMS-R065");
        Img {
            src: n.attribute("src").unwrap_or_default().to_owned(),
            region: n.attribute("region").unwrap_or_default().to_owned(),
        }
    });
    let text = kids.first("text").map(|n| {
        let p = format!("{path}/text");
        c.attributes(
            n,
            &p,
            &["src", "region", "foreground-color"],
            &["src", "region"],
            "OMS-R077",
        );
        c.empty_content(n, &p, "OMS-R077");
        let foreground_color = n.attribute("foreground-color").map(str::to_owned);
        if let Some(color) = &foreground_color {
            color_check(c, color, &attr_path(&p, "foreground-color"), "OMS-R077");
        }
        Text {
            src: n.attribute("src").unwrap_or_default().to_owned(),
            region: n.attribute("region").unwrap_or_default().to_owned(),
            foreground_color,
        }
    });
    let audio = kids.first("audio").map(|n| {
        let p = format!("{path}/audio");
        c.attributes(n, &p, &["src"], &["src"], "OMS-R025");
        c.empty_content(n, &p, "OMS-R025");
        Audio {
            src: n.attribute("src").unwrap_or_default().to_owned(),
        }
    });
    Par {
        dur,
        img,
        text,
        audio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("#ffffff", true)]
    #[case("#A0b1C2", true)]
    #[case("#ffffffff", false)]
    #[case("ffffff", false)]
    #[case("#fff", false)]
    #[case("#gggggg", false)]
    fn colors(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(is_rgb_color(s), ok);
    }

    #[rstest]
    #[case("0", true)]
    #[case("120", true)]
    #[case("50%", true)]
    #[case("12.5%", true)]
    #[case("-1", false)]
    #[case("10px", false)]
    #[case("", false)]
    #[case("1.", false)]
    #[case("%", false)]
    fn lengths(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(is_region_length(s), ok);
    }

    fn content(id: &str) -> Content {
        Content {
            content_type: "text/plain".into(),
            content_id: id.into(),
            content_location: "1.txt".into(),
            text: "x".into(),
        }
    }

    fn slides(src: &str, region: &str) -> MmsSlides {
        MmsSlides {
            head: Some(SmilHead {
                meta: None,
                layout: Layout {
                    root: RootLayout {
                        width: 1,
                        height: 1,
                        background_color: "#000000".into(),
                    },
                    regions: vec![Region {
                        id: "Text".into(),
                        left: "0".into(),
                        top: "0".into(),
                        width: "1".into(),
                        height: "1".into(),
                        fit: Some("slice".into()),
                    }],
                },
            }),
            body: vec![Par {
                dur: "1".into(),
                img: None,
                text: Some(Text {
                    src: src.into(),
                    region: region.into(),
                    foreground_color: None,
                }),
                audio: None,
            }],
        }
    }

    #[rstest]
    #[case::cid("cid:a@b", "Text", &[][..])]
    #[case::bare("a@b", "Text", &[rules::SMIL_SRC_BARE][..])]
    #[case::unknown("cid:zz", "Text", &[rules::SMIL_SRC_UNRESOLVED][..])]
    #[case::undefined_region("cid:a@b", "Image", &[rules::SMIL_REGION_UNDEFINED][..])]
    fn references(#[case] src: &str, #[case] region: &str, #[case] expected: &[&str]) {
        let found = slides(src, region).reference_findings(&[content("a@b")], "/x");
        let rules: Vec<_> = found.iter().map(|f| f.rule).collect();
        assert_eq!(rules, expected);
    }

    #[test]
    fn regions_are_not_judged_without_a_head() {
        let mut s = slides("cid:a@b", "Nowhere");
        s.head = None;
        assert!(s.reference_findings(&[content("a@b")], "/x").is_empty());
    }

    #[test]
    fn duplicate_region_ids() {
        let mut s = slides("cid:a@b", "Text");
        let r = s.head.as_ref().unwrap().layout.regions[0].clone();
        s.head.as_mut().unwrap().layout.regions.push(r);
        let found = s.reference_findings(&[content("a@b")], "/x");
        assert_eq!(found[0].rule, rules::SMIL_REGION_DUPLICATE);
        assert_eq!(found[0].path, "/x/head/layout/region[2]/@id");
    }
}
