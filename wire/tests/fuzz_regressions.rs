//! What fuzzing found, kept in `cargo test`: one test per finding, with the input inline (or,
//! for the findings that only show at size, the short generator that builds it), asserting
//! the reader answers sensibly and in time. And a deterministic smoke over the fuzz targets'
//! entry points (`oxconf_wire::fuzzing`): every seed document, its truncations and byte
//! flips, so the entry points keep compiling and stay panic-free without cargo-fuzz.
//!
//! How the fuzzers are run: `fuzz/README.md`.

use std::path::Path;

use oxconf_wire::fuzzing;
use oxconf_wire::fuzzing::seeds::{self, Seed};

fn vector_seeds() -> Vec<Seed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/oms");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("vectors/oms")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for path in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let json = std::fs::read_to_string(&path).expect("vector file");
        all.extend(seeds::from_vector_file(stem, &json).expect("vector format"));
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
