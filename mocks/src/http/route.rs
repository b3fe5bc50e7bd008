//! How a protocol tells its requests apart: a function from the request to a key, the unit a
//! scenario scripts answers and expectations for. Returning `None` sends the request to the
//! fallback answer.

use std::fmt;
use std::sync::Arc;

use wire::soap::{parse_envelope, Body};
use wire::xml::Limits;

use super::exchange::HttpRequest;

type KeyOf = Arc<dyn Fn(&HttpRequest) -> Option<String> + Send + Sync>;

#[derive(Clone)]
pub struct Route(KeyOf);

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Route(..)")
    }
}

impl Route {
    /// Keys from `f`. It is called for every request and every scripted answer it is matched
    /// against, on the server's task: keep it quick and free of side effects.
    pub fn new(f: impl Fn(&HttpRequest) -> Option<String> + Send + Sync + 'static) -> Route {
        Route(Arc::new(f))
    }

    pub fn key(&self, request: &HttpRequest) -> Option<String> {
        (self.0)(request)
    }

    /// The request path (without the query) is the key.
    pub fn by_path() -> Route {
        Route::new(|r| Some(r.path.clone()))
    }

    /// The local name of the SOAP Body's first element (SOAP 1.1 or 1.2), for POSTs; a
    /// request that is not a readable envelope with a body element has no key.
    pub fn by_soap_body_element() -> Route {
        Route::new(|r| {
            if r.method != "POST" {
                return None;
            }
            match parse_envelope(&r.body_text(), Limits::default()).ok()?.body {
                Body::Element(el) => Some(el.name),
                Body::Fault(_) | Body::Empty => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn post(path: &str, body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            path: path.into(),
            query: None,
            headers: vec![],
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn soap_body_element_route() {
        let route = Route::by_soap_body_element();
        let body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
                    <m:SendNotification xmlns:m=\"urn:x\"/></s:Body></s:Envelope>";
        assert_eq!(
            route.key(&post("/push", body)).as_deref(),
            Some("SendNotification")
        );
        assert_eq!(route.key(&post("/push", "not xml")), None);
        let mut get = post("/push", body);
        get.method = "GET".into();
        assert_eq!(route.key(&get), None);
    }

    #[test]
    fn path_route() {
        assert_eq!(
            Route::by_path().key(&post("/a/b", "")).as_deref(),
            Some("/a/b")
        );
    }
}
