//! The hostile faults: answers no conformant client can use, for robustness scenarios.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::net::{Behaviour, ResponseBody, ServerResponse};

use super::faults::Faults;

/// Size of one streamed chunk of the huge body; 1024 of them make 64 MiB.
const HUGE_CHUNK: usize = 64 * 1024;
const HUGE_CHUNKS: usize = 1024;
const GARBAGE_BYTES: usize = 2048;

fn text_xml() -> Vec<(String, String)> {
    vec![(
        "Content-Type".to_string(),
        "text/xml; charset=utf-8".to_string(),
    )]
}

/// Bytes from a xorshift generator seeded by the clock: different on every call, and starting
/// with NUL, which no XML document may contain, so the body is never well-formed by chance.
fn garbage() -> Vec<u8> {
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
fn xml_bomb() -> String {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for level in 1..=9 {
        let refs = format!("&lol{};", level - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{level} \"{refs}\">"));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE Envelope [{dtd}]><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><laughs>&lol9;</laughs></soap:Body></soap:Envelope>"
    )
}

/// The hostile answer if one of those faults is on.
pub(crate) fn answer(faults: &Faults) -> Option<ServerResponse> {
    if faults.on("hang") {
        return Some(ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Hang));
    }
    if faults.on("reset") {
        return Some(ServerResponse::new(200, vec![], vec![]).with_behaviour(Behaviour::Reset));
    }
    if faults.on("garbage") {
        return Some(ServerResponse::new(200, text_xml(), garbage()));
    }
    if faults.on("huge-body") {
        let mut r = ServerResponse::new(200, text_xml(), vec![]);
        r.body = ResponseBody::Repeat {
            chunk: vec![b' '; HUGE_CHUNK],
            times: HUGE_CHUNKS,
        };
        return Some(r);
    }
    if faults.on("xml-bomb") {
        return Some(ServerResponse::new(
            200,
            text_xml(),
            xml_bomb().into_bytes(),
        ));
    }
    None
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

    #[test]
    fn no_hostile_fault_no_answer() {
        assert!(answer(&Faults::none()).is_none());
    }
}
