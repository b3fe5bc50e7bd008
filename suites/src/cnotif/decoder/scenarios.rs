//! notif-decoder scenarios: the vectors grouped by NotificationType (valid buffers) and by
//! defect class (invalid ones), each judged buffer by buffer with the results in the evidence.

use super::env::{Answer, DecoderEnv};
use super::vectors::{select, Defect, Selection, Vector};
use harness::{Cx, Level, Scenario, Stop};
use wire::binary::parse_hex;
use wire::cnotif;

/// Time beyond the run's scenario timeout for one process per buffer: a decoder in an
/// interpreted language starts in tens of milliseconds, and a scenario spawns it hundreds of
/// times (`decode_lines = true` needs none of this).
const SPAWNS: std::time::Duration = std::time::Duration::from_secs(60);

/// Failing buffers shown in full (check, hex dump) per scenario; the rest are counted.
const SHOWN: usize = 25;

pub fn all() -> Vec<Scenario> {
    let mut v = vec![spec_examples()];
    for (slug, kind, fault) in [
        ("new-mail", "NewMail", "unicode-class-as-ascii"),
        ("object-created", "ObjectCreated", "ffff-is-a-count"),
        ("object-deleted", "ObjectDeleted", "flags-big-endian"),
        ("object-modified", "ObjectModified", "counts-swapped"),
        ("object-moved", "ObjectMoved", "flags-big-endian"),
        ("object-copied", "ObjectCopied", "flags-big-endian"),
        ("search-complete", "SearchComplete", "flags-big-endian"),
        ("table-modified", "TableModified", "insert-after-on-m"),
    ] {
        v.push(valid(slug, kind, fault));
    }
    for (slug, defect, title, fault, reqs) in [
        (
            "truncation",
            Defect::Truncation,
            "Buffers cut at every field boundary are refused with truncated:<Field>",
            "accepts-truncation",
            &["OXCNOTIF-R060"][..],
        ),
        (
            "flags",
            Defect::Flags,
            "Unknown types, T or U off ObjectModified, and S without M are refused",
            "no-flag-checks",
            &["OXCNOTIF-R060"][..],
        ),
        (
            "table-event-type",
            Defect::TableEventType,
            "An unknown TableEventType is refused",
            "accepts-unknown-types",
            &["OXCNOTIF-R060"][..],
        ),
        (
            "counts",
            Defect::Counts,
            "A TagCount or TableRowDataSize past the end of the buffer is refused",
            "accepts-truncation",
            &["OXCNOTIF-R060"][..],
        ),
        (
            "message-class",
            Defect::MessageClass,
            "A MessageClass that is not what UnicodeFlag says is refused",
            "lenient-utf16",
            &["OXCNOTIF-R060"][..],
        ),
        (
            "trailing-bytes",
            Defect::TrailingBytes,
            "Bytes after the last present field are refused",
            "accepts-trailing-bytes",
            &["OXCNOTIF-R060"][..],
        ),
    ] {
        v.push(invalid(slug, defect, title, fault, reqs));
    }
    v
}

fn spec_examples() -> Scenario {
    Scenario::new("notif-decoder/valid/spec-examples")
        .title("The 18 corrected examples of section 4 decode exactly to their canonical JSON")
        .section("MS-OXCNOTIF 4")
        .takes(SPAWNS)
        .requirements(["OXCNOTIF-R060", "DECODE-R001"])
        .caught_by("flags-big-endian")
        .caught_by("insert-after-on-m")
        .caught_by("no-tags-on-modified")
        .run(|cx| async move { judge(&cx, Selection::SpecExamples).await })
}

fn valid(slug: &str, kind: &'static str, fault: &str) -> Scenario {
    Scenario::new(format!("notif-decoder/valid/{slug}"))
        .title(format!(
            "Every generated {kind} buffer (each flag combination, tag count and class) decodes exactly"
        ))
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .takes(SPAWNS)
        .requirements(["OXCNOTIF-R060", "DECODE-R001"])
        .caught_by(fault)
        .run(move |cx| async move { judge(&cx, Selection::Valid(kind)).await })
}

fn invalid(slug: &str, defect: Defect, title: &str, fault: &str, reqs: &[&str]) -> Scenario {
    let mut ids: Vec<String> = reqs.iter().map(|r| (*r).to_owned()).collect();
    ids.extend(["DECODE-R002".to_owned(), "DECODE-R003".to_owned()]);
    Scenario::new(format!("notif-decoder/invalid/{slug}"))
        .title(title)
        .section("MS-OXCNOTIF 2.2.1.4.1.1")
        .takes(SPAWNS)
        .requirements(ids)
        .caught_by_breaking(fault, ["DECODE-R002"])
        .caught_by_breaking("generic-errors", ["DECODE-R003"])
        .run(move |cx| async move { judge(&cx, Selection::Defect(defect)).await })
}

