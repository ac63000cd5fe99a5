//! The SSRF guard: webhooks go to the public internet only.
//!
//! A subscriber chooses the URL we POST to, so without a guard it could make us reach what only
//! we can reach: the cloud metadata service (169.254.169.254), the database, an admin port on
//! localhost. Two checks keep that out:
//!
//! - [`check_url`] when a URL is registered and again before each attempt: the shape of the URL,
//!   and its host when that is an address (an address in the URL is never resolved, so the
//!   resolver below does not see it).
//! - [`GuardedResolver`] when connecting: every address a host name resolves to is checked, and
//!   the connection is made only to the ones that passed. Checking at registration alone would
//!   not do: the name's owner can point it at 127.0.0.1 afterwards (DNS rebinding).
//!
//! Both are relaxed by [`TargetPolicy::allow_private`] for tests and local demos.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::config::WebhookConfig;
use crate::error::{AppError, AppResult};

/// Longest target URL accepted, in characters: more than any real endpoint needs, and short
/// enough to store and show.
pub const MAX_URL_LEN: usize = 2000;

/// Which targets may be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetPolicy {
    /// Also plain `http`, and addresses that are not public (loopback, private, link-local...).
    pub allow_private: bool,
}

impl From<&WebhookConfig> for TargetPolicy {
    fn from(config: &WebhookConfig) -> Self {
        TargetPolicy { allow_private: config.allow_private_targets }
    }
}

