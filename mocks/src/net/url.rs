//! A tiny URL reader for the two schemes the suite speaks (http, https).
//!
//! Endpoints come from profiles and from peers (a serviceUri advertised by a server under
//! test), so the reader refuses anything it could misread instead of guessing: user info,
//! whitespace, control characters, empty hosts and port 0.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: Scheme,
    /// Host name or IP literal; IPv6 literals are kept without brackets.
    pub host: String,
    pub port: u16,
    /// Origin-form request target: always starts with '/', fragment removed.
    pub path_and_query: String,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint, String> {
        if let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!(
                "URL contains a forbidden character {bad:?}: {url:?}"
            ));
        }
        let (scheme, rest) = split_scheme(url)?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(format!(
                "user information in URLs is not supported: {url:?}"
            ));
        }
        let (host, port) = split_host_port(authority, scheme)?;
        let without_fragment = tail.split('#').next().unwrap_or("");
        let path_and_query = if without_fragment.is_empty() {
            "/".to_string()
        } else if without_fragment.starts_with('?') {
            format!("/{without_fragment}")
        } else {
            without_fragment.to_string()
        };
        Ok(Endpoint {
            scheme,
            host,
            port,
            path_and_query,
        })
    }

    /// The Host header value: the port is left out when it is the scheme's default.
    pub fn authority(&self) -> String {
        let host = self.bracketed_host();
        if self.port == self.scheme.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// "host:port" for connecting, port always present.
    pub fn host_port(&self) -> String {
        format!("{}:{}", self.bracketed_host(), self.port)
    }

    fn bracketed_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }
}

/// A URL the user wrote (a profile's `target.url`), parsed once: connections use the endpoint,
/// reports show the text as written (normalising it would make a user's URL look changed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserUrl {
    text: String,
    endpoint: Endpoint,
}

impl UserUrl {
    pub fn parse(text: &str) -> Result<UserUrl, String> {
        Ok(UserUrl {
            endpoint: Endpoint::parse(text)?,
            text: text.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn is_https(&self) -> bool {
        self.endpoint.scheme == Scheme::Https
    }
}

impl fmt::Display for UserUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme.as_str(),
            self.authority(),
            self.path_and_query
        )
    }
}

fn split_scheme(url: &str) -> Result<(Scheme, &str), String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("URL has no scheme: {url:?}"));
    };
    let scheme = if scheme.eq_ignore_ascii_case("http") {
        Scheme::Http
    } else if scheme.eq_ignore_ascii_case("https") {
        Scheme::Https
    } else {
        return Err(format!(
            "unsupported URL scheme {scheme:?} (only http and https)"
        ));
    };
    Ok((scheme, rest))
}

fn split_host_port(authority: &str, scheme: Scheme) -> Result<(String, u16), String> {
    let (host, port_text) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((v6, after)) = inner.split_once(']') else {
            return Err(format!("unterminated IPv6 literal in {authority:?}"));
        };
        if v6.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("invalid IPv6 literal {v6:?}"));
        }
        let port = match after {
            "" => None,
            p => match p.strip_prefix(':') {
                Some(p) => Some(p),
                None => return Err(format!("unexpected text after IPv6 literal: {after:?}")),
            },
        };
        (v6.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err("URL has an empty host".to_string());
    }
    if host.contains(':') && !authority.starts_with('[') {
        return Err(format!("IPv6 hosts need brackets: {authority:?}"));
    }
    let port = match port_text {
        None | Some("") => scheme.default_port(),
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => return Err(format!("invalid port {p:?}")),
            Ok(n) => n,
        },
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("http://127.0.0.1:8080/oms", Scheme::Http, "127.0.0.1", 8080, "/oms")]
    #[case("https://example.com", Scheme::Https, "example.com", 443, "/")]
    #[case(
        "HTTPS://example.com:8443?x=1",
        Scheme::Https,
        "example.com",
        8443,
        "/?x=1"
    )]
    #[case("http://[::1]:99/a/b?c#frag", Scheme::Http, "::1", 99, "/a/b?c")]
    #[case("http://host:/p", Scheme::Http, "host", 80, "/p")]
    fn parses(
        #[case] url: &str,
        #[case] scheme: Scheme,
        #[case] host: &str,
        #[case] port: u16,
        #[case] path: &str,
    ) {
        let ep = Endpoint::parse(url).unwrap();
        assert_eq!(ep.scheme, scheme);
        assert_eq!(ep.host, host);
        assert_eq!(ep.port, port);
        assert_eq!(ep.path_and_query, path);
    }

    #[rstest]
    #[case("ftp://x/")]
    #[case("example.com/oms")]
    #[case("http:///oms")]
    #[case("http://user:pw@host/")]
    #[case("http://host:0/")]
    #[case("http://host:70000/")]
    #[case("http://ho st/")]
    #[case("http://[::1/")]
    #[case("http://::1/")]
    #[case("http://[zz]/")]
    #[case("http://host/a\r\nX: y")]
    fn rejects(#[case] url: &str) {
        assert!(Endpoint::parse(url).is_err(), "{url} should be rejected");
    }

    #[rstest]
    #[case("http://127.0.0.1:8080/oms")]
    #[case("https://example.com/")]
    #[case("http://[::1]:99/a?b")]
    fn display_round_trips(#[case] url: &str) {
        let ep = Endpoint::parse(url).unwrap();
        assert_eq!(ep.to_string(), url);
        assert_eq!(Endpoint::parse(&ep.to_string()).unwrap(), ep);
    }

    #[rstest]
    #[case("https://example.com/", "example.com", "example.com:443")]
    #[case("http://example.com:81/", "example.com:81", "example.com:81")]
    #[case("http://[::1]/", "[::1]", "[::1]:80")]
    fn authority_and_host_port(#[case] url: &str, #[case] authority: &str, #[case] hp: &str) {
        let ep = Endpoint::parse(url).unwrap();
        assert_eq!(ep.authority(), authority);
        assert_eq!(ep.host_port(), hp);
    }
}
