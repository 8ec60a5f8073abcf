//! HTTP: one request with a deadline, a bounded read of the answer, and nothing else.
//!
//! Redirects are not followed (a 3xx is an answer for the protocol to judge), statuses are not
//! errors, and the answer's body is read only up to [`MAX_RESPONSE_BYTES`].

use std::io::Read;
use std::time::Duration;

use ureq::Agent;

/// Answers are diagnostics at most; a server that sends more is not read further.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 64 * 1024;

pub struct Request {
    pub url: String,
    pub content_type: &'static str,
    /// Extra headers, such as `Content-Encoding` or `Authorization`.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// Clones share one connection pool, and [`Transport::cancel`] on any clone ends the
/// requests in flight on all of them.
#[derive(Clone)]
pub struct Transport {
    agent: Agent,
}

impl Default for Transport {
    fn default() -> Transport {
        Transport::new()
    }
}

impl Transport {
    pub fn new() -> Transport {
        let user_agent = concat!("ferrolog/", env!("CARGO_PKG_VERSION"));
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(user_agent)
            .build()
            .into();
        Transport { agent }
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
            .header("Content-Type", request.content_type);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let mut response = builder.send(&request.body[..]).map_err(|e| e.to_string())?;
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
}
