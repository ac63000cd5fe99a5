//! The HTTP client that sends webhook attempts, and one attempt.
//!
//! Every setting here is there because the other side is chosen by a subscriber, not by us:
//! redirects are not followed (a redirect could lead past the SSRF guard, and a receiver that
//! moved should update its URL), no proxy from the environment is used (a proxy would resolve
//! the name itself, out of the guard's sight), every address goes through the
//! [`GuardedResolver`], and only the first bytes of an answer are read.

use std::error::Error as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::redirect;

use crate::config::WebhookConfig;
use crate::error::AppError;
use crate::webhooks::retry::{Outcome, parse_retry_after};
use crate::webhooks::target::{GuardedResolver, TargetPolicy, check_url};

/// Sent with every attempt, so that a receiver's logs say who calls and with which version.
pub const USER_AGENT: &str = concat!("fairhire-webhooks/", env!("CARGO_PKG_VERSION"));

/// Longest error description kept for an attempt; the start says what happened.
const MAX_ERROR_CHARS: usize = 500;

/// The client for webhook attempts, built once and shared: it keeps connections open between
/// attempts to the same receiver.
pub fn build_client(config: &WebhookConfig) -> Result<reqwest::Client, String> {
    let policy = TargetPolicy::from(config);
    reqwest::Client::builder()
        .use_rustls_tls()
        .https_only(!policy.allow_private)
        .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
        .timeout(Duration::from_millis(config.timeout_ms))
        .redirect(redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver::new(policy)))
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| format!("cannot build the webhook client: {e}"))
}

/// The Standard Webhooks headers of one message.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryHeaders<'a> {
    /// `webhook-id`: the message's id, the same on every attempt, so receivers can drop repeats.
    pub id: &'a str,
    /// `webhook-timestamp`: when this attempt was signed, in Unix seconds.
    pub timestamp: i64,
    /// `webhook-signature`, from [`crate::webhooks::signing::signature_header`].
    pub signature: &'a str,
}

/// What one attempt came to, as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResult {
    /// The answer's status; `None` when there was no answer (refused, unreachable, timed out).
    pub status: Option<u16>,
    /// From sending to the end of reading the answer (or the failure), in milliseconds.
    pub latency_ms: i64,
    /// What went wrong, for the subscription's owner: no URL, header or secret in it.
    pub error: Option<String>,
    /// The receiver's `Retry-After`, when it sent a readable one.
    pub retry_after: Option<Duration>,
}

impl AttemptResult {
    pub fn outcome(&self) -> Outcome {
        Outcome::from_status(self.status)
    }

    fn failed(started: Instant, error: String) -> AttemptResult {
        AttemptResult { status: None, latency_ms: elapsed_ms(started), error: Some(clip(error)), retry_after: None }
    }
}

