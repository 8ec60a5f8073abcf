//! Breadcrumbs: the trail of recent events a captured error carries, oldest first.
//!
//! A client keeps one trail, and each scope one of its own, so that concurrent requests do not
//! mix their trails. Logs at info or more severe and events add a breadcrumb as they are
//! logged; `add_breadcrumb` adds one by hand. A trail holds at most `max_breadcrumbs`,
//! forgetting the oldest.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::entry::parse_json_object;
use crate::level::Level;

/// The longest message a breadcrumb keeps, in bytes: a trail is a summary, and a large
/// entry must not be held twice.
const MAX_MESSAGE_BYTES: usize = 512;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breadcrumb {
    pub timestamp_ns: u64,
    /// `log`, `event`, or the caller's (`http`, `navigation`, …); `None` when not given.
    pub category: Option<Cow<'static, str>>,
    pub message: String,
    pub level: Option<Level>,
    /// String data, in the order given.
    pub data: Vec<(String, String)>,
}

impl Breadcrumb {
    /// A breadcrumb with its message cut, at a character boundary, to what a trail keeps.
    pub fn new(
        timestamp_ns: u64,
        category: Option<&str>,
        message: &str,
        level: Option<Level>,
        data: Vec<(String, String)>,
    ) -> Breadcrumb {
        Breadcrumb {
            timestamp_ns,
            category: category.map(|c| Cow::Owned(c.to_owned())),
            message: kept(message).to_owned(),
            level,
            data,
        }
    }
}

/// What of `message` a breadcrumb keeps: at most [`MAX_MESSAGE_BYTES`], cut at a character
/// boundary.
fn kept(message: &str) -> &str {
    let mut end = message.len().min(MAX_MESSAGE_BYTES);
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    &message[..end]
}

/// Why breadcrumb data given as JSON was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataError {
    /// Not one JSON object.
    NotAnObject,
    /// A value that is not a string (breadcrumb data is string to string).
    NotAString(String),
}

/// Breadcrumb data from one JSON object of string values (empty text for none), as the C
/// ABI and the bindings pass it.
pub fn data_from_json(json: &str) -> Result<Vec<(String, String)>, DataError> {
    let object = parse_json_object(json).map_err(|_| DataError::NotAnObject)?;
    object
        .into_iter()
        .map(|(key, value)| match value {
            Value::String(text) => Ok((key, text)),
            _ => Err(DataError::NotAString(key)),
        })
        .collect()
}

/// A bounded trail, shared by the threads that log through its owner.
#[derive(Debug)]
pub(crate) struct Trail {
    ring: Mutex<Ring>,
    capacity: usize,
}

/// A trail's breadcrumbs; once `capacity` are held, each new one overwrites the oldest in
/// place, so the log path neither moves breadcrumbs nor allocates for them.
#[derive(Clone, Debug, Default)]
struct Ring {
    slots: Vec<Breadcrumb>,
    /// The oldest breadcrumb's slot once the ring is full; 0 until then.
    oldest: usize,
}

impl Ring {
    /// The slot for a new breadcrumb: a fresh one while there is room, else the oldest's,
    /// which then holds the newest.
    fn next_slot(&mut self, capacity: usize) -> &mut Breadcrumb {
        if self.slots.len() < capacity {
            self.slots.push(Breadcrumb::default());
            let newest = self.slots.len() - 1;
            return &mut self.slots[newest];
        }
        let at = self.oldest;
        self.oldest = if at + 1 == capacity { 0 } else { at + 1 };
        &mut self.slots[at]
    }

    fn oldest_first(&self) -> impl Iterator<Item = &Breadcrumb> {
        let (newer, older) = self.slots.split_at(self.oldest);
        older.iter().chain(newer)
    }
}

