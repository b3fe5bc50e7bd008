//! What fuzzing found, kept in `cargo test`: one test per finding, with the input inline (or,
//! for the findings that only show at size, the short generator that builds it), asserting
//! the reader answers sensibly and in time. And a deterministic smoke over the fuzz targets'
//! entry points (`oxconf_wire::fuzzing`): every seed document, its truncations and byte
//! flips, so the entry points keep compiling and stay panic-free without cargo-fuzz.
//!
//! How the fuzzers are run: `fuzz/README.md`.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use oxconf_wire::fuzzing;
use oxconf_wire::fuzzing::seeds::{self, Seed};
use oxconf_wire::oms::{self, interpret, rules, Outcome, XmsBatch, XmsData, XmsResponse};

/// Runs `f` on its own thread and fails the test if it has not returned within `limit`.
///
/// The scale findings were quadratic: tens of seconds to an hour on documents within the
/// readers' size limits. Each test below sizes its input so that, in a debug build, the
/// linear readers finish in one to three seconds and the quadratic ones took a minute or
/// more (measured on this project's 2-core machines). The timed runs take turns, so they
/// do not slow each other down, and the limit sits well away from both sides: it is not a
/// benchmark and should not flake on a busy machine, and a regression fails at the limit
/// instead of hanging the test run.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let limit = Duration::from_secs(30);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(RecvTimeoutError::Timeout) => {
            panic!("{what} took more than {limit:?}: superlinear in the input again?")
        }
        Err(RecvTimeoutError::Disconnected) => panic!("{what} panicked"),
    }
}

fn count(findings: &[oxconf_wire::Finding], rule: &str) -> usize {
    findings.iter().filter(|f| f.rule == rule).count()
}

/// Identifier uniqueness in xmsBatch compared every id with every earlier one, n^2/2
/// comparisons: in a release build 64,000 items (1.6 MB) took 3 s, and a batch at the 8 MiB
/// limit (300,000 items) a minute and a half, from one request of a client under test.
#[test]
fn batch_item_identifiers_are_checked_in_linear_time() {
    const ITEMS: usize = 120_000;
    let mut xml = format!("<xmsBatch xmlns=\"{}\">", oms::OMS_NS);
    for id in 0..ITEMS {
        xml.push_str(&format!(
            "<xmsData id=\"{id}\"><xmsBody format=\"SMS\"/></xmsData>"
        ));
    }
    xml.push_str("<xmsData id=\"7\"><xmsBody format=\"SMS\"/></xmsData></xmsBatch>");
    let parsed = within("xmsBatch id check", move || XmsBatch::parse(&xml)).expect("readable");
    assert_eq!(parsed.value.items.len(), ITEMS + 1);
    assert_eq!(count(&parsed.findings, rules::BATCH_ID_DUPLICATE), 1);
}

/// The same comparison in xmsResponses, read from a server under test's answer.
#[test]
fn batch_response_identifiers_are_checked_in_linear_time() {
    const ITEMS: usize = 120_000;
    let mut xml = format!("<xmsResponses xmlns=\"{}\">", oms::OMS_NS);
    for id in 0..ITEMS {
        xml.push_str(&format!("<xmsResponse id=\"{id}\"/>"));
    }
    xml.push_str("<xmsResponse id=\"7\"/></xmsResponses>");
    let parsed = within("xmsResponses id check", move || {
        oms::XmsResponses::parse(&xml)
    })
    .expect("readable");
    assert_eq!(parsed.value.items.len(), ITEMS + 1);
    assert_eq!(
        count(&parsed.findings, rules::BATCH_RESPONSE_DUPLICATE_ID),
        1
    );
}

/// The client's interpretation de-duplicated the failed recipients a server names by
/// comparing each with all kept so far: in a release build a recipientList of 16,000 numbers
/// (85 kB) took a quarter of a second, and one at the 8 MiB limit would take most of an hour.
#[test]
fn failed_recipients_are_interpreted_in_linear_time() {
    const NAMED: usize = 150_000;
    let mut list: Vec<String> = (0..NAMED).map(|i| format!("139{i:08}")).collect();
    // Repeats and a recipient that was sent, named last: still reported once, and first.
    list.push("13900000001".to_owned());
    list.push("13601391354".to_owned());
    let xml = format!(
        "<xmsResponse xmlns=\"{}\"><error code=\"invalidRecipient\" severity=\"failure\"><recipientList>{}</recipientList></error></xmsResponse>",
        oms::OMS_NS,
        list.join(";")
    );
    let response = XmsResponse::parse(&xml).expect("readable").value;
    let sent = vec!["13601391354".to_owned(), "13601391388".to_owned()];
    let got = within("interpret", move || interpret(&response.errors, &sent));
    assert_eq!(got.outcome, Outcome::Failed);
    assert_eq!(got.failed_recipients.len(), NAMED + 1);
    assert_eq!(got.failed_recipients[0], "13601391354");
    assert_eq!(got.failed_recipients[1], "13900000000");
}