/// The hex dump of a buffer with its fields named, up to the first defect.
fn dump(cx: &Cx, v: &Vector) {
    let Ok(bytes) = parse_hex(&v.hex) else {
        return;
    };
    let (fields, _) = cnotif::annotate(&bytes);
    let fields = fields
        .into_iter()
        .map(|f| harness::transcript::Field {
            offset: f.offset,
            len: f.len,
            name: f.name.to_owned(),
            value: f.value,
        })
        .collect();
    cx.binary(
        harness::Direction::Sent,
        "decoder",
        &format!("tcId {} NotificationData", v.id),
        &bytes,
        fields,
    );
}

/// Counts a problem and dumps its buffer while fewer than `SHOWN` have been shown.
fn show(cx: &Cx, v: &Vector, shown: &mut usize) -> bool {
    *shown += 1;
    if *shown <= SHOWN {
        dump(cx, v);
        true
    } else {
        false
    }
}

fn expected_of(v: &Vector) -> String {
    match (&v.decoded, &v.rule) {
        (Some(d), _) => d.to_string(),
        (None, Some(rule)) => format!("{{\"error\":\"{rule}\"}}"),
        (None, None) => "(nothing)".to_owned(),
    }
}

async fn judge(cx: &Cx, selection: Selection) -> Result<(), Stop> {
    let env = cx.env::<DecoderEnv>()?;
    let vectors = select(selection);
    if vectors.is_empty() {
        return Err(Stop::error(
            "no vectors for this scenario: the vector file did not load",
        ));
    }
    let hexes: Vec<&str> = vectors.iter().map(|v| v.hex.as_str()).collect();
    let answers = env.decode_all(cx, &hexes).await?;
    let (mut wrong, mut other_rule, mut right, mut recorded) = (0usize, 0usize, 0usize, 0usize);
    let mut shown = 0usize;
    for (v, answer) in vectors.iter().zip(&answers) {
        let what = format!("tcId {}: {}", v.id, v.comment);
        match (v.result.as_str(), answer) {
            ("valid", Answer::Decoded(got)) if Some(got) == v.decoded.as_ref() => right += 1,
            ("valid", _) => {
                wrong += 1;
                if show(cx, v, &mut shown) {
                    cx.checks().check(
                        &format!("{what} (hex {})", v.hex),
                        false,
                        expected_of(v),
                        answer.render(),
                    );
                }
            }
            ("acceptable", _) => {
                recorded += 1;
                cx.checks().info(
                    &format!("{what} (the spec leaves the reading open; not judged)"),
                    answer.render(),
                );
            }
            (_, Answer::Rejected(rule)) if Some(rule) == v.rule.as_ref() => right += 1,
            (_, Answer::Rejected(_)) => {
                other_rule += 1;
                if show(cx, v, &mut shown) {
                    cx.cite(["DECODE-R003"]).level(Level::Should).check(
                        &format!(
                            "{what}: the rejection names the first defect (hex {})",
                            v.hex
                        ),
                        false,
                        expected_of(v),
                        answer.render(),
                    );
                }
            }
            (_, Answer::Decoded(_)) => {
                wrong += 1;
                if show(cx, v, &mut shown) {
                    cx.cite(["OXCNOTIF-R060", "DECODE-R002"]).check(
                        &format!("{what}: an invalid buffer is refused (hex {})", v.hex),
                        false,
                        expected_of(v),
                        answer.render(),
                    );
                }
            }
        }
    }
    let judged = vectors.len() - recorded;
    cx.note(format!(
        "{} buffers: {right} as the format says, {wrong} wrong, {other_rule} refused under \
         another rule, {recorded} acceptable either way (recorded only){}",
        vectors.len(),
        if shown > SHOWN {
            format!("; the first {SHOWN} problems are shown")
        } else {
            String::new()
        }
    ));
    let valid = matches!(selection, Selection::SpecExamples | Selection::Valid(_));
    let summary = if valid {
        cx.checks().cite(["OXCNOTIF-R060", "DECODE-R001"]).check(
            "every buffer decodes exactly to its canonical JSON",
            wrong == 0,
            format!("{judged} of {judged}"),
            format!("{right} of {judged}"),
        )
    } else {
        let refused = cx.checks().cite(["OXCNOTIF-R060", "DECODE-R002"]).check(
            "every invalid buffer is refused",
            wrong == 0,
            format!("{judged} of {judged} refused"),
            format!("{} of {judged} refused", judged - wrong),
        );
        cx.checks()
            .cite(["DECODE-R003"])
            .level(Level::Should)
            .check(
                "each rejection names the first defect's rule",
                other_rule == 0,
                format!("{} rules as the format orders them", judged - wrong),
                format!("{right} named the expected rule"),
            );
        refused
    };
    if summary {
        Ok(())
    } else {
        Err(Stop::Failed)
    }
}
