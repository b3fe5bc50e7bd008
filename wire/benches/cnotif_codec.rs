//! RopNotify NotificationData throughput over the valid vectors of
//! `vectors/cnotif/notification-data.json`: decoding (borrowed fields, no allocation), the
//! strict validator alone (decode and drop), encoding, and beside them, over the very same
//! bytes in the same run, a memory-bound baseline that only reads every byte (a sum). The
//! baseline is what "as fast as the bytes can be looked at" costs on this machine; the ratio of
//! the decoder to it is the figure the README reports.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxconf_wire::binary::parse_hex;
use oxconf_wire::cnotif;
use serde_json::Value;

/// The valid buffers, repeated until the set is about 1 MiB, so one iteration is long enough
/// to time and the working set still fits the caches like a busy response stream would.
fn buffers() -> Vec<Vec<u8>> {
    let doc: Value =
        serde_json::from_str(include_str!("../../vectors/cnotif/notification-data.json"))
            .expect("vector file");
    let valid: Vec<Vec<u8>> = doc["testGroups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["tests"].as_array().expect("tests").iter())
        .filter(|t| t["result"] == "valid")
        .map(|t| parse_hex(t["hex"].as_str().expect("hex")).expect("hex parses"))
        .collect();
    let mut out = Vec::new();
    let mut size = 0;
    while size < 1 << 20 {
        for b in &valid {
            size += b.len();
            out.push(b.clone());
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let set = buffers();
    let bytes: usize = set.iter().map(Vec::len).sum();
    let decoded: Vec<cnotif::NotificationData<'_>> = set
        .iter()
        .map(|b| cnotif::decode(b).expect("valid"))
        .collect();

    let mut g = c.benchmark_group("ropnotify_bytes");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("baseline_sum", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for buf in &set {
                for &x in black_box(buf.as_slice()) {
                    sum = sum.wrapping_add(u64::from(x));
                }
            }
            black_box(sum)
        })
    });
    g.bench_function("decode", |b| {
        b.iter(|| {
            let mut fields = 0usize;
            for buf in &set {
                let n = cnotif::decode(black_box(buf)).expect("valid");
                fields += usize::from(n.folder_id.is_some()) + usize::from(n.table.is_some());
            }
            black_box(fields)
        })
    });
    g.bench_function("encode", |b| {
        let mut out = Vec::with_capacity(bytes);
        b.iter(|| {
            out.clear();
            for n in &decoded {
                n.encode_into(&mut out).expect("encodes");
            }
            black_box(out.len())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("ropnotify_buffers");
    g.throughput(Throughput::Elements(set.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for buf in &set {
                black_box(cnotif::decode(black_box(buf)).is_ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
