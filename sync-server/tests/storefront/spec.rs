//! Checks answers against the OpenAPI document the server generates, strictly: the path
//! and status must be documented, the media type must be the documented one, and a JSON
//! body must match its schema with no property the schema does not name (an extra
//! property is how a leak would look).

use std::sync::OnceLock;

use serde_json::Value;

pub struct Spec(Value);

pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        Spec(serde_json::from_str(&galla_sync_server::storefront::openapi_json()).unwrap())
    })
}

impl Spec {
    pub fn document(&self) -> &Value {
        &self.0
    }

    /// The documented template of a concrete path, such as
    /// `/storefront/v1/{business}/products` for `/storefront/v1/demo/products`.
    pub fn template(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, &String)> = None;
        for template in self.0["paths"].as_object()?.keys() {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let fits = parts.iter().zip(&segments).all(|(part, segment)| {
                part == segment || (part.starts_with('{') && !segment.is_empty())
            });
            let literal = parts.iter().filter(|p| !p.starts_with('{')).count();
            if fits && best.is_none_or(|(n, _)| literal > n) {
                best = Some((literal, template));
            }
        }
        best.map(|(_, t)| t.clone())
    }

    /// Whether a GET of `path` answered with `status`, `content_type` and `body` is what
    /// the document promises.
    pub fn check(
        &self,
        path: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let template = self
            .template(path)
            .ok_or_else(|| format!("{path} is not a documented path"))?;
        let response = &self.0["paths"][&template]["get"]["responses"][status.to_string()];
        if response.is_null() {
            return Err(format!("{template} does not document status {status}"));
        }
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return if body.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{template} {status} documents no body, but one came"
                ))
            };
        };
        let media = content_type.unwrap_or_default();
        let (documented, schema) = content
            .iter()
            .find(|(kind, _)| media_fits(kind, media))
            .ok_or_else(|| {
                format!("{template} {status}: media type {media:?} is not documented")
            })?;
        if documented != "application/json" {
            return Ok(());
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| format!("{template} {status}: the body is not JSON ({e})"))?;
        self.validate(&schema["schema"], &value, "$")
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/schemas/");
                self.resolve(&self.0["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    pub fn validate(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if schema.is_null() {
            return Err(format!("{at}: the schema refers to nothing"));
        }
        if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
            let fitting = choices
                .iter()
                .filter(|choice| self.validate(choice, value, at).is_ok())
                .count();
            return if fitting == 1 {
                Ok(())
            } else {
                Err(format!("{at}: {value} fits {fitting} of the oneOf choices"))
            };
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                return Err(format!("{at}: {value} is not one of {allowed:?}"));
            }
        }
        if let Some(kinds) = schema.get("type") {
            let kinds: Vec<&str> = match kinds {
                Value::String(kind) => vec![kind.as_str()],
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !kinds.iter().any(|kind| is_kind(kind, value)) {
                return Err(format!("{at}: {value} is not of type {kinds:?}"));
            }
        }
        if value.is_string() && schema.get("format") == Some(&Value::from("uuid")) {
            let text = value.as_str().unwrap_or_default();
            if uuid::Uuid::parse_str(text).is_err() {
                return Err(format!("{at}: {text:?} is not a uuid"));
            }
        }
        if let Value::Object(object) = value {
            let properties = schema.get("properties").and_then(Value::as_object);
            for required in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !object.contains_key(required) {
                    return Err(format!("{at}: the required {required:?} is missing"));
                }
            }
            // A schema naming no properties is free-form (the OpenAPI document itself).
            for (name, field) in object.iter().filter(|_| properties.is_some()) {
                let Some(field_schema) = properties.and_then(|p| p.get(name)) else {
                    return Err(format!("{at}: {name:?} is not in the documented schema"));
                };
                self.validate(field_schema, field, &format!("{at}.{name}"))?;
            }
        }
        if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
            for (i, item) in items.iter().enumerate() {
                self.validate(item_schema, item, &format!("{at}[{i}]"))?;
            }
        }
        Ok(())
    }
}

fn is_kind(kind: &str, value: &Value) -> bool {
    match kind {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn media_fits(documented: &str, actual: &str) -> bool {
    let actual = actual.split(';').next().unwrap_or_default().trim();
    match documented.strip_suffix("/*") {
        Some(prefix) => actual.starts_with(&format!("{prefix}/")),
        None => documented == actual,
    }
}
