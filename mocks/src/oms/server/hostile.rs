//! The hostile faults: answers no conformant client can use, for robustness scenarios.

use crate::hostile::{garbage, huge, xml_bomb};
use crate::net::{Behaviour, ServerResponse};

use super::faults::Faults;

fn text_xml() -> Vec<(String, String)> {
    vec![(
        "Content-Type".to_string(),
        "text/xml; charset=utf-8".to_string(),
    )]
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
        return Some(huge("text/xml; charset=utf-8"));
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

    #[test]
    fn no_hostile_fault_no_answer() {
        assert!(answer(&Faults::none()).is_none());
    }
}