impl Trail {
    pub fn new(capacity: usize) -> Trail {
        Trail {
            ring: Mutex::new(Ring {
                slots: Vec::with_capacity(capacity.min(128)),
                oldest: 0,
            }),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether breadcrumbs are kept at all (`max_breadcrumbs` 0 turns them off).
    #[inline]
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    pub fn add(&self, crumb: Breadcrumb) {
        if !self.enabled() {
            return;
        }
        *self.lock().next_slot(self.capacity) = crumb;
    }

    /// Adds the breadcrumb a log or event leaves. It runs on every such call, so a full trail
    /// reuses the buffers of the breadcrumb it forgets instead of allocating.
    pub fn add_logged(
        &self,
        timestamp_ns: u64,
        category: &'static str,
        message: &str,
        level: Level,
    ) {
        if !self.enabled() {
            return;
        }
        let mut ring = self.lock();
        let crumb = ring.next_slot(self.capacity);
        crumb.timestamp_ns = timestamp_ns;
        crumb.category = Some(Cow::Borrowed(category));
        crumb.message.clear();
        crumb.message.push_str(kept(message));
        crumb.level = Some(level);
        crumb.data.clear();
    }

    /// The breadcrumbs, oldest first.
    pub fn snapshot(&self) -> Vec<Breadcrumb> {
        self.lock().oldest_first().cloned().collect()
    }

    /// A new trail that starts with this one's breadcrumbs: a nested scope's.
    pub fn fork(&self) -> Trail {
        Trail {
            ring: Mutex::new(self.lock().clone()),
            capacity: self.capacity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crumb(n: u64) -> Breadcrumb {
        Breadcrumb::new(
            n,
            Some("log"),
            &format!("m{n}"),
            Some(Level::Info),
            Vec::new(),
        )
    }

    fn messages(trail: &Trail) -> Vec<String> {
        trail.snapshot().into_iter().map(|c| c.message).collect()
    }

    #[test]
    fn a_trail_keeps_the_newest_in_order() {
        let trail = Trail::new(3);
        for n in 1..=5 {
            trail.add(crumb(n));
        }
        assert_eq!(messages(&trail), ["m3", "m4", "m5"]);
    }

    #[test]
    fn a_full_trail_stays_in_order_however_often_it_wraps() {
        let trail = Trail::new(3);
        for n in 1..=10 {
            if n % 2 == 0 {
                trail.add(crumb(n));
            } else {
                trail.add_logged(n, "log", &format!("m{n}"), Level::Info);
            }
            let kept: Vec<String> = (n.saturating_sub(2).max(1)..=n)
                .map(|k| format!("m{k}"))
                .collect();
            assert_eq!(messages(&trail), kept, "after {n}");
        }
        let fork = trail.fork();
        fork.add(crumb(11));
        assert_eq!(messages(&fork), ["m9", "m10", "m11"]);
        assert_eq!(messages(&trail), ["m8", "m9", "m10"]);
    }

    #[test]
    fn a_fork_starts_with_the_trail_and_then_goes_its_own_way() {
        let trail = Trail::new(4);
        trail.add(crumb(1));
        let fork = trail.fork();
        fork.add(crumb(2));
        trail.add(crumb(3));
        assert_eq!(messages(&fork), ["m1", "m2"]);
        assert_eq!(messages(&trail), ["m1", "m3"]);
    }

    #[test]
    fn logged_breadcrumbs_reuse_what_the_trail_forgets() {
        let trail = Trail::new(2);
        trail.add(Breadcrumb::new(
            0,
            Some("http"),
            "GET /",
            None,
            vec![("k".into(), "v".into())],
        ));
        for n in 1..=3 {
            trail.add_logged(n, "log", &format!("m{n}"), Level::Warning);
        }
        let crumbs = trail.snapshot();
        assert_eq!(crumbs.len(), 2);
        assert_eq!(
            crumbs[1],
            Breadcrumb::new(3, Some("log"), "m3", Some(Level::Warning), vec![])
        );
        assert!(crumbs.iter().all(|c| c.data.is_empty()), "{crumbs:?}");
        let long = "x".repeat(MAX_MESSAGE_BYTES + 10);
        trail.add_logged(4, "event", &long, Level::Info);
        assert_eq!(trail.snapshot()[1].message.len(), MAX_MESSAGE_BYTES);
    }

    #[test]
    fn data_is_an_object_of_strings() {
        assert_eq!(
            data_from_json(r#"{"status":"503","path":"/a"}"#),
            Ok(vec![
                ("path".into(), "/a".into()),
                ("status".into(), "503".into())
            ])
        );
        assert_eq!(data_from_json(" "), Ok(vec![]));
        assert_eq!(data_from_json("[1]"), Err(DataError::NotAnObject));
        assert_eq!(
            data_from_json(r#"{"n":1}"#),
            Err(DataError::NotAString("n".into()))
        );
    }

    #[test]
    fn zero_capacity_keeps_nothing() {
        let trail = Trail::new(0);
        trail.add(crumb(1));
        assert!(trail.snapshot().is_empty() && !trail.enabled());
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let long = "é".repeat(400);
        let crumb = Breadcrumb::new(0, None, &long, None, Vec::new());
        assert_eq!(crumb.message.len(), MAX_MESSAGE_BYTES);
        assert!(long.starts_with(&crumb.message));
        let odd = format!("a{long}");
        let crumb = Breadcrumb::new(0, None, &odd, None, Vec::new());
        assert_eq!(crumb.message.len(), MAX_MESSAGE_BYTES - 1);
    }
}