fn slides(regions: usize, pars: usize, region_of_par: impl Fn(usize) -> String) -> String {
    let mut xml = format!(
        "<xmsData xmlns=\"{}\"><xmsBody format=\"MMS\"><mmsSlides><head><layout><root-layout width=\"1\" height=\"1\"/>",
        oms::OMS_NS
    );
    for i in 0..regions {
        xml.push_str(&format!(
            "<region id=\"r{i}\" left=\"0\" top=\"0\" width=\"1\" height=\"1\"/>"
        ));
    }
    xml.push_str("<region id=\"r0\" left=\"0\" top=\"0\" width=\"1\" height=\"1\"/>");
    xml.push_str("</layout></head><body>");
    for i in 0..pars {
        xml.push_str(&format!(
            "<par dur=\"1\"><img src=\"cid:c{i}\" region=\"{}\"/></par>",
            region_of_par(i)
        ));
    }
    xml.push_str(
        "<par dur=\"1\"><img src=\"cid:nowhere\" region=\"r0\"/></par></body></mmsSlides>",
    );
    for i in 0..pars {
        xml.push_str(&format!(
            "<content contentType=\"image/gif\" contentId=\"c{i}\">R0lG</content>"
        ));
    }
    xml.push_str("</xmsBody></xmsData>");
    xml
}

/// SMIL cross-references were resolved by scanning: every region id against the earlier
/// ones, every region reference against all regions, every src against all contents. In a
/// release build a client's message with 16,000 slides, regions and contents (2.9 MB) took
/// 4 s, one at the 8 MiB limit half a minute.
#[test]
fn smil_references_are_resolved_in_linear_time() {
    const N: usize = 40_000;
    let xml = slides(N, N, |i| format!("r{i}"));
    let parsed = within("SMIL references", move || XmsData::parse(&xml)).expect("readable");
    assert_eq!(count(&parsed.findings, rules::SMIL_REGION_DUPLICATE), 1);
    assert_eq!(count(&parsed.findings, rules::SMIL_REGION_UNDEFINED), 0);
    assert_eq!(count(&parsed.findings, rules::SMIL_SRC_UNRESOLVED), 1);
}

/// Each undefined-region finding listed every defined region id, so many regions and many
/// slides naming an undefined one cost regions x slides of memory: 2,000 of each (200 kB)
/// made 34 MB of messages, 60,000 of each (about 6 MB, within the size limit) would make
/// 30 GB. The list is now cut to its first few ids.
#[test]
fn undefined_region_findings_do_not_list_every_region() {
    const N: usize = 2_000;
    let xml = slides(N, N, |_| "elsewhere".to_owned());
    let parsed = within("SMIL undefined regions", move || XmsData::parse(&xml)).expect("readable");
    let undefined: Vec<_> = parsed
        .findings
        .iter()
        .filter(|f| f.rule == rules::SMIL_REGION_UNDEFINED)
        .collect();
    assert_eq!(undefined.len(), N);
    for finding in undefined {
        assert!(
            finding.message.len() < 400,
            "{} bytes: {}",
            finding.message.len(),
            &finding.message[..400]
        );
        assert!(finding.message.contains("\"r0\""), "{}", finding.message);
    }
}

/// The `.json` files of `vectors/<dir>`, sorted, with their stems and texts.
fn vector_files(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
            let json = std::fs::read_to_string(&path).expect("vector file");
            (stem.to_owned(), json)
        })
        .collect()
}

fn vector_seeds() -> Vec<Seed> {
    let mut all = Vec::new();
    for (stem, json) in vector_files("oms") {
        all.extend(seeds::from_vector_file(&stem, &json).expect("vector format"));
    }
    for (stem, json) in vector_files("cnotif") {
        all.extend(seeds::from_cnotif_file(&stem, &json).expect("cnotif vector format"));
    }
    for (stem, json) in vector_files("push") {
        all.extend(seeds::from_push_file(&stem, &json).expect("push vector format"));
    }
    all.extend(seeds::synthetic());
    all
}

#[test]
fn seeds_cover_every_target() {
    let all = vector_seeds();
    for (name, _) in fuzzing::TARGETS {
        assert!(
            all.iter().any(|s| s.target == *name),
            "no seed for the {name} target"
        );
    }
    for seed in &all {
        assert!(
            fuzzing::TARGETS
                .iter()
                .any(|(name, _)| *name == seed.target),
            "seed {} names an unknown target {}",
            seed.name,
            seed.target
        );
    }
}

/// Cheap deterministic variations of a seed: truncations at a spread of lengths, and single
/// bytes replaced at a spread of positions by what most often breaks a reader (markup
/// characters, a quote, NUL, a byte that is not UTF-8, a line end).
fn variations(data: &[u8]) -> Vec<Vec<u8>> {
    const STEPS: usize = 6;
    const BYTES: [u8; 6] = [b'<', b'&', b'"', 0, 0xff, b'\n'];
    let mut out = Vec::new();
    for step in 0..STEPS {
        let at = data.len() * step / STEPS;
        out.push(data[..at].to_vec());
        if at < data.len() {
            let mut flipped = data.to_vec();
            flipped[at] = BYTES[step % BYTES.len()];
            out.push(flipped);
            let mut xored = data.to_vec();
            xored[at] ^= 0x20;
            out.push(xored);
        }
    }
    out
}

#[test]
fn every_target_survives_its_seeds_truncated_and_flipped() {
    let all = vector_seeds();
    for (name, target) in fuzzing::TARGETS {
        for seed in all.iter().filter(|s| s.target == *name) {
            target(&seed.data);
            // The SOAP 1.2 wrappings differ from the SOAP 1.1 ones only in the envelope's
            // namespace and the headers; mutating the 1.1 ones alone halves the debug-build
            // run and loses little.
            if seed.name.contains("soap12") {
                continue;
            }
            for input in variations(&seed.data) {
                target(&input);
            }
        }
    }
}
