//! A webhook receiver: a real HTTP server on 127.0.0.1 that records every request it gets (its
//! headers and body) and answers as the test scripted it.

use std::collections::{HashMap, VecDeque};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::Value;

/// How long a test waits for something to arrive before it fails.
pub const ARRIVAL_DEADLINE: Duration = Duration::from_secs(20);

/// One answer of the receiver.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// This status, at once.
    Status(u16),
    /// This status with `Retry-After: <seconds>`.
    RetryAfter(u16, u64),
    /// A 200 after this long: a receiver that hangs (or is slow) mid-delivery.
    HangThenOk(Duration),
}

/// A request as the receiver got it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// The status it was answered with (for a hanging answer, the one it gets at the end).
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or_else(|| panic!("no {name} header in {self:?}"))
    }

    /// The `webhook-id` header.
    pub fn webhook_id(&self) -> &str {
        self.header("webhook-id")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

struct Shared {
    script: Mutex<VecDeque<Reply>>,
    otherwise: Mutex<Reply>,
    seen: Mutex<Vec<Received>>,
}

pub struct Receiver {
    /// Where to point a subscription.
    pub url: String,
    shared: Arc<Shared>,
    server: ServerHandle,
}

impl Receiver {
    /// A receiver that answers 200 to everything.
    pub async fn start() -> Receiver {
        Self::scripted(&[]).await
    }

    /// A receiver that answers its first requests with `script`, in order, and 200 after that.
    pub async fn scripted(script: &[Reply]) -> Receiver {
        let shared = Arc::new(Shared {
            script: Mutex::new(script.iter().copied().collect()),
            otherwise: Mutex::new(Reply::Status(200)),
            seen: Mutex::new(Vec::new()),
        });
        let data = web::Data::from(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks/fairhire?token=not-for-the-logs", listener.local_addr().unwrap());
        let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(answer)))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver { url, shared, server: handle }
    }

    /// What the receiver answers once its script has run out.
    pub fn answer_from_now_on(&self, reply: Reply) {
        *self.shared.otherwise.lock().unwrap() = reply;
    }

    /// Every request so far, in the order they came.
    pub fn requests(&self) -> Vec<Received> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// Waits until the requests so far satisfy `done`, for at most [`ARRIVAL_DEADLINE`]; returns
    /// them.
    pub async fn wait_until(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let seen = self.requests();
            if done(&seen) {
                return seen;
            }
            assert!(started.elapsed() < ARRIVAL_DEADLINE, "waited {ARRIVAL_DEADLINE:?} for {what}; got {seen:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits for at least `n` requests and returns them.
    pub async fn wait_for_requests(&self, n: usize) -> Vec<Received> {
        self.wait_until(&format!("{n} requests"), |seen| seen.len() >= n).await
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        // The stop command is sent now; the returned future only waits for it to complete.
        drop(self.server.stop(false));
    }
}

async fn answer(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let reply = shared.script.lock().unwrap().pop_front().unwrap_or_else(|| *shared.otherwise.lock().unwrap());
    let answered = match reply {
        Reply::Status(code) | Reply::RetryAfter(code, _) => code,
        Reply::HangThenOk(_) => 200,
    };
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_ascii_lowercase(), value.to_str().unwrap_or("").to_owned()))
        .collect();
    // Recorded on arrival, so that a test sees a request that is still being answered.
    shared.seen.lock().unwrap().push(Received { headers, body: body.to_vec(), answered });
    let status = StatusCode::from_u16(answered).unwrap();
    match reply {
        Reply::Status(_) => HttpResponse::build(status).finish(),
        Reply::RetryAfter(_, seconds) => {
            HttpResponse::build(status).insert_header(("retry-after", seconds.to_string())).finish()
        }
        Reply::HangThenOk(delay) => {
            tokio::time::sleep(delay).await;
            HttpResponse::build(status).finish()
        }
    }
}
