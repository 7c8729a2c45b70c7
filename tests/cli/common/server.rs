//! A real HTTP server on 127.0.0.1 (axum on port 0, in its own thread) that
//! replays recorded API responses and injects faults: statuses with headers,
//! a connection dropped mid-body, a response that never comes. Every request
//! is logged so tests assert exactly what the client sent and how often.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Req {
    pub path: String,
    pub query: HashMap<String, String>,
    pub raw_query: String,
    pub user_agent: String,
}

impl Req {
    pub fn q(&self, k: &str) -> Option<&str> {
        self.query.get(k).map(String::as_str)
    }
}

/// What to answer.
pub enum Reply {
    /// A status, headers and a body.
    Send {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// A 200 whose body stops after these bytes and the connection breaks.
    Drop(Vec<u8>),
    /// Nothing for this long (a hung server).
    Hang(Duration),
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        Self::status(200, body)
    }

    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Send {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }

    pub fn header(mut self, k: &'static str, v: &str) -> Self {
        if let Self::Send { headers, .. } = &mut self {
            headers.push((k, v.to_owned()));
        }
        self
    }
}

type Handler = dyn Fn(&Req, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct Server {
    pub url: String,
    log: Arc<Mutex<Vec<Req>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    /// Starts a server answering every request with `handler(request, n)`,
    /// where `n` counts requests from 0.
    pub fn start(handler: impl Fn(&Req, usize) -> Reply + Send + Sync + 'static) -> Self {
        let log: Arc<Mutex<Vec<Req>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let log2 = log.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                addr_tx.send(listener.local_addr().expect("addr")).ok();
                let app = Router::new().fallback(move |req: Request| {
                    let handler = handler.clone();
                    let log = log2.clone();
                    async move { answer(req, &handler, &log).await }
                });
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        rx.await.ok();
                    })
                    .await
                    .ok();
            });
        });
        let addr = addr_rx.recv().expect("server address");
        Self {
            url: format!("http://{addr}"),
            log,
            _stop: tx,
        }
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
}

async fn answer(req: Request, handler: &Arc<Handler>, log: &Arc<Mutex<Vec<Req>>>) -> Response {
    let raw_query = req.uri().query().unwrap_or("").to_owned();
    let query: HashMap<String, String> = url_decode_pairs(&raw_query);
    let r = Req {
        path: req.uri().path().to_owned(),
        query,
        raw_query,
        user_agent: req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
    };
    let n = {
        let mut l = log.lock().unwrap();
        l.push(r.clone());
        l.len() - 1
    };
    match handler(&r, n) {
        Reply::Send {
            status,
            headers,
            body,
        } => {
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).expect("status");
            for (k, v) in headers {
                resp.headers_mut().insert(
                    HeaderName::from_static(k),
                    HeaderValue::from_str(&v).expect("header value"),
                );
            }
            resp
        }
        Reply::Drop(partial) => {
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from(partial)),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected drop",
                )),
            ];
            let mut resp = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
            resp.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            resp
        }
        Reply::Hang(d) => {
            tokio::time::sleep(d).await;
            Response::new(Body::from("{}"))
        }
    }
}

fn url_decode_pairs(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(h, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
