//! What a logger carries: the attributes it inherited and added, and the span it is bound to.
//!
//! Contexts are immutable and shared by `Arc`: a child flattens its parent's attributes into its
//! own map when it is created, so the worker merges one map per record however deep the chain.

use serde_json::{Map, Value};

use crate::trace::TraceContext;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    attributes: Map<String, Value>,
    /// The span whose ids every entry logged with this context carries.
    trace: Option<TraceContext>,
}

impl Context {
    pub fn new(attributes: Map<String, Value>) -> Context {
        Context {
            attributes,
            trace: None,
        }
    }

    /// A child context: this context's attributes overridden by `added`.
    pub fn child(&self, added: Map<String, Value>) -> Context {
        let mut attributes = self.attributes.clone();
        attributes.extend(added);
        Context {
            attributes,
            trace: self.trace,
        }
    }

    /// This context bound to the span `trace` names.
    pub fn with_trace(&self, trace: TraceContext) -> Context {
        Context {
            attributes: self.attributes.clone(),
            trace: Some(trace),
        }
    }

    pub fn trace(&self) -> Option<&TraceContext> {
        self.trace.as_ref()
    }

    pub fn attributes(&self) -> &Map<String, Value> {
        &self.attributes
    }

    /// This context without its attributes, for an entry whose attributes were settled
    /// already (by a before-send hook, or by scrubbing on the worker).
    pub fn without_attributes(&self) -> Context {
        Context {
            attributes: Map::new(),
            trace: self.trace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn child_overrides_and_parent_is_unaffected() {
        let root = Context::new(map(json!({"service": "api", "region": "eu"})));
        let child = root.child(map(json!({"region": "us", "request": 7})));
        let grandchild = child.child(map(json!({"step": "auth"})));
        assert_eq!(
            grandchild.attributes(),
            &map(json!({"service": "api", "region": "us", "request": 7, "step": "auth"}))
        );
        assert_eq!(
            root.attributes(),
            &map(json!({"service": "api", "region": "eu"}))
        );
        assert_eq!(child.attributes().len(), 3);
    }
}
