//! Entry kinds the endpoint has refused for the rest of the process (a LogFlux 507: the
//! category's quota is spent). The encoder that hears it records it; callers consult it
//! before building an entry, so refused kinds cost one atomic load and no work.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

use crate::entry::EntryKind;

#[derive(Debug, Default)]
pub struct RefusedKinds(AtomicU8);

impl RefusedKinds {
    fn bit(kind: EntryKind) -> u8 {
        1 << (kind as u8)
    }

    pub fn refuse(&self, kinds: &[EntryKind]) {
        let bits = kinds
            .iter()
            .fold(0, |bits, kind| bits | RefusedKinds::bit(*kind));
        self.0.fetch_or(bits, Relaxed);
    }

    #[inline]
    pub fn refuses(&self, kind: EntryKind) -> bool {
        self.0.load(Relaxed) & RefusedKinds::bit(kind) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_kinds_stay_refused_and_others_pass() {
        let refused = RefusedKinds::default();
        assert!(!refused.refuses(EntryKind::Log));
        refused.refuse(&[EntryKind::Trace, EntryKind::TelemetryManaged]);
        refused.refuse(&[EntryKind::Audit]);
        assert!(refused.refuses(EntryKind::Trace));
        assert!(refused.refuses(EntryKind::TelemetryManaged));
        assert!(refused.refuses(EntryKind::Audit));
        assert!(!refused.refuses(EntryKind::Log) && !refused.refuses(EntryKind::Metric));
    }
}
