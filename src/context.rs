//! What a logger carries: the attributes it inherited and added.
//!
//! Contexts are immutable and shared by `Arc`: a child flattens its parent's attributes into its
//! own map when it is created, so the worker merges one map per record however deep the chain.

use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    attributes: Map<String, Value>,
}

impl Context {
    pub fn new(attributes: Map<String, Value>) -> Context {
        Context { attributes }
    }

    /// A child context: this context's attributes overridden by `added`.
    pub fn child(&self, added: Map<String, Value>) -> Context {
        let mut attributes = self.attributes.clone();
        attributes.extend(added);
        Context { attributes }
    }

    pub fn attributes(&self) -> &Map<String, Value> {
        &self.attributes
    }

    /// This context without its attributes, for an entry whose attributes were settled
    /// already (by a before-send hook).
    pub fn without_attributes(&self) -> Context {
        Context::default()
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
