//! Hostile bodies every mock peer can send when a hostile fault is on: garbage that is never
//! XML, an entity bomb the strict gate must refuse, and a huge streamed body. One source, so
//! every peer tests the harness against the same abuse.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::net::{ResponseBody, ServerResponse};

/// Size of one streamed chunk of the huge body; 1024 of them make 64 MiB.
pub const HUGE_CHUNK: usize = 64 * 1024;
pub const HUGE_CHUNKS: usize = 1024;
pub const GARBAGE_BYTES: usize = 2048;

/// Bytes from a xorshift generator seeded by the clock: different on every call, and starting
/// with NUL, which no XML document may contain, so the body is never well-formed by chance.
pub fn garbage() -> Vec<u8> {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(GARBAGE_BYTES);
    out.push(0);
    while out.len() < GARBAGE_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(GARBAGE_BYTES);
    out
}

/// A SOAP-looking document whose entities expand to about 3 GB (the "billion laughs").
pub fn xml_bomb() -> String {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for level in 1..=9 {
        let refs = format!("&lol{};", level - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{level} \"{refs}\">"));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE Envelope [{dtd}]><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><laughs>&lol9;</laughs></soap:Body></soap:Envelope>"
    )
}

/// A 200 answer with `content_type` whose body is `HUGE_CHUNKS` × `HUGE_CHUNK` spaces,
/// streamed, never held in memory.
pub fn huge(content_type: &str) -> ServerResponse {
    let mut r = ServerResponse::new(
        200,
        vec![("Content-Type".to_string(), content_type.to_string())],
        vec![],
    );
    r.body = ResponseBody::Repeat {
        chunk: vec![b' '; HUGE_CHUNK],
        times: HUGE_CHUNKS,
    };
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::xml::{parse_strict, Limits};
    use wire::Layer;

    #[test]
    fn garbage_is_never_xml() {
        let g = garbage();
        assert_eq!(g.len(), GARBAGE_BYTES);
        assert_eq!(g[0], 0);
        let text = String::from_utf8_lossy(&g);
        assert!(parse_strict(&text, Layer::Envelope, Limits::default()).is_err());
    }

    #[test]
    fn bomb_is_refused_by_the_strict_gate() {
        let bomb = xml_bomb();
        assert!(bomb.contains("<!ENTITY lol9"));
        assert!(parse_strict(&bomb, Layer::Envelope, Limits::default()).is_err());
    }
}
