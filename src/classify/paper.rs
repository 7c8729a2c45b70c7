//! What the classifier reads of a paper ([`Paper`], its [`TopicRef`]s and the
//! [`Field`] a cue stands in) and what it answers ([`AreaTag`]).

use serde::{Deserialize, Serialize};

/// Where a cue was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The title.
    Title,
    /// Author or OpenAlex keywords.
    Keywords,
    /// The abstract.
    Abstract,
    /// An OpenAlex topic assigned to the work.
    Topic,
}

impl Field {
    /// Weight of one distinct cue in this field.
    pub(super) fn weight(self) -> f64 {
        match self {
            Field::Title => 2.0,
            Field::Keywords => 1.5,
            Field::Abstract => 1.0,
            Field::Topic => 2.0,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Keywords => "keywords",
            Field::Abstract => "abstract",
            Field::Topic => "topic",
        }
    }
}

/// An OpenAlex topic on a work (`id` as `T10020` or the full URL).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TopicRef {
    /// Topic id.
    pub id: String,
    /// Display name, shown in evidence.
    #[serde(
        default,
        alias = "display_name",
        deserialize_with = "crate::nullable::or_default"
    )]
    pub name: String,
    /// The topic's OpenAlex field (`"Medicine"`), as a name or as OpenAlex's
    /// `{"display_name": ...}` object: the paper's own field (issue 17).
    #[serde(default, deserialize_with = "field_name")]
    pub field: Option<String>,
}

/// A topic's field as OpenAlex writes it (an object with `display_name`) or
/// as a plain name; `null` is none.
fn field_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Named {
        Name(String),
        Object {
            #[serde(default)]
            display_name: Option<String>,
        },
    }
    Ok(match Option::<Named>::deserialize(d)? {
        Some(Named::Name(n)) => Some(n),
        Some(Named::Object { display_name }) => display_name,
        None => None,
    })
}

/// What the classifier reads of a paper.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paper {
    /// Title.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub title: String,
    /// Abstract as plain text.
    #[serde(
        default,
        rename = "abstract",
        deserialize_with = "crate::nullable::or_default"
    )]
    pub abstract_text: String,
    /// Keywords.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub keywords: Vec<String>,
    /// OpenAlex topics.
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub topics: Vec<TopicRef>,
    /// Journal or conference name: a signal of the paper's field, read like
    /// the title for field context only (it tags no area).
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    pub venue: String,
}

/// One area tag with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTag {
    /// Area slug.
    pub area: &'static str,
    /// Confidence in (0, 1): `1 - exp(-weight / 3)` of the summed evidence.
    pub score: f64,
    /// The Annex technologies the cues belong to.
    pub technologies: Vec<String>,
    /// `field: phrase` and `topic: T… name` lines.
    pub evidence: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_17_a_topic_field_reads_as_object_name_or_null() {
        let p: Paper = serde_json::from_str(
            r#"{"title": "T", "topics": [
                {"id": "T1", "display_name": "A", "field": {"id": "f/27", "display_name": "Medicine"}},
                {"id": "T2", "field": "Physics and Astronomy"},
                {"id": "T3", "field": null}]}"#,
        )
        .unwrap();
        let fields: Vec<Option<&str>> = p.topics.iter().map(|t| t.field.as_deref()).collect();
        assert_eq!(
            fields,
            [Some("Medicine"), Some("Physics and Astronomy"), None]
        );
    }
}
