//! The oms-client suite's trigger contract with its users, as JSON: the batch file a trigger
//! command is handed (`{batch_file}`) and the outcome lines it prints, one per message. Users
//! write adapters against these shapes, so they belong to the suite, not to the reference
//! client, which works on its own types; [`BatchFile::messages`] and
//! `MessageOutcome::from(&Conclusion)` are the reference adapter's conversions.

use mocks::oms::client::{Conclusion, TextMessage};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// A batch of text messages as a client is handed it: `{"messages":[{"id":1,"to":[..],"text":".."}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchFile {
    pub messages: Vec<BatchMessage>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchMessage {
    /// The identifier the client must use on the wire; the file may repeat one.
    pub id: u32,
    pub to: Vec<String>,
    pub text: String,
}

impl BatchFile {
    /// Reads a `{batch_file}`; the error names what is wrong, for the trigger's stderr.
    pub fn read(path: &Path) -> Result<BatchFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// The messages as the reference client sends them.
    pub fn messages(&self) -> Vec<TextMessage> {
        self.messages
            .iter()
            .map(|m| TextMessage {
                id: m.id,
                to: m.to.clone(),
                text: m.text.clone(),
            })
            .collect()
    }
}

/// One line of the trigger contract, e.g. `{"id":0,"outcome":"delivered","failed_recipients":[]}`.
/// `outcome` stays a string so a line from a client under test that says something else still
/// deserialises and can be judged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageOutcome {
    pub id: u32,
    /// "delivered" or "failed".
    pub outcome: String,
    pub failed_recipients: Vec<String>,
}

impl MessageOutcome {
    pub fn delivered(id: u32) -> MessageOutcome {
        MessageOutcome {
            id,
            outcome: DELIVERED.to_owned(),
            failed_recipients: Vec::new(),
        }
    }

    pub fn failed(id: u32, failed_recipients: Vec<String>) -> MessageOutcome {
        MessageOutcome {
            id,
            outcome: FAILED.to_owned(),
            failed_recipients,
        }
    }

    pub fn is_delivered(&self) -> bool {
        self.outcome == DELIVERED
    }

    /// The JSON line of the trigger contract.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl From<&Conclusion> for MessageOutcome {
    fn from(c: &Conclusion) -> MessageOutcome {
        if c.delivered {
            MessageOutcome::delivered(c.id)
        } else {
            MessageOutcome::failed(c.id, c.failed_recipients.clone())
        }
    }
}

/// The reference client's conclusions as the trigger prints them, one JSON line each.
pub fn lines(conclusions: &[Conclusion]) -> String {
    conclusions
        .iter()
        .map(|c| MessageOutcome::from(c).to_line())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn serialises_to_the_contract_line() {
        assert_eq!(
            MessageOutcome::delivered(0).to_line(),
            r#"{"id":0,"outcome":"delivered","failed_recipients":[]}"#
        );
        assert_eq!(
            MessageOutcome::failed(7, rs(&["a"])).to_line(),
            r#"{"id":7,"outcome":"failed","failed_recipients":["a"]}"#
        );
    }

    #[test]
    fn conclusions_become_lines() {
        let text = lines(&[Conclusion::delivered(1), Conclusion::failed(2, rs(&["b"]))]);
        assert_eq!(
            text,
            "{\"id\":1,\"outcome\":\"delivered\",\"failed_recipients\":[]}\n\
             {\"id\":2,\"outcome\":\"failed\",\"failed_recipients\":[\"b\"]}"
        );
    }

    #[test]
    fn batch_file_reads_and_converts() {
        let f: BatchFile =
            serde_json::from_str(r#"{"messages":[{"id":3,"to":["1","2"],"text":"hi"}]}"#).unwrap();
        assert_eq!(
            f.messages,
            vec![BatchMessage {
                id: 3,
                to: rs(&["1", "2"]),
                text: "hi".into()
            }]
        );
        assert_eq!(
            f.messages(),
            vec![TextMessage {
                id: 3,
                to: rs(&["1", "2"]),
                text: "hi".into()
            }]
        );
    }

    #[test]
    fn an_unreadable_batch_file_is_named_by_its_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        assert!(BatchFile::read(&path).is_err());
        std::fs::write(&path, "{\"messages\":[{\"id\":-1}]}").unwrap();
        let err = BatchFile::read(&path).unwrap_err();
        assert!(err.contains("invalid value"), "{err}");
    }
}
