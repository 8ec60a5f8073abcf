//! What a decoded entry takes from its resource (spec §11).
//!
//! `service.name` and `service.version` (ferrolog's source and release) are read by no one:
//! the shared entry view has no member for them.

use super::attributes::attributes;
use super::reader::Obj;
use super::DecodeError;

pub(super) struct Resource {
    pub environment: Option<String>,
}

impl Resource {
    /// The `resource` of a `resourceLogs` / `resourceSpans` / `resourceMetrics` element.
    pub fn decode(group: &Obj) -> Result<Resource, DecodeError> {
        let Some(resource) = group.object("resource")? else {
            return Ok(Resource { environment: None });
        };
        let attributes = attributes(&resource, "attributes")?;
        // The current key first, then the one semantic conventions deprecated for it.
        let environment = ["deployment.environment.name", "deployment.environment"]
            .iter()
            .find_map(|key| attributes.get(*key)?.as_str())
            .map(str::to_owned);
        Ok(Resource { environment })
    }
}
