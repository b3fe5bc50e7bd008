//! The NotificationData vectors (`vectors/cnotif/notification-data.json`) the suite judges a
//! decoder by, and the scenario each belongs to.

use serde::Deserialize;
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Clone, Debug, Deserialize)]
pub struct Vector {
    #[serde(rename = "tcId")]
    pub id: u64,
    pub comment: String,
    pub flags: Vec<String>,
    pub hex: String,
    pub result: String,
    #[serde(default)]
    pub decoded: Option<Value>,
    #[serde(default)]
    pub rule: Option<String>,
}

#[derive(Deserialize)]
struct Group {
    tests: Vec<Vector>,
}

#[derive(Deserialize)]
struct File {
    #[serde(rename = "testGroups")]
    groups: Vec<Group>,
}

/// Every vector, in file order. The file is compiled in and checked by wire's vector test; an
/// unreadable copy is a build bug, so it reads as no vectors (and every scenario errors).
pub fn all() -> &'static [Vector] {
    static ALL: OnceLock<Vec<Vector>> = OnceLock::new();
    ALL.get_or_init(|| {
        serde_json::from_str::<File>(include_str!(
            "../../../../vectors/cnotif/notification-data.json"
        ))
        .map(|f| f.groups.into_iter().flat_map(|g| g.tests).collect())
        .unwrap_or_default()
    })
}

/// Which vectors a scenario judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The 18 examples of section 4.
    SpecExamples,
    /// Valid generated vectors of one NotificationType (its canonical name).
    Valid(&'static str),
    /// Invalid and acceptable vectors whose rule falls in this defect class.
    Defect(Defect),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    Truncation,
    Flags,
    TableEventType,
    Counts,
    MessageClass,
    TrailingBytes,
}

impl Defect {
    pub fn of(rule: &str) -> Defect {
        match rule {
            r if r.starts_with("truncated:") => Defect::Truncation,
            "notificationtype-unknown"
            | "notificationtype-reserved"
            | "t-bit-not-objectmodified"
            | "u-bit-not-objectmodified"
            | "s-without-m" => Defect::Flags,
            "tableeventtype-unknown" => Defect::TableEventType,
            "tagcount-exceeds-buffer" | "tablerowdatasize-exceeds-buffer" => Defect::Counts,
            "trailing-bytes" => Defect::TrailingBytes,
            _ => Defect::MessageClass,
        }
    }
}

impl Vector {
    pub fn is_spec_example(&self) -> bool {
        self.flags.iter().any(|f| f == "SpecExample")
    }

    fn kind(&self) -> Option<&str> {
        self.decoded.as_ref()?.get("NotificationType")?.as_str()
    }

    pub fn selected_by(&self, s: Selection) -> bool {
        match s {
            Selection::SpecExamples => self.is_spec_example(),
            Selection::Valid(kind) => {
                self.result == "valid" && !self.is_spec_example() && self.kind() == Some(kind)
            }
            Selection::Defect(d) => {
                self.result != "valid" && self.rule.as_deref().map(Defect::of) == Some(d)
            }
        }
    }
}

pub fn select(s: Selection) -> Vec<&'static Vector> {
    all().iter().filter(|v| v.selected_by(s)).collect()
}
