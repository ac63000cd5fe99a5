//! The client's address behind reverse proxies.
//!
//! The TCP peer is the client unless it is one of the `trusted_proxies`. A trusted proxy reports
//! who it forwards for in `Forwarded` (RFC 7239, `for=`) or `X-Forwarded-For`, appending to what
//! the request already carried. Everything left of its own entry was written by someone else, so
//! the list is read from the right: the first address that is not a trusted proxy is the client,
//! and whatever it claims further left is not believed. An entry that cannot be read (`unknown`,
//! an obfuscated name, garbage) ends the walk at the proxy that wrote it.
//!
//! A proxy appends to one of the two headers and passes the other through as the client sent it.
//! When a request carries both and they name different clients, one of them is the client's own
//! invention, and neither is believed: the request counts against the proxy.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use actix_web::http::header::{HeaderMap, HeaderName};

use crate::config::{Network, in_any};

const FORWARDED: HeaderName = HeaderName::from_static("forwarded");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The address of the client that sent a request arriving from `peer` with `headers`.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> IpAddr {
    let peer = peer.to_canonical();
    if !in_any(trusted, peer) {
        return peer;
    }
    let forwarded = walk(headers, &FORWARDED, peer, trusted, |element| {
        split_outside_quotes(element, ';').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            name.trim().eq_ignore_ascii_case("for").then_some(value)
        })
    });
    let x_forwarded_for = walk(headers, &X_FORWARDED_FOR, peer, trusted, Some);
    match (forwarded, x_forwarded_for) {
        (Some(one), Some(other)) if one != other => peer,
        (Some(client), _) | (None, Some(client)) => client,
        (None, None) => peer,
    }
}

/// The client according to the header `name` (every line of it, in order, each a
/// comma-separated list of hops), or `None` when the request has no such header. `node` picks
/// a hop's address text out of one element of the list.
fn walk<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
    peer: IpAddr,
    trusted: &[Network],
    node: impl Fn(&'h str) -> Option<&'h str>,
) -> Option<IpAddr> {
    let mut lines = headers.get_all(name).peekable();
    lines.peek()?;
    // Read left to right, remembering what a walk from the right would stop at: the last
    // untrusted hop (the client), or the last unreadable one, and the first trusted hop after
    // it (the proxy nearest to it, which is as far as can be seen past an unreadable hop).
    let mut client = None;
    let mut nearest_proxy = None;
    for line in lines {
        let Ok(line) = line.to_str() else {
            (client, nearest_proxy) = (None, None);
            continue;
        };
        for element in split_outside_quotes(line, ',').filter(|e| !e.trim().is_empty()) {
            match node(element).and_then(node_address) {
                Some(addr) if in_any(trusted, addr) => {
                    nearest_proxy = nearest_proxy.or(Some(addr));
                }
                hop => (client, nearest_proxy) = (hop, None),
            }
        }
    }
    // Every hop trusted: the farthest one sent the request.
    Some(client.or(nearest_proxy).unwrap_or(peer))
}

/// Splits `text` at `separator` except inside double quotes (where `\` escapes a character).
fn split_outside_quotes(text: &str, separator: char) -> impl Iterator<Item = &str> {
    let (mut quoted, mut escaped, mut start) = (false, false, 0);
    let mut ends = text.char_indices().filter_map(move |(i, c)| {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => return Some(i),
            _ => {}
        }
        None
    });
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let end = ends.next().unwrap_or_else(|| {
            done = true;
            text.len()
        });
        let part = &text[start..end];
        start = end + separator.len_utf8();
        Some(part)
    })
}

