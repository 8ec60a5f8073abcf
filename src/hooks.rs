//! Before-send hooks: one per entry type, run on the caller's thread after sampling and before
//! the entry is queued, able to change its level, message and attributes or to drop it
//! (counted as `before_send`).
//!
//! A hook sees the entry's attributes already merged with its logger's, so it can remove or
//! redact any of them. It may run on many threads at once. An entry logged from inside a hook
//! skips hooks, so a hook that logs cannot recurse; a hook that panics leaves its entry as it
//! was.

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::entry::{EntryKind, Record, RecordError};
use crate::level::Level;
use crate::wire::members::type_name;

/// What a hook sees of an entry, and may change.
#[derive(Clone, Debug, PartialEq)]
pub struct HookEntry {
    pub kind: EntryKind,
    pub level: Level,
    /// The message, or the non-log entry's name-like member (metric name, event name, …).
    pub message: String,
    pub attributes: Map<String, Value>,
}

impl HookEntry {
    /// The entry as `{"type","level","message","attributes"}`, the form hooks written in
    /// other languages read; `type` is the LogFlux type name and `level` the syslog number.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "type": type_name(self.kind),
            "level": self.level.number(),
            "message": self.message,
            "attributes": self.attributes,
        })
        .to_string()
    }

    /// Replaces what `json`, one object, names: `level` (a number 1–8 or a level name),
    /// `message` (a string), `attributes` (an object); other members are refused. On error the
    /// entry is unchanged.
    pub fn replace_from_json(&mut self, json: &str) -> Result<(), ReplaceError> {
        let Ok(Value::Object(members)) = serde_json::from_str::<Value>(json) else {
            return Err(ReplaceError::NotAnObject);
        };
        let mut updated = self.clone();
        for (name, value) in members {
            match (name.as_str(), value) {
                ("level", value) => {
                    updated.level =
                        Level::from_json(&value).ok_or(ReplaceError::Member("level"))?;
                }
                ("message", Value::String(message)) => updated.message = message,
                ("attributes", Value::Object(attributes)) => updated.attributes = attributes,
                ("message", _) => return Err(ReplaceError::Member("message")),
                ("attributes", _) => return Err(ReplaceError::Member("attributes")),
                _ => return Err(ReplaceError::Unknown(name)),
            }
        }
        *self = updated;
        Ok(())
    }
}

/// Why [`HookEntry::replace_from_json`] refused its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplaceError {
    NotAnObject,
    /// The member has the wrong type or value.
    Member(&'static str),
    Unknown(String),
}

impl fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplaceError::NotAnObject => f.write_str("expected one JSON object"),
            ReplaceError::Member("level") => f.write_str("level must be 1..8 or a level name"),
            ReplaceError::Member(name) => write!(f, "{name} has the wrong type"),
            ReplaceError::Unknown(name) => write!(f, "unknown member `{name}`"),
        }
    }
}

/// Returns `false` to drop the entry.
pub type BeforeSend = Arc<dyn Fn(&mut HookEntry) -> bool + Send + Sync>;

/// The hooks of a client, by entry type.
#[derive(Clone, Default)]
pub struct Hooks {
    by_kind: [Option<BeforeSend>; 7],
}

/// Two sets are equal when they hold the same hooks, not equal-looking ones.
impl PartialEq for Hooks {
    fn eq(&self, other: &Hooks) -> bool {
        self.by_kind
            .iter()
            .zip(&other.by_kind)
            .all(|(a, b)| match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            })
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<EntryKind> = EntryKind::ALL
            .into_iter()
            .filter(|kind| self.get(*kind).is_some())
            .collect();
        f.debug_struct("Hooks").field("set", &set).finish()
    }
}

/// What became of an entry offered to the hooks.
pub(crate) enum Hooked {
    Send(Record),
    Dropped,
}

thread_local! {
    /// Set while a hook runs on this thread.
    static IN_HOOK: Cell<bool> = const { Cell::new(false) };
}

impl Hooks {
    /// Sets or clears (`None`) the hook for `kind`.
    pub fn set(&mut self, kind: EntryKind, hook: Option<BeforeSend>) {
        self.by_kind[slot(kind)] = hook;
    }

    pub fn get(&self, kind: EntryKind) -> Option<&BeforeSend> {
        self.by_kind[slot(kind)].as_ref()
    }

