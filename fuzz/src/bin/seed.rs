//! Writes the seed corpora: `fuzz/corpus/<target>/<name>` for every seed that
//! `oxconf_wire::fuzzing::seeds` derives from `vectors/oms/*.json`, `vectors/cnotif/*.json`
//! (NotificationData buffers, ROP buffers, MAPI/HTTP streams) and `vectors/push/*.json`, plus
//! the synthetic ones (SOAP faults, reply mail, ROP buffers, MAPI/HTTP streams, EWS requests
//! and responses). Run from anywhere: `cargo run --manifest-path fuzz/Cargo.toml --bin seed
//! [OUT_DIR]`; OUT_DIR defaults to `fuzz/corpus`. Existing files are overwritten,
//! other files (what libFuzzer added) are left alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wire::fuzzing::seeds::{self, Seed};

/// The `.json` files of `dir`, sorted, with their stems and texts.
fn vector_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?;
        let json = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((stem.to_owned(), json));
    }
    Ok(out)
}

fn vector_seeds(vectors: &Path) -> Result<Vec<Seed>, String> {
    let mut out = Vec::new();
    for (stem, json) in vector_files(&vectors.join("oms"))? {
        out.extend(seeds::from_vector_file(&stem, &json)?);
    }
    for (stem, json) in vector_files(&vectors.join("cnotif"))? {
        out.extend(seeds::from_cnotif_file(&stem, &json)?);
    }
    for (stem, json) in vector_files(&vectors.join("push"))? {
        out.extend(seeds::from_push_file(&stem, &json)?);
    }
    Ok(out)
}

fn run() -> Result<(), String> {
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| fuzz_dir.join("corpus"));
    let mut all = vector_seeds(&fuzz_dir.join("../vectors"))?;
    all.extend(seeds::synthetic());
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for seed in &all {
        let dir = out_dir.join(seed.target);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(&seed.name);
        fs::write(&path, &seed.data).map_err(|e| format!("{}: {e}", path.display()))?;
        match counts.iter_mut().find(|(t, _)| *t == seed.target) {
            Some((_, n)) => *n += 1,
            None => counts.push((seed.target, 1)),
        }
    }
    for (target, n) in counts {
        println!("{n:5} seeds in {}", out_dir.join(target).display());
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seed: {e}");
            ExitCode::FAILURE
        }
    }
}
