//! The resource and scope around a request's items (spec §4).
//!
//! Source, environment and release are the client's configuration, the same for every record,
//! so a request holds exactly one resource group and it is built once per encoder.

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::attributes::{with_user_attributes, KeyValue};
use crate::wire::otlp::options::Options;
use crate::wire::otlp::{Signal, CRATE_VERSION, SCOPE_NAME};

#[derive(Debug, Serialize)]
pub(super) struct Resource {
    attributes: Vec<KeyValue>,
}

#[derive(Serialize)]
struct Scope {
    name: &'static str,
    version: &'static str,
}

const SCOPE: Scope = Scope {
    name: SCOPE_NAME,
    version: CRATE_VERSION,
};

const SERVICE_NAME: &str = "service.name";
const SERVICE_VERSION: &str = "service.version";
const ENVIRONMENT: &str = "deployment.environment.name";
const SDK_NAME: &str = "telemetry.sdk.name";
const SDK_LANGUAGE: &str = "telemetry.sdk.language";
const SDK_VERSION: &str = "telemetry.sdk.version";

impl Resource {
    /// The standard attributes in spec order, then the configured ones sorted by key; a
    /// configured attribute cannot override a standard one.
    pub fn new(options: &Options) -> Resource {
        let set = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
        let source = set(&options.source).unwrap_or_else(|| "unknown_service".to_owned());
        let mut standard = vec![KeyValue::string(SERVICE_NAME, &source)];
        if let Some(release) = set(&options.release) {
            standard.push(KeyValue::string(SERVICE_VERSION, &release));
        }
        if let Some(environment) = set(&options.environment) {
            standard.push(KeyValue::string(ENVIRONMENT, &environment));
        }
        standard.extend([
            KeyValue::string(SDK_NAME, SCOPE_NAME),
            KeyValue::string(SDK_LANGUAGE, "rust"),
            KeyValue::string(SDK_VERSION, CRATE_VERSION),
        ]);
        let reserved = [
            SERVICE_NAME,
            SERVICE_VERSION,
            ENVIRONMENT,
            SDK_NAME,
            SDK_LANGUAGE,
            SDK_VERSION,
        ];
        let attributes = with_user_attributes(
            standard,
            &reserved,
            options.resource_attributes.clone(),
            &mut 0,
        );
        Resource { attributes }
    }
}

/// `{"resourceX":[{"resource":…,"scopeX":[{"scope":…,"<items>":[…]}]}]}`. Written by hand
/// because the member names depend on the signal, which derived field names cannot.
pub(super) struct Envelope<'a, T> {
    pub signal: Signal,
    pub resource: &'a Resource,
    pub items: &'a [T],
}

struct ResourceGroup<'a, T>(&'a Envelope<'a, T>);
struct ScopeGroup<'a, T>(&'a Envelope<'a, T>);

impl<T: Serialize> Serialize for Envelope<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut request = serializer.serialize_struct("Request", 1)?;
        request.serialize_field(self.signal.resource_key(), &[ResourceGroup(self)])?;
        request.end()
    }
}

impl<T: Serialize> Serialize for ResourceGroup<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut group = serializer.serialize_struct("ResourceGroup", 2)?;
        group.serialize_field("resource", self.0.resource)?;
        group.serialize_field(self.0.signal.scope_key(), &[ScopeGroup(self.0)])?;
        group.end()
    }
}

impl<T: Serialize> Serialize for ScopeGroup<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut group = serializer.serialize_struct("ScopeGroup", 2)?;
        group.serialize_field("scope", &SCOPE)?;
        group.serialize_field(self.0.signal.items_key(), self.0.items)?;
        group.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::otlp::options::test_options;
    use serde_json::{json, Value};

    fn keys(resource: &Resource) -> Vec<&str> {
        resource
            .attributes
            .iter()
            .map(|kv| kv.key.as_str())
            .collect()
    }

    #[test]
    fn resource_lists_the_standard_attributes_in_order() {
        let mut options = test_options();
        options.source = Some(String::new());
        assert_eq!(
            keys(&Resource::new(&options)),
            [SERVICE_NAME, SDK_NAME, SDK_LANGUAGE, SDK_VERSION]
        );
        assert_eq!(
            Resource::new(&options).attributes[0],
            KeyValue::string(SERVICE_NAME, "unknown_service")
        );
        options.release = Some("1.2.3".into());
        options.environment = Some("prod".into());
        options.resource_attributes = json!({"z.k": 1, "host.name": "h", "service.name": "x"})
            .as_object()
            .cloned()
            .unwrap();
        let resource = Resource::new(&options);
        assert_eq!(
            keys(&resource),
            [
                SERVICE_NAME,
                SERVICE_VERSION,
                ENVIRONMENT,
                SDK_NAME,
                SDK_LANGUAGE,
                SDK_VERSION,
                "host.name",
                "z.k"
            ]
        );
        assert_eq!(
            resource.attributes[1],
            KeyValue::string(SERVICE_VERSION, "1.2.3")
        );
        assert_eq!(
            resource.attributes[2],
            KeyValue::string(ENVIRONMENT, "prod")
        );
    }

    #[test]
    fn envelope_uses_the_signal_member_names() {
        let resource = Resource::new(&test_options());
        let items = [1, 2];
        let envelope = Envelope {
            signal: Signal::Metrics,
            resource: &resource,
            items: &items,
        };
        let value: Value = serde_json::to_value(&envelope).unwrap();
        let scope = &value["resourceMetrics"][0]["scopeMetrics"][0];
        assert_eq!(
            scope["scope"],
            json!({"name": "ferrolog", "version": CRATE_VERSION})
        );
        assert_eq!(scope["metrics"], json!([1, 2]));
        assert!(value["resourceMetrics"][0]["resource"]["attributes"].is_array());
    }
}