    /// Whether an entry of `kind` would be offered to a hook: callers skip the work of
    /// offering when not.
    #[inline]
    pub(crate) fn wants(&self, kind: EntryKind) -> bool {
        self.by_kind[slot(kind)].is_some() && !IN_HOOK.with(Cell::get)
    }

    /// Runs the hook for the record's kind, if there is one, and rebuilds the record from what
    /// it left. A hook that breaks the entry (an attribute map too large to hold) drops it.
    pub(crate) fn offer(&self, record: Record) -> Result<Hooked, RecordError> {
        let kind = record.kind();
        let Some(hook) = self.get(kind).filter(|_| self.wants(kind)) else {
            return Ok(Hooked::Send(record));
        };
        let mut entry = HookEntry {
            kind,
            level: record.level,
            message: record.message().to_owned(),
            attributes: record.merged_attributes(),
        };
        IN_HOOK.with(|flag| flag.set(true));
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| hook(&mut entry)));
        IN_HOOK.with(|flag| flag.set(false));
        match ran {
            Ok(true) => record
                .rebuilt(entry.level, &entry.message, entry.attributes)
                .map(Hooked::Send),
            Ok(false) => Ok(Hooked::Dropped),
            Err(_) => Ok(Hooked::Send(record)),
        }
    }
}

/// Closes a client's hooks for good at shutdown, waiting for the calls already in a hook.
///
/// A runtime about to tear down (Python finalizing its interpreter) kills threads that try to
/// enter it; a thread killed inside a hook would unwind through the core. Closing from a call
/// that lets those threads finish (ctypes releases the GIL during it) means no thread is in a
/// hook or enters one later.
#[derive(Default)]
pub(crate) struct HookGate {
    closed: AtomicBool,
    running: AtomicUsize,
}

/// A hook call under way: counted until dropped.
pub(crate) struct HookPass<'a>(&'a HookGate);

impl Drop for HookPass<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, SeqCst);
    }
}

impl HookGate {
    /// A pass to run a hook, or `None` once the gate is closed (the entry goes out as it is).
    pub fn enter(&self) -> Option<HookPass<'_>> {
        if self.closed.load(SeqCst) {
            return None;
        }
        self.running.fetch_add(1, SeqCst);
        let pass = HookPass(self);
        // Checked again after counting, so `close` never misses a call it must wait for.
        (!self.closed.load(SeqCst)).then_some(pass)
    }

    /// Closes the gate and waits up to `timeout` for the hook calls under way; says whether
    /// they all ended. A call from inside a hook waits for itself, until the timeout.
    pub fn close(&self, timeout: Duration) -> bool {
        self.closed.store(true, SeqCst);
        let deadline = Instant::now() + timeout;
        while self.running.load(SeqCst) > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }
}

