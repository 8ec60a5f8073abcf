//! HTTP: one request with a deadline, a bounded read of the answer, and nothing else.
//!
//! Redirects are not followed (a 3xx is an answer for the protocol to judge), statuses are not
//! errors, and the answer's body is read only up to [`MAX_RESPONSE_BYTES`].

use std::borrow::Cow;
use std::io::Read;
use std::time::Duration;

use ureq::unversioned::transport::DefaultConnector;
use ureq::Agent;

use resolver::RememberingResolver;

mod resolver;

/// A host that does not accept a connection within this is treated as down, and retried,
/// rather than holding the whole request timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers are diagnostics at most; a server that sends more is not read further.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 64 * 1024;

pub struct Request {
    pub url: String,
    /// Static for JSON; a multipart body's carries its boundary.
    pub content_type: Cow<'static, str>,
    /// Extra headers, such as `Content-Encoding` or `Authorization`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// How long a `Retry-After` value asks to wait: delta-seconds or an HTTP-date (a date already
/// past means now); `None` when it is neither.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or_default(),
    )
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// Clones share one connection pool and the addresses resolved, and [`Transport::cancel`] on
/// any clone ends the requests in flight on all of them.
#[derive(Clone)]
pub struct Transport {
    agent: Agent,
    resolver: RememberingResolver,
}

impl Default for Transport {
    fn default() -> Transport {
        Transport::new()
    }
}

impl Transport {
    pub fn new() -> Transport {
        let user_agent = concat!("ferrolog/", env!("CARGO_PKG_VERSION"));
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .user_agent(user_agent)
            .build();
        let resolver = RememberingResolver::default();
        let agent = Agent::with_parts(config, DefaultConnector::new(), resolver.clone());
        Transport { agent, resolver }
    }

    /// Ends every request in flight at once (they fail as network errors) and refuses new
    /// ones: the shutdown deadline's last resort against an endpoint that never answers.
    pub fn cancel(&self) {
        self.agent.clone().shutdown();
    }

    /// Sends `request`, giving up after `timeout` from connect to the last byte read.
    pub fn send(&self, request: &Request, timeout: Duration) -> Result<Response, String> {
        let mut builder = self
            .agent
            .post(&request.url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Content-Type", request.content_type.as_ref());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        self.answered(&request.url, builder.send(&request.body[..]))
    }

    /// Fetches `url` as JSON, with no credentials, giving up after `timeout`.
    pub fn get_json(&self, url: &str, timeout: Duration) -> Result<Response, String> {
        let request = self
            .agent
            .get(url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", "application/json");
        self.answered(url, request.call())
    }

    /// The answer to a request to `url`; a request that got none forgets the host's address.
    fn answered(
        &self,
        url: &str,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Response, String> {
        let answer = read_answer(answer);
        if answer.is_err() {
            self.resolver.forget(url);
        }
        answer
    }
}

fn read_answer(
    answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Response, String> {
    let mut response = answer.map_err(|e| e.to_string())?;
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_RESPONSE_BYTES)
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    Ok(Response {
        status: response.status().as_u16(),
        retry_after,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    fn request(url: String) -> Request {
        Request {
            url,
            content_type: Cow::Borrowed("application/json"),
            headers: Vec::new(),
            body: b"{}".to_vec(),
        }
    }

    #[test]
    fn an_answered_host_is_remembered_and_an_unreachable_one_forgotten() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v1/logs", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            // The whole request is read first: closing on unread bytes would reset the client.
            let mut received = Vec::new();
            let mut chunk = [0u8; 4096];
            while !received.ends_with(b"\r\n\r\n{}") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => received.extend_from_slice(&chunk[..n]),
                }
            }
            stream
                .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                .unwrap();
        });
        let transport = Transport::new();
        let answer = transport.send(&request(url.clone()), Duration::from_secs(10));
        server.join().unwrap();
        assert_eq!(answer.unwrap().status, 204);
        assert!(transport.resolver.remembers(&url));

        // The server is gone and its port closed: the next request gets no answer.
        let answer = transport.send(&request(url.clone()), Duration::from_secs(10));
        assert!(answer.is_err(), "{answer:?}");
        assert!(!transport.resolver.remembers(&url));
    }
}