/// Checks a target URL and returns it parsed. Refusals are validation errors on the field `url`,
/// each saying which rule the URL breaks.
pub fn check_url(raw: &str, policy: &TargetPolicy) -> AppResult<Url> {
    let refuse = |message: String| AppError::field("url", message);
    if raw.chars().count() > MAX_URL_LEN {
        return Err(refuse(format!("must be at most {MAX_URL_LEN} characters")));
    }
    let url = Url::parse(raw).map_err(|e| refuse(format!("must be an absolute http or https URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_private => {}
        "http" => return Err(refuse("must use https".into())),
        other => return Err(refuse(format!("must use https, not {other}"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in the URL would be stored and shown with it; receivers authenticate us
        // by the signature instead.
        return Err(refuse("must not contain a user name or password".into()));
    }
    if !policy.allow_private {
        let address = match url.host() {
            Some(Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            Some(Host::Domain(name)) => {
                // RFC 6761: these names are loopback wherever they are resolved. Refusing them
                // here gives a clearer answer than a failed delivery later.
                let name = name.trim_end_matches('.');
                if name.eq_ignore_ascii_case("localhost") || name.to_ascii_lowercase().ends_with(".localhost") {
                    return Err(refuse("must not point to this machine (localhost)".into()));
                }
                None
            }
            None => return Err(refuse("must name a host".into())),
        };
        if let Some(address) = address.filter(|a| !is_public(*a)) {
            return Err(refuse(format!("must point to a public address, not {address}")));
        }
    }
    Ok(url)
}

/// Whether `ip` is an address on the public internet. Everything else — this machine, private
/// and carrier-grade NAT networks, link-local (cloud metadata), multicast, documentation and
/// reserved ranges — is not, including when it is wrapped in an IPv6 address (IPv4-mapped,
/// IPv4-compatible, NAT64, 6to4), since the connection would reach the IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, network: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(network)) & mask
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    // IANA's special-purpose registry, less the few entries that are globally reachable but
    // never a webhook receiver (refused as well, to keep the list short and safe).
    const NOT_PUBLIC: [([u8; 4], u32); 15] = [
        ([0, 0, 0, 0], 8),       // "this network", and 0.0.0.0 which reaches this machine
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // carrier-grade NAT
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local, where cloud metadata services answer
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast (deprecated)
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
        ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
        ([224, 0, 0, 0], 4),     // multicast
        ([240, 0, 0, 0], 4),     // reserved, and the broadcast address 255.255.255.255
    ];
    !NOT_PUBLIC.iter().any(|(network, prefix)| in_v4(ip, *network, *prefix))
}

fn in_v6(ip: Ipv6Addr, network: Ipv6Addr, prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    u128::from(ip) & mask == u128::from(network) & mask
}

/// The IPv4 address in the last 32 bits of `ip`.
fn low_v4(ip: Ipv6Addr) -> Ipv4Addr {
    let [.., a, b, c, d] = ip.octets();
    Ipv4Addr::new(a, b, c, d)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let v6 = |a: u16, b: u16, c: u16| Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0);
    if ip.is_unspecified() || ip.is_loopback() {
        return false;
    }
    // Prefixes whose last 32 bits are the IPv4 address the packets end up at: judge that one.
    const CARRY_V4: [Ipv6Addr; 3] = [
        Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0),    // IPv4-mapped
        Ipv6Addr::UNSPECIFIED,                         // IPv4-compatible (deprecated)
        Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), // NAT64, well-known prefix
    ];
    if CARRY_V4.iter().any(|prefix| in_v6(ip, *prefix, 96)) {
        return is_public_v4(low_v4(ip));
    }
    if in_v6(ip, v6(0x2002, 0, 0), 16) {
        // 6to4: the IPv4 address is in bits 16 to 48.
        let [_, _, a, b, c, d, ..] = ip.octets();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    // Only global unicast (2000::/3) is public; that leaves out unique-local fc00::/7,
    // link-local fe80::/10, multicast ff00::/8, NAT64 local-use 64:ff9b:1::/48, discard-only
    // 100::/64 and the unassigned space. Within it, these are not public either:
    const NOT_PUBLIC: [(Ipv6Addr, u32); 3] = [
        // IETF protocol assignments: Teredo (which hides an IPv4 address), benchmarking, ORCHID.
        (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23),
        (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32), // documentation
        (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20),     // documentation (RFC 9637)
    ];
    in_v6(ip, v6(0x2000, 0, 0), 3) && !NOT_PUBLIC.iter().any(|(network, prefix)| in_v6(ip, *network, *prefix))
}

/// The resolver of the webhook client: resolves with the system's resolver, then keeps only the
/// public addresses (unless the policy allows private ones). The client connects to what it
/// returns, so the check and the connection see the same addresses.
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver {
    pub policy: TargetPolicy,
}

impl GuardedResolver {
    pub fn new(policy: TargetPolicy) -> Self {
        GuardedResolver { policy }
    }

    /// The addresses `host` may be reached at, or why there are none.
    pub async fn lookup(&self, host: &str) -> Result<Vec<SocketAddr>, String> {
        // Port 0: the client puts the URL's port in.
        let found: Vec<SocketAddr> =
            tokio::net::lookup_host((host, 0)).await.map_err(|e| format!("cannot resolve {host}: {e}"))?.collect();
        let allowed: Vec<SocketAddr> =
            found.iter().copied().filter(|a| self.policy.allow_private || is_public(a.ip())).collect();
        if allowed.is_empty() {
            return Err(if found.is_empty() {
                format!("{host} has no address")
            } else {
                format!("{host} resolves only to addresses that are not public; webhooks are sent to the internet only")
            });
        }
        Ok(allowed)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.clone();
        Box::pin(async move {
            let addresses = resolver.lookup(name.as_str()).await?;
            let addrs: Addrs = Box::new(addresses.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: TargetPolicy = TargetPolicy { allow_private: false };
    const LOOSE: TargetPolicy = TargetPolicy { allow_private: true };

    #[test]
    fn addresses_are_classified() {
        let table: &[(&str, bool)] = &[
            // public
            ("8.8.8.8", true),
            ("1.1.1.1", true),
            ("93.184.216.34", true),
            ("100.63.255.255", true),
            ("100.128.0.0", true),
            ("172.15.255.255", true),
            ("172.32.0.0", true),
            ("192.167.255.255", true),
            ("223.255.255.255", true),
            ("2606:4700:4700::1111", true),
            ("2a00:1450:4001:80b::200e", true),
            ("::ffff:8.8.8.8", true),
            ("64:ff9b::808:808", true),
            ("2002:808:808::1", true),
            // this machine and "this network"
            ("127.0.0.1", false),
            ("127.255.255.254", false),
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("::1", false),
            ("::", false),
            // private and carrier-grade NAT
            ("10.0.0.1", false),
            ("10.255.255.255", false),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("192.168.1.1", false),
            ("100.64.0.1", false),
            ("100.127.255.255", false),
            // link-local, cloud metadata
            ("169.254.169.254", false),
            ("fe80::1", false),
            ("febf:ffff::1", false),
            // unique-local
            ("fc00::1", false),
            ("fd12:3456:789a::1", false),
            // multicast and broadcast
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("255.255.255.255", false),
            ("240.0.0.1", false),
            ("ff02::1", false),
            // documentation and benchmarking
            ("192.0.2.10", false),
            ("198.51.100.7", false),
            ("203.0.113.200", false),
            ("198.18.0.1", false),
            ("192.0.0.170", false),
            ("2001:db8::1", false),
            ("3fff::1", false),
            // IPv4 inside IPv6
            ("::ffff:127.0.0.1", false),
            ("::ffff:169.254.169.254", false),
            ("::ffff:10.1.2.3", false),
            ("::127.0.0.1", false),
            ("::10.0.0.1", false),
            ("64:ff9b::127.0.0.1", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("64:ff9b::192.168.0.1", false),
            ("64:ff9b:1::1", false),
            ("2002:7f00:1::1", false),
            ("2002:a00:1::", false),
            ("2001::1", false),
            ("100::1", false),
        ];
        for (text, public) in table {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(is_public(ip), *public, "{text}");
        }
    }

    fn refusal(raw: &str, policy: &TargetPolicy) -> String {
        let err = check_url(raw, policy).unwrap_err();
        let problem = err.to_problem(None);
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field, "url");
        errors[0].message.clone()
    }

    #[test]
    fn a_public_https_url_is_accepted() {
        let url = check_url("https://hooks.example.com/fairhire?source=1", &STRICT).unwrap();
        assert_eq!(url.host_str(), Some("hooks.example.com"));
        check_url("https://93.184.216.34:8443/in", &STRICT).unwrap();
        check_url("https://[2606:4700:4700::1111]/in", &STRICT).unwrap();
    }

    #[test]
    fn urls_breaking_a_rule_are_refused_saying_which() {
        assert!(refusal("/hooks", &STRICT).contains("absolute"));
        assert!(refusal("not a url", &STRICT).contains("absolute"));
        assert!(refusal("http://hooks.example.com/", &STRICT).contains("https"));
        assert!(refusal("ftp://hooks.example.com/", &LOOSE).contains("not ftp"));
        assert!(refusal("file:///etc/passwd", &LOOSE).contains("not file"));
        assert!(refusal("https://user:pw@hooks.example.com/", &STRICT).contains("user name"));
        assert!(refusal("https://user@hooks.example.com/", &LOOSE).contains("user name"));
        let long = format!("https://hooks.example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(refusal(&long, &LOOSE).contains("2000"));
    }

    #[test]
    fn addresses_that_are_not_public_are_refused_in_any_spelling() {
        for raw in [
            "https://127.0.0.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.8:8080/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[fd00::1]/",
            // The URL parser reads these as 127.0.0.1, and so would a connection.
            "https://2130706433/",
            "https://0x7f.0.0.1/",
            "https://127.1/",
            "https://0/",
            "https://localhost/",
            "https://LocalHost./",
            "https://api.localhost/",
        ] {
            let message = refusal(raw, &STRICT);
            assert!(message.contains("public") || message.contains("localhost"), "{raw}: {message}");
        }
    }

    #[test]
    fn allowing_private_targets_allows_http_and_local_addresses() {
        for raw in ["http://127.0.0.1:8080/hook", "https://localhost/", "http://[::1]/", "http://10.0.0.8/"] {
            check_url(raw, &LOOSE).unwrap();
        }
    }

    #[tokio::test]
    async fn the_resolver_drops_addresses_that_are_not_public() {
        let err = GuardedResolver::new(STRICT).lookup("localhost").await.unwrap_err();
        assert!(err.contains("not public"), "{err}");
        let found = GuardedResolver::new(LOOSE).lookup("localhost").await.unwrap();
        assert!(found.iter().all(|a| a.ip().is_loopback()), "{found:?}");
        // An address given as a name is resolved to itself, and judged the same way.
        assert!(GuardedResolver::new(STRICT).lookup("10.1.2.3").await.is_err());
        let public = GuardedResolver::new(STRICT).lookup("8.8.8.8").await.unwrap();
        assert_eq!(public, vec!["8.8.8.8:0".parse::<SocketAddr>().unwrap()]);
    }
}