fn slot(kind: EntryKind) -> usize {
    kind as usize - 1
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::context::Context;
    use crate::entry::Payload;

    fn record(message: &str, attributes: &str, context: Map<String, Value>) -> Record {
        Record::with_json(
            Level::Info,
            message,
            attributes,
            Arc::new(Context::new(context)),
        )
        .unwrap()
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn sent(hooked: Hooked) -> Record {
        match hooked {
            Hooked::Send(record) => record,
            Hooked::Dropped => panic!("dropped"),
        }
    }

    #[test]
    fn a_hook_sees_merged_attributes_and_its_changes_are_kept() {
        let mut hooks = Hooks::default();
        hooks.set(
            EntryKind::Log,
            Some(Arc::new(|entry: &mut HookEntry| {
                assert_eq!(entry.attributes["ip"], "10.0.0.1");
                entry.attributes.remove("ip");
                entry.message.push_str(" (checked)");
                entry.level = Level::Warning;
                true
            })),
        );
        let original = record(
            "login",
            r#"{"user":"7"}"#,
            object(json!({"ip": "10.0.0.1"})),
        );
        let timestamp = original.timestamp_ns;
        let record = sent(hooks.offer(original).unwrap());
        assert_eq!(record.message(), "login (checked)");
        assert_eq!(record.level, Level::Warning);
        assert_eq!(record.timestamp_ns, timestamp);
        assert_eq!(record.merged_attributes(), object(json!({"user": "7"})));
    }

    #[test]
    fn hooks_apply_to_their_own_type_and_may_drop() {
        let mut hooks = Hooks::default();
        hooks.set(EntryKind::Event, Some(Arc::new(|_: &mut HookEntry| false)));
        let log = record("kept", "", Map::new());
        assert_eq!(sent(hooks.offer(log).unwrap()).message(), "kept");
        let event = record("signup", "", Map::new()).with_payload(Payload::Event);
        assert!(matches!(hooks.offer(event).unwrap(), Hooked::Dropped));
        hooks.set(EntryKind::Event, None);
        let event = record("signup", "", Map::new()).with_payload(Payload::Event);
        assert_eq!(sent(hooks.offer(event).unwrap()).kind(), EntryKind::Event);
    }

    #[test]
    fn a_panicking_hook_leaves_the_entry_and_entries_from_inside_skip_hooks() {
        let mut hooks = Hooks::default();
        hooks.set(
            EntryKind::Log,
            Some(Arc::new(|_: &mut HookEntry| panic!("bug"))),
        );
        let record = sent(hooks.offer(record("as it was", "", Map::new())).unwrap());
        assert_eq!(record.message(), "as it was");

        let inner = Hooks {
            by_kind: hooks.by_kind.clone(),
        };
        let mut outer = Hooks::default();
        outer.set(
            EntryKind::Log,
            Some(Arc::new(move |entry: &mut HookEntry| {
                assert!(!inner.wants(EntryKind::Log), "no hook runs inside a hook");
                entry.message = "outer ran".into();
                true
            })),
        );
        let record = sent(outer.offer(self::record("m", "", Map::new())).unwrap());
        assert_eq!(record.message(), "outer ran");
        assert!(outer.wants(EntryKind::Log), "the flag is cleared after");
    }

    #[test]
    fn the_json_form_reads_and_replaces() {
        let mut entry = HookEntry {
            kind: EntryKind::Audit,
            level: Level::Notice,
            message: "delete".into(),
            attributes: object(json!({"ip": "::1"})),
        };
        assert_eq!(
            serde_json::from_str::<Value>(&entry.to_json()).unwrap(),
            json!({"type": "audit", "level": 6, "message": "delete", "attributes": {"ip": "::1"}})
        );
        entry
            .replace_from_json(r#"{"level":"warn","attributes":{}}"#)
            .unwrap();
        assert_eq!((entry.level, entry.attributes.len()), (Level::Warning, 0));
        entry
            .replace_from_json(r#"{"level":3,"message":"m"}"#)
            .unwrap();
        assert_eq!(
            (entry.level, entry.message.as_str()),
            (Level::Critical, "m")
        );
        let before = entry.clone();
        for (bad, error) in [
            ("[1]", ReplaceError::NotAnObject),
            ("{", ReplaceError::NotAnObject),
            (r#"{"level":9}"#, ReplaceError::Member("level")),
            (r#"{"level":"loud"}"#, ReplaceError::Member("level")),
            (
                r#"{"message":"ok","attributes":[]}"#,
                ReplaceError::Member("attributes"),
            ),
            (r#"{"message":1}"#, ReplaceError::Member("message")),
            (r#"{"kind":"log"}"#, ReplaceError::Unknown("kind".into())),
        ] {
            assert_eq!(entry.replace_from_json(bad), Err(error), "{bad}");
        }
        assert_eq!(entry, before, "a refused replacement changes nothing");
    }

    #[test]
    fn equality_is_identity() {
        let hook: BeforeSend = Arc::new(|_: &mut HookEntry| true);
        let mut a = Hooks::default();
        a.set(EntryKind::Log, Some(Arc::clone(&hook)));
        let mut b = Hooks::default();
        b.set(EntryKind::Log, Some(hook));
        assert_eq!(a, b);
        b.set(EntryKind::Log, Some(Arc::new(|_: &mut HookEntry| true)));
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "Hooks { set: [Log] }");
    }

    #[test]
    fn a_closed_gate_waits_for_the_hook_under_way_and_lets_no_more_in() {
        let gate = Arc::new(HookGate::default());
        let (entered, leave) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        std::thread::scope(|threads| {
            threads.spawn(|| {
                let _pass = gate.enter().expect("the gate is open");
                entered.wait();
                leave.wait();
            });
            entered.wait();
            assert!(
                !gate.close(Duration::from_millis(20)),
                "a hook is still under way"
            );
            assert!(gate.enter().is_none(), "closed for new calls");
            leave.wait();
        });
        assert!(gate.close(Duration::from_millis(20)));
    }
}
