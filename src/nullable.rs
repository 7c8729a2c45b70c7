//! JSON `null` as "absent" (issue 17): OpenAlex, Crossref and most exports
//! write `"abstract": null` or `"keywords": null` for a field they do not
//! have. A field that defaults when missing must default when null too.

use serde::{Deserialize, Deserializer};

/// `#[serde(default, deserialize_with = "crate::nullable::or_default")]`:
/// a missing or `null` field is `T::default()`; any other value must have
/// `T`'s shape, and a wrong type is still an error naming the field.
pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct S {
        #[serde(default, deserialize_with = "super::or_default")]
        text: String,
        #[serde(default, deserialize_with = "super::or_default")]
        list: Vec<String>,
    }

    #[test]
    fn null_and_missing_are_the_default_and_wrong_types_still_fail() {
        let s: S = serde_json::from_str(r#"{"text": null, "list": null}"#).unwrap();
        assert_eq!(
            s,
            S {
                text: String::new(),
                list: vec![]
            }
        );
        let s: S = serde_json::from_str("{}").unwrap();
        assert_eq!(
            s,
            S {
                text: String::new(),
                list: vec![]
            }
        );
        let s: S = serde_json::from_str(r#"{"text": "a", "list": ["b"]}"#).unwrap();
        assert_eq!(s.list, ["b"]);
        let err = serde_json::from_str::<S>(r#"{"text": 3}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}