/// The address in a node as the two headers write it: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`, quoted or not. `None` for anything
/// else (`unknown`, `_hidden`).
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    let node = node.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(node);
    let addr = if let Some(bracketed) = node.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        IpAddr::V6(inside.parse::<Ipv6Addr>().ok()?)
    } else if let Ok(addr) = node.parse::<IpAddr>() {
        addr
    } else {
        let (host, _port) = node.rsplit_once(':')?;
        IpAddr::V4(host.parse::<Ipv4Addr>().ok()?)
    };
    Some(addr.to_canonical())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;

    use super::*;

    fn networks(list: &[&str]) -> Vec<Network> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn client(peer: &str, headers: &[(&str, &str)], trusted: &[&str]) -> String {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
        }
        client_address(peer.parse().unwrap(), &map, &networks(trusted)).to_string()
    }

    const PROXIES: &[&str] = &["10.0.0.0/8", "fd00::/8"];

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let claims = [("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=198.51.100.1")];
        assert_eq!(client("192.0.2.50", &claims, PROXIES), "192.0.2.50");
        assert_eq!(client("10.0.0.2", &claims, &[]), "10.0.0.2", "no proxy is trusted by default");
        assert_eq!(client("::ffff:192.0.2.50", &[], PROXIES), "192.0.2.50");
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        assert_eq!(client("10.0.0.2", &[("x-forwarded-for", "203.0.113.9")], PROXIES), "203.0.113.9");
        // What the client wrote itself sits left of what the proxies appended.
        let forged = [("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.7")];
        assert_eq!(client("10.0.0.2", &forged, PROXIES), "203.0.113.9");
        // Several lines are one list, in order.
        let lines = [("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "203.0.113.9:5000, 10.0.0.7")];
        assert_eq!(client("10.0.0.2", &lines, PROXIES), "203.0.113.9");
        // Only proxies: the farthest one is the client (a call from inside).
        assert_eq!(client("10.0.0.2", &[("x-forwarded-for", "10.9.9.9, 10.0.0.7")], PROXIES), "10.9.9.9");
        // A trusted peer that reports nobody is the client.
        assert_eq!(client("10.0.0.2", &[], PROXIES), "10.0.0.2");
        assert_eq!(client("10.0.0.2", &[("x-forwarded-for", "")], PROXIES), "10.0.0.2");
    }

    #[test]
    fn forwarded_is_read_with_its_syntax() {
        let read = |value: &str| client("10.0.0.2", &[("forwarded", value)], PROXIES);
        assert_eq!(read("for=203.0.113.9"), "203.0.113.9");
        assert_eq!(read("For=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.7;by=10.0.0.2"), "2001:db8:cafe::17");
        assert_eq!(read("for=\"203.0.113.9:8080\""), "203.0.113.9");
        assert_eq!(read("proto=https;for=198.51.100.4;host=x.example"), "198.51.100.4");
        // A quoted comma does not split an element.
        assert_eq!(read("for=\"1.2.3.4, for=5.6.7.8\", for=203.0.113.9"), "203.0.113.9");
        // An unreadable hop: as far as can be seen is the proxy that reported it.
        assert_eq!(read("for=203.0.113.9, for=unknown, for=10.0.0.7"), "10.0.0.7");
        assert_eq!(read("for=_hidden"), "10.0.0.2");
        assert_eq!(read("proto=https"), "10.0.0.2", "an element without for= names nobody");
    }

    #[test]
    fn two_headers_that_disagree_are_both_disbelieved() {
        let both = |forwarded: &str, xff: &str| {
            client("10.0.0.2", &[("forwarded", forwarded), ("x-forwarded-for", xff)], PROXIES)
        };
        assert_eq!(both("for=203.0.113.9", "203.0.113.9"), "203.0.113.9");
        assert_eq!(both("for=1.2.3.4", "203.0.113.9"), "10.0.0.2");
    }

    #[test]
    fn node_addresses_in_every_spelling() {
        for (node, addr) in [
            ("192.0.2.1", "192.0.2.1"),
            ("192.0.2.1:4711", "192.0.2.1"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("\"[2001:db8::1]:4711\"", "2001:db8::1"),
            (" ::ffff:192.0.2.1 ", "192.0.2.1"),
        ] {
            assert_eq!(node_address(node).map(|a| a.to_string()).as_deref(), Some(addr), "{node}");
        }
        for node in ["unknown", "_hidden", "", "[2001:db8::1]x", "example.org:80", "::zz", "1.2.3"] {
            assert_eq!(node_address(node), None, "{node}");
        }
    }
}
