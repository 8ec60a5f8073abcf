//! Name resolution that remembers its answers for a while. ureq resolves the host before
//! every request, and under a deadline it does so on a thread of its own: without this, every
//! batch would start a thread to learn an address it already knew.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long an answer is used before the name is looked up again. A request that fails to
/// reach the host forgets it at once, so a moved endpoint is found on the next attempt.
const REMEMBERED_FOR: Duration = Duration::from_secs(30);

/// Hosts remembered at most: a client talks to one or two; past this all are forgotten.
const MAX_HOSTS: usize = 16;

type Answers = HashMap<String, (ResolvedSocketAddrs, Instant)>;

/// Clones share what they remember.
#[derive(Clone, Debug)]
pub(crate) struct RememberingResolver {
    answers: Arc<Mutex<Answers>>,
    lookup: Arc<dyn Resolver>,
    remembered_for: Duration,
}

impl Default for RememberingResolver {
    fn default() -> RememberingResolver {
        RememberingResolver::over(DefaultResolver::default(), REMEMBERED_FOR)
    }
}

impl RememberingResolver {
    /// Remembers what `lookup` answers for `remembered_for`.
    fn over(lookup: impl Resolver, remembered_for: Duration) -> RememberingResolver {
        RememberingResolver {
            answers: Arc::default(),
            lookup: Arc::new(lookup),
            remembered_for,
        }
    }

    /// Forgets the answer for `url`'s host, so the next request looks it up again.
    pub fn forget(&self, url: &str) {
        if let Some(key) = url_key(url) {
            self.lock().remove(&key);
        }
    }

    #[cfg(test)]
    pub fn remembers(&self, url: &str) -> bool {
        url_key(url).is_some_and(|key| self.lock().contains_key(&key))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Answers> {
        self.answers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Scheme, host and port: the port a URL leaves out depends on its scheme.
fn host_key(uri: &Uri) -> Option<String> {
    Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?))
}

fn url_key(url: &str) -> Option<String> {
    host_key(&url.parse().ok()?)
}

impl Resolver for RememberingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = host_key(uri);
        if let Some((addrs, at)) = key.as_ref().and_then(|key| self.lock().get(key).cloned()) {
            if at.elapsed() < self.remembered_for {
                return Ok(addrs);
            }
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        if let Some(key) = key {
            let mut answers = self.lock();
            if answers.len() >= MAX_HOSTS {
                answers.clear();
            }
            answers.insert(key, (addrs.clone(), Instant::now()));
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    /// Answers 127.0.0.1 for any host but `nowhere`, counting the lookups.
    #[derive(Debug, Default)]
    struct Counting {
        lookups: Arc<AtomicUsize>,
    }

    impl Resolver for Counting {
        fn resolve(
            &self,
            uri: &Uri,
            _: &Config,
            _: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            self.lookups.fetch_add(1, SeqCst);
            if uri.host() == Some("nowhere") {
                return Err(ureq::Error::HostNotFound);
            }
            let mut addrs = self.empty();
            addrs.push(SocketAddr::from((
                [127, 0, 0, 1],
                uri.port_u16().unwrap_or(443),
            )));
            Ok(addrs)
        }
    }

    fn resolver(remembered_for: Duration) -> (RememberingResolver, Arc<AtomicUsize>) {
        let counting = Counting::default();
        let lookups = Arc::clone(&counting.lookups);
        (RememberingResolver::over(counting, remembered_for), lookups)
    }

    fn resolve(resolver: &RememberingResolver, url: &str) -> Result<Vec<SocketAddr>, ureq::Error> {
        let timeout = NextTimeout::default();
        let addrs = resolver.resolve(&url.parse().unwrap(), &Config::default(), timeout)?;
        Ok(addrs.iter().copied().collect())
    }

    #[test]
    fn a_host_is_looked_up_once_while_its_answer_is_fresh() {
        let (resolver, lookups) = resolver(REMEMBERED_FOR);
        let first = resolve(&resolver, "http://ingest.test:4318/v1/logs").unwrap();
        let again = resolve(&resolver, "http://ingest.test:4318/v1/traces").unwrap();
        assert_eq!(first, again);
        assert_eq!(first, [SocketAddr::from(([127, 0, 0, 1], 4318))]);
        assert_eq!(lookups.load(SeqCst), 1);
        resolve(&resolver, "http://ingest.test:4319/v1/logs").unwrap();
        resolve(&resolver, "https://ingest.test/v1/logs").unwrap();
        assert_eq!(
            lookups.load(SeqCst),
            3,
            "another port or scheme is another answer"
        );
    }

    #[test]
    fn a_stale_or_forgotten_answer_is_looked_up_again() {
        let (stale, lookups) = resolver(Duration::ZERO);
        resolve(&stale, "http://ingest.test:4318/").unwrap();
        resolve(&stale, "http://ingest.test:4318/").unwrap();
        assert_eq!(lookups.load(SeqCst), 2);

        let (fresh, lookups) = resolver(REMEMBERED_FOR);
        resolve(&fresh, "http://ingest.test:4318/").unwrap();
        fresh.forget("http://ingest.test:4318/v1/logs");
        resolve(&fresh, "http://ingest.test:4318/").unwrap();
        assert_eq!(lookups.load(SeqCst), 2);
    }

    #[test]
    fn a_failed_lookup_is_not_remembered() {
        let (resolver, lookups) = resolver(REMEMBERED_FOR);
        assert!(resolve(&resolver, "http://nowhere:4318/").is_err());
        assert!(resolve(&resolver, "http://nowhere:4318/").is_err());
        assert_eq!(lookups.load(SeqCst), 2);
    }

    #[test]
    fn past_its_bound_every_host_is_forgotten() {
        let (resolver, lookups) = resolver(REMEMBERED_FOR);
        for port in 0..=MAX_HOSTS {
            resolve(&resolver, &format!("http://ingest.test:{}/", 5000 + port)).unwrap();
        }
        assert_eq!(resolver.lock().len(), 1);
        resolve(&resolver, "http://ingest.test:5000/").unwrap();
        assert_eq!(lookups.load(SeqCst), MAX_HOSTS + 2);
    }
}
