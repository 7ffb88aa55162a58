//! An insertion-ordered JSON value.
//!
//! The real server is JavaScript: objects keep the order in which keys were written, and the user
//! JWT's claims are written in that order (1.3). `serde_json::Value` sorts keys unless the
//! workspace-wide `preserve_order` feature is on, which would silently change other crates, so the
//! emulator keeps its own small ordered value for metadata and claims.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose objects keep their key order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in insertion order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An empty object.
    pub fn object() -> Json {
        Json::Object(Vec::new())
    }

    /// Parses JSON text. Like `JSON.parse`, a repeated key keeps its first position and last value.
    pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Compact JSON text (what `JSON.stringify` prints).
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "null".to_owned())
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` on an object (keeping its position if present). Does nothing on non-objects.
    pub fn insert(&mut self, key: &str, value: Json) {
        if let Json::Object(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some((_, slot)) => *slot = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
    }

    /// Removes `key` from an object.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        if let Json::Object(entries) = self {
            let index = entries.iter().position(|(k, _)| k == key)?;
            return Some(entries.remove(index).1);
        }
        None
    }

    /// JavaScript truthiness: `undefined`, `null`, `false`, `0`, `NaN` and `""` are falsy.
    pub fn is_truthy(&self) -> bool {
        match self {
            Json::Null => false,
            Json::Bool(b) => *b,
            Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
            Json::String(s) => !s.is_empty(),
            Json::Array(_) | Json::Object(_) => true,
        }
    }

    /// `lodash.get(value, path)`: follows a dot path (`user_data.name`, `a[0].b`).
    pub fn get_path(&self, path: &str) -> Option<&Json> {
        let mut current = self;
        for key in path_keys(path) {
            current = match current {
                Json::Object(_) => current.get(&key)?,
                Json::Array(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// `lodash.set(value, path, v)`: creates intermediate objects as needed and replaces
    /// non-object intermediates, as lodash does.
    pub fn set_path(&mut self, path: &str, value: Json) {
        let keys = path_keys(path);
        let Some((last, parents)) = keys.split_last() else {
            return;
        };
        if !matches!(self, Json::Object(_)) {
            *self = Json::object();
        }
        let mut current = self;
        for key in parents {
            let needs_object = !matches!(current.get(key), Some(Json::Object(_)));
            if needs_object {
                current.insert(key, Json::object());
            }
            current = match current {
                Json::Object(entries) => match entries.iter_mut().find(|(k, _)| k == key) {
                    Some((_, v)) => v,
                    None => return,
                },
                _ => return,
            };
        }
        current.insert(last, value);
    }

    /// `lodash.merge(self, other)` for objects: nested objects are merged, other values replace.
    pub fn merge(&mut self, other: &Json) {
        let Json::Object(other_entries) = other else {
            return;
        };
        if !matches!(self, Json::Object(_)) {
            *self = Json::object();
        }
        for (key, value) in other_entries {
            match (self.get(key).cloned(), value) {
                (Some(mut existing @ Json::Object(_)), Json::Object(_)) => {
                    existing.merge(value);
                    self.insert(key, existing);
                }
                _ => self.insert(key, value.clone()),
            }
        }
    }
}

fn path_keys(path: &str) -> Vec<String> {
    path.split(['.', '[', ']'])
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Self {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Self {
        Json::Bool(b)
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Self {
        Json::Number(n.into())
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut object = Json::object();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            object.insert(&key, value);
        }
        Ok(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order() {
        let v = Json::parse(r#"{"z":1,"a":{"y":true,"b":null},"m":"x"}"#).unwrap();
        assert_eq!(
            v.to_json_string(),
            r#"{"z":1,"a":{"y":true,"b":null},"m":"x"}"#
        );
    }

    #[test]
    fn duplicate_keys_keep_first_position_last_value() {
        let v = Json::parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(v.to_json_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn lodash_paths() {
        let mut v = Json::object();
        v.set_path("user_data.name", "Ann".into());
        v.set_path("user_data.age", "7".into());
        v.set_path("top", "t".into());
        assert_eq!(
            v.to_json_string(),
            r#"{"user_data":{"name":"Ann","age":"7"},"top":"t"}"#
        );
        assert_eq!(v.get_path("user_data.name"), Some(&Json::from("Ann")));
        assert_eq!(v.get_path("user_data.missing"), None);
        assert_eq!(v.get_path("top.deeper"), None);
        v.set_path("top.deeper", "d".into());
        assert_eq!(v.get_path("top.deeper"), Some(&Json::from("d")));
    }

    #[test]
    fn merge_is_deep() {
        let mut a = Json::parse(r#"{"u":{"x":"1"},"k":"a"}"#).unwrap();
        a.merge(&Json::parse(r#"{"u":{"y":"2"},"k":"b","n":"c"}"#).unwrap());
        assert_eq!(
            a.to_json_string(),
            r#"{"u":{"x":"1","y":"2"},"k":"b","n":"c"}"#
        );
    }

    #[test]
    fn truthiness_matches_javascript() {
        for falsy in ["null", "false", "0", "\"\"", "0.0"] {
            assert!(!Json::parse(falsy).unwrap().is_truthy(), "{falsy}");
        }
        for truthy in ["true", "1", "\"0\"", "\"false\"", "[]", "{}", "-1"] {
            assert!(Json::parse(truthy).unwrap().is_truthy(), "{truthy}");
        }
    }
}
