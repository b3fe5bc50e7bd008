//! Where a listener binds and the URL a system under test is told to call, kept apart.
//!
//! They differ as soon as a real SUT calls back: a listener bound to 0.0.0.0 in a container
//! is reached as `https://runner.example:8443`, behind NAT or a port forward the port
//! differs, behind a reverse proxy even the scheme does. A peer binds `bind` and hands out
//! `advertise`; without `advertise` the URL is derived from the bound address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::url::Scheme;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    /// The local address to bind; port 0 picks a free one.
    pub bind: SocketAddr,
    /// The base URL (scheme, host, port, and an optional path prefix; no trailing slash)
    /// handed to the SUT. It is not checked against `bind`: a proxy or a port forward may sit
    /// between them.
    pub advertise: Option<String>,
}

impl Default for Listen {
    /// Loopback, any free port, the URL derived from it.
    fn default() -> Self {
        Listen {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            advertise: None,
        }
    }
}

impl Listen {
    /// Binds `bind`, the URL derived from it.
    pub fn on(bind: SocketAddr) -> Listen {
        Listen {
            bind,
            advertise: None,
        }
    }

    /// Hands out `url` instead of the derived one (a trailing slash is dropped).
    pub fn advertise(mut self, url: &str) -> Listen {
        self.advertise = Some(url.trim_end_matches('/').to_owned());
        self
    }

    /// The URL to hand out once bound to `bound`.
    pub fn url(&self, scheme: Scheme, bound: SocketAddr) -> String {
        match &self.advertise {
            Some(url) => url.clone(),
            None => format!("{}://{}", scheme.as_str(), reachable(bound)),
        }
    }
}

/// The address a local client uses for `addr`: an unspecified address (0.0.0.0, ::) is
/// reached over loopback.
pub fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_url_follows_the_bound_address_and_scheme() {
        let l = Listen::default();
        let bound = SocketAddr::from(([127, 0, 0, 1], 4711));
        assert_eq!(l.url(Scheme::Http, bound), "http://127.0.0.1:4711");
        assert_eq!(l.url(Scheme::Https, bound), "https://127.0.0.1:4711");
        let any = SocketAddr::from(([0, 0, 0, 0], 8080));
        assert_eq!(
            Listen::on(any).url(Scheme::Http, any),
            "http://127.0.0.1:8080"
        );
        let any6: SocketAddr = "[::]:8080".parse().unwrap();
        assert_eq!(
            Listen::on(any6).url(Scheme::Http, any6),
            "http://[::1]:8080"
        );
    }

    #[test]
    fn advertised_url_wins() {
        let l = Listen::default().advertise("https://runner.example:8443/cb/");
        let bound = SocketAddr::from(([127, 0, 0, 1], 4711));
        assert_eq!(l.url(Scheme::Http, bound), "https://runner.example:8443/cb");
    }
}