/// Sends one attempt: POSTs `body` as JSON to `url` with the Standard Webhooks headers, and
/// reads no more of the answer than about `max_response_bytes` (reading stops once that much
/// has come). The URL is checked against `policy` first: an address written in the URL never
/// reaches the resolver, so this is where it is judged. Never panics; every failure is in
/// the result.
pub async fn post(
    client: &reqwest::Client,
    policy: &TargetPolicy,
    url: &str,
    headers: &DeliveryHeaders<'_>,
    body: Vec<u8>,
    max_response_bytes: usize,
) -> AttemptResult {
    let started = Instant::now();
    let url = match check_url(url, policy) {
        Ok(url) => url,
        Err(refusal) => return AttemptResult::failed(started, format!("the target is refused: {}", reason(&refusal))),
    };
    let request = client
        .post(url)
        .header("webhook-id", headers.id)
        .header("webhook-timestamp", headers.timestamp.to_string())
        .header("webhook-signature", headers.signature)
        .header(CONTENT_TYPE, "application/json")
        .body(body);
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => return AttemptResult::failed(started, describe(e)),
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, chrono::Utc::now()));
    let mut read = 0usize;
    let mut error = None;
    while read < max_response_bytes {
        match response.chunk().await {
            Ok(Some(chunk)) => read = read.saturating_add(chunk.len()),
            Ok(None) => break,
            Err(e) => {
                error = Some(clip(format!("reading the answer: {}", describe(e))));
                break;
            }
        }
    }
    // Dropping the response closes the connection if the answer was not read to its end.
    drop(response);
    AttemptResult { status: Some(status), latency_ms: elapsed_ms(started), error, retry_after }
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// The messages of a refused target, without the problem document around them.
fn reason(err: &AppError) -> String {
    match err {
        AppError::Validation(errors) => {
            errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// A transport error in words: its kind, then its causes. The URL is taken out first, since its
/// query may hold a token the receiver gave its subscriber.
fn describe(err: reqwest::Error) -> String {
    let err = err.without_url();
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_builder() {
        "could not build the request"
    } else if err.is_body() || err.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    let mut causes: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Layers often repeat their inner error's words; say them once.
        if !causes.last().is_some_and(|last| last.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    if causes.is_empty() { kind.to_owned() } else { format!("{kind}: {}", causes.join(": ")) }
}

fn clip(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_ERROR_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Mutex;

    use super::*;

    /// A receiver on 127.0.0.1 that answers by path, and the requests it saw (request line and
    /// headers, lower-cased names).
    struct Receiver {
        port: u16,
        seen: Arc<Mutex<Vec<Vec<String>>>>,
    }

    impl Receiver {
        fn start() -> Receiver {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let record = seen.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let record = record.clone();
                    std::thread::spawn(move || answer(stream, &record));
                }
            });
            Receiver { port, seen }
        }

        fn url(&self, path: &str) -> String {
            format!("http://127.0.0.1:{}{path}", self.port)
        }

        fn paths(&self) -> Vec<String> {
            self.seen.lock().unwrap().iter().map(|request| request[0].clone()).collect()
        }
    }

    fn answer(stream: TcpStream, seen: &Mutex<Vec<Vec<String>>>) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut lines = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            lines.push(line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let target = lines[0].split(' ').nth(1).unwrap_or("");
        let path = target.split('?').next().unwrap_or("").to_owned();
        seen.lock().unwrap().push(lines);
        let mut stream = stream;
        let head = |status: &str, extra: &str, length: usize| {
            format!("HTTP/1.1 {status}\r\n{extra}content-length: {length}\r\nconnection: close\r\n\r\n")
        };
        let _ = match path.as_str() {
            "/ok" => stream.write_all(format!("{}fine", head("200 OK", "", 4)).as_bytes()),
            "/moved" => stream.write_all(head("302 Found", "location: /elsewhere\r\n", 0).as_bytes()),
            "/busy" => stream.write_all(head("503 Service Unavailable", "retry-after: 120\r\n", 0).as_bytes()),
            "/gone" => stream.write_all(head("410 Gone", "", 0).as_bytes()),
            "/huge" => {
                // A gigabyte announced and sent until the client hangs up.
                let mut result = stream.write_all(head("200 OK", "", 1 << 30).as_bytes());
                let block = vec![b'x'; 64 * 1024];
                while result.is_ok() {
                    result = stream.write_all(&block);
                }
                result
            }
            "/silent" => {
                std::thread::sleep(Duration::from_secs(5));
                Ok(())
            }
            _ => stream.write_all(head("404 Not Found", "", 0).as_bytes()),
        };
    }

    fn config(allow_private: bool) -> WebhookConfig {
        WebhookConfig { allow_private_targets: allow_private, timeout_ms: 2_000, ..WebhookConfig::default() }
    }

    const LOOSE: TargetPolicy = TargetPolicy { allow_private: true };
    const STRICT: TargetPolicy = TargetPolicy { allow_private: false };
    const HEADERS: DeliveryHeaders<'static> =
        DeliveryHeaders { id: "msg_01", timestamp: 1_767_225_600, signature: "v1,c2lnbmF0dXJl" };

    async fn send(client: &reqwest::Client, policy: &TargetPolicy, url: &str) -> AttemptResult {
        post(client, policy, url, &HEADERS, br#"{"type":"ping"}"#.to_vec(), 1024).await
    }

    #[tokio::test]
    async fn a_2xx_is_a_delivery_and_carries_the_standard_headers() {
        let receiver = Receiver::start();
        let client = build_client(&config(true)).unwrap();
        let result = send(&client, &LOOSE, &receiver.url("/ok")).await;
        assert_eq!(result.status, Some(200), "{result:?}");
        assert_eq!(result.error, None);
        assert_eq!(result.outcome(), Outcome::Delivered);
        let seen = receiver.seen.lock().unwrap()[0].join("\n").to_ascii_lowercase();
        for expected in [
            "post /ok http/1.1",
            "webhook-id: msg_01",
            "webhook-timestamp: 1767225600",
            "webhook-signature: v1,c2lnbmF0dXJl",
            "content-type: application/json",
            "content-length: 15",
            &format!("user-agent: fairhire-webhooks/{}", env!("CARGO_PKG_VERSION")),
        ] {
            assert!(seen.contains(&expected.to_ascii_lowercase()), "{expected} not in\n{seen}");
        }
    }

    #[tokio::test]
    async fn a_redirect_is_not_followed() {
        let receiver = Receiver::start();
        let client = build_client(&config(true)).unwrap();
        let result = send(&client, &LOOSE, &receiver.url("/moved")).await;
        assert_eq!(result.status, Some(302));
        assert_eq!(result.outcome(), Outcome::Retry);
        assert_eq!(receiver.paths(), ["POST /moved HTTP/1.1"], "the location was not requested");
    }

    #[tokio::test]
    async fn a_huge_answer_is_cut_off_at_the_cap_without_an_error() {
        let receiver = Receiver::start();
        let client = build_client(&config(true)).unwrap();
        let result = send(&client, &LOOSE, &receiver.url("/huge")).await;
        assert_eq!(result.status, Some(200), "{result:?}");
        assert_eq!(result.error, None);
        assert!(result.latency_ms < 2_000, "the answer was not read to its end: {result:?}");
    }

    #[tokio::test]
    async fn retry_after_and_gone_are_reported() {
        let receiver = Receiver::start();
        let client = build_client(&config(true)).unwrap();
        let busy = send(&client, &LOOSE, &receiver.url("/busy")).await;
        assert_eq!((busy.status, busy.retry_after), (Some(503), Some(Duration::from_secs(120))));
        assert_eq!(busy.outcome(), Outcome::Retry);
        let gone = send(&client, &LOOSE, &receiver.url("/gone")).await;
        assert_eq!(gone.outcome(), Outcome::Disable);
    }

    #[tokio::test]
    async fn a_receiver_that_does_not_answer_times_out() {
        let receiver = Receiver::start();
        let quick = WebhookConfig { timeout_ms: 300, ..config(true) };
        let client = build_client(&quick).unwrap();
        let result = send(&client, &LOOSE, &receiver.url("/silent?token=abc123")).await;
        assert_eq!(result.status, None);
        let error = result.error.unwrap();
        assert!(error.starts_with("timed out"), "{error}");
        assert!(!error.contains("abc123") && !error.contains("127.0.0.1"), "no URL in errors: {error}");
        assert_eq!(result.latency_ms / 1000, 0);
    }

    #[tokio::test]
    async fn a_loopback_target_is_refused_unless_private_targets_are_allowed() {
        let receiver = Receiver::start();
        let client = build_client(&config(false)).unwrap();
        for url in [receiver.url("/ok"), receiver.url("/ok").replace("http:", "https:")] {
            let result = send(&client, &STRICT, &url).await;
            assert_eq!(result.status, None);
            let error = result.error.unwrap();
            assert!(error.starts_with("the target is refused: url must"), "{error}");
        }
        assert!(receiver.paths().is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused_when_connecting() {
        // The URL check is passed (as a name that pointed elsewhere when registered would pass
        // it); the client's resolver still refuses the address it resolves to now.
        let receiver = Receiver::start();
        let client = build_client(&WebhookConfig { allow_private_targets: false, ..config(false) }).unwrap();
        let url = format!("https://localhost:{}/ok", receiver.port);
        let result = send(&client, &LOOSE, &url).await;
        assert_eq!(result.status, None);
        let error = result.error.unwrap();
        assert!(error.starts_with("could not connect") && error.contains("not public"), "{error}");
        assert!(receiver.paths().is_empty());
    }

    #[test]
    fn long_errors_are_clipped_on_a_character_boundary() {
        let clipped = clip("é".repeat(2 * MAX_ERROR_CHARS));
        assert_eq!(clipped.chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(clip("short".into()), "short");
    }
}
