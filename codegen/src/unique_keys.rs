//! JSON objects read into maps with each key allowed once. serde keeps only the last of
//! repeated keys, which would drop the earlier entries without a word; these readers refuse
//! the file instead, naming the key. Used with `#[serde(deserialize_with = …)]` for every map
//! of the spec and of the files beside it. (Inside an `additionalProperties` schema, which is
//! read as either a flag or a schema, serde reports the repeated key only as a value that
//! matches neither, at the path of `additionalProperties`.)

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, MapAccess};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A map that JSON objects are read into.
pub trait KeyedMap<V>: Default {
    /// Inserts `value` under `key`; gives back the value it replaced, if any.
    fn insert_entry(&mut self, key: String, value: V) -> Option<V>;
}

impl<V> KeyedMap<V> for BTreeMap<String, V> {
    fn insert_entry(&mut self, key: String, value: V) -> Option<V> {
        self.insert(key, value)
    }
}

impl<V> KeyedMap<V> for IndexMap<String, V> {
    fn insert_entry(&mut self, key: String, value: V) -> Option<V> {
        self.insert(key, value)
    }
}

/// Reads a JSON object; an error names a key that appears twice.
pub fn deserialize<'de, D, M, V>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: KeyedMap<V>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(UniqueKeys(PhantomData))
}

/// Reads a JSON object or `null` (as `None`); an error names a key that appears twice.
pub fn optional<'de, D, M, V>(deserializer: D) -> Result<Option<M>, D::Error>
where
    D: Deserializer<'de>,
    M: KeyedMap<V>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_option(Optional(PhantomData))
}

struct UniqueKeys<M, V>(PhantomData<(M, V)>);

impl<'de, M: KeyedMap<V>, V: Deserialize<'de>> de::Visitor<'de> for UniqueKeys<M, V> {
    type Value = M;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<M, A::Error> {
        let mut map = M::default();
        while let Some(key) = entries.next_key::<String>()? {
            let value = entries.next_value()?;
            if map.insert_entry(key.clone(), value).is_some() {
                return Err(de::Error::custom(format!("the key `{key}` appears twice")));
            }
        }
        Ok(map)
    }
}

struct Optional<M, V>(PhantomData<(M, V)>);

impl<'de, M: KeyedMap<V>, V: Deserialize<'de>> de::Visitor<'de> for Optional<M, V> {
    type Value = Option<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<M>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<M>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<M>, D::Error> {
        deserialize(deserializer).map(Some)
    }
}
