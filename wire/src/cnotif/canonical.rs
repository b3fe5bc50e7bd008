//! The canonical decoded JSON of `ropnotify-decode-format.md`: the one form in which the
//! vectors, the `notif-decoder` suite and `oxconf decode ropnotify` express a buffer.
//!
//! The writer emits the keys in the document's order (NotificationType, flags, then the
//! present fields in wire order), compact, so two conforming decoders print the same bytes.
//! The reader takes the JSON back into a value, so a vector's expected decode can be encoded
//! and compared with its hex.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use super::notification::{
    Id, NewMail, NotificationData, NotificationType, TableEvent, TableEventType, TagList, FLAG_M,
    FLAG_S, FLAG_T, FLAG_U,
};
use crate::binary::{hex, parse_hex};

/// A small writer for one JSON object with keys in insertion order.
struct Obj {
    out: String,
    first: bool,
}

impl Obj {
    fn new() -> Self {
        Obj {
            out: String::from("{"),
            first: true,
        }
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str(&Value::String(k.to_owned()).to_string());
        self.out.push(':');
    }

    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        self.out.push_str(&Value::String(v.to_owned()).to_string());
    }

    fn raw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.out.push_str(v);
    }

    fn num(&mut self, k: &str, v: u64) {
        self.key(k);
        let _ = write!(self.out, "{v}");
    }

    fn id(&mut self, k: &str, v: &Option<Id>) {
        if let Some(v) = v {
            self.str(k, &hex(v));
        }
    }

    fn opt_num(&mut self, k: &str, v: Option<u32>) {
        if let Some(v) = v {
            self.num(k, u64::from(v));
        }
    }

    fn end(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// `{"error": "RULE"}`, the decoder contract's rejection.
pub fn error_json(rule: &str) -> String {
    let mut o = Obj::new();
    o.str("error", rule);
    o.end()
}

/// The canonical decode of a value, as one compact JSON object.
pub fn to_json(n: &NotificationData<'_>) -> String {
    let mut o = Obj::new();
    o.str("NotificationType", n.kind.name());
    let bits = n.flag_bits;
    let flag = |b: u16| if bits & b != 0 { "true" } else { "false" };
    o.raw(
        "flags",
        &format!(
            "{{\"T\":{},\"U\":{},\"S\":{},\"M\":{}}}",
            flag(FLAG_T),
            flag(FLAG_U),
            flag(FLAG_S),
            flag(FLAG_M)
        ),
    );
    if let Some(t) = &n.table {
        o.str("TableEventType", t.event.name());
        o.id("TableRowFolderID", &t.row_folder_id);
        o.id("TableRowMessageID", &t.row_message_id);
        o.opt_num("TableRowInstance", t.row_instance);
        o.id("InsertAfterTableRowFolderID", &t.insert_after_folder_id);
        o.id("InsertAfterTableRowID", &t.insert_after_row_id);
        o.opt_num("InsertAfterTableRowInstance", t.insert_after_instance);
        if let Some(data) = &t.row_data {
            o.num("TableRowDataSize", data.len() as u64);
            o.str("TableRowData", &hex(data));
        }
    }
    o.id("FolderId", &n.folder_id);
    o.id("MessageId", &n.message_id);
    o.id("ParentFolderId", &n.parent_folder_id);
    o.id("OldFolderId", &n.old_folder_id);
    o.id("OldMessageId", &n.old_message_id);
    o.id("OldParentFolderId", &n.old_parent_folder_id);
    if let Some(tags) = &n.tags {
        o.num("TagCount", u64::from(tags.count));
        if !tags.raw.is_empty() {
            let list: Vec<Value> = tags
                .tags()
                .map(|t| Value::String(format!("0x{t:08X}")))
                .collect();
            o.raw("Tags", &Value::Array(list).to_string());
        }
    }
    o.opt_num("TotalMessageCount", n.total_message_count);
    o.opt_num("UnreadMessageCount", n.unread_message_count);
    if let Some(m) = &n.new_mail {
        o.num("MessageFlags", u64::from(m.message_flags));
        o.raw("UnicodeFlag", if m.unicode { "true" } else { "false" });
        o.str("MessageClass", &m.class_text());
    }
    o.end()
}

fn field<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    v.get(k)
}

fn id_of(v: &Value, k: &str) -> Result<Option<Id>, String> {
    let Some(s) = field(v, k) else {
        return Ok(None);
    };
    let s = s.as_str().ok_or_else(|| format!("{k} is not a string"))?;
    let bytes = parse_hex(s).map_err(|e| format!("{k}: {e}"))?;
    let id: Id = bytes
        .try_into()
        .map_err(|_| format!("{k} is not 8 bytes of hex"))?;
    Ok(Some(id))
}

fn u32_of(v: &Value, k: &str) -> Result<Option<u32>, String> {
    let Some(n) = field(v, k) else {
        return Ok(None);
    };
    n.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| format!("{k} is not a 32-bit unsigned integer"))
}

/// Reads a canonical decode back into a value (the vectors' expected decodes; `oxconf`'s
/// encoder input). Err names the first key that is missing or of the wrong form. The value
/// is not checked against the presence rules here: `encode` does that.
pub fn from_json(v: &Value) -> Result<NotificationData<'static>, String> {
    let kind_name = field(v, "NotificationType")
        .and_then(Value::as_str)
        .ok_or("NotificationType is missing or not a string")?;
    let kind = NotificationType::from_name(kind_name)
        .ok_or_else(|| format!("unknown NotificationType {kind_name:?}"))?;
    let flags = field(v, "flags").ok_or("flags is missing")?;
    let mut bits = 0u16;
    for (name, bit) in [("T", FLAG_T), ("U", FLAG_U), ("S", FLAG_S), ("M", FLAG_M)] {
        match flags.get(name).and_then(Value::as_bool) {
            Some(true) => bits |= bit,
            Some(false) => {}
            None => return Err(format!("flags.{name} is missing or not a boolean")),
        }
    }
    let mut n = NotificationData::empty(kind, bits);
    if let Some(t) = field(v, "TableEventType") {
        let name = t.as_str().ok_or("TableEventType is not a string")?;
        let event = TableEventType::from_name(name)
            .ok_or_else(|| format!("unknown TableEventType {name:?}"))?;
        let row_data = match field(v, "TableRowData") {
            Some(d) => {
                let s = d.as_str().ok_or("TableRowData is not a string")?;
                let bytes = parse_hex(s).map_err(|e| format!("TableRowData: {e}"))?;
                Some(Cow::<'static, [u8]>::Owned(bytes))
            }
            None => None,
        };
        if let (Some(size), Some(data)) = (u32_of(v, "TableRowDataSize")?, &row_data) {
            if size as usize != data.len() {
                return Err(format!(
                    "TableRowDataSize {size} but TableRowData holds {} bytes",
                    data.len()
                ));
            }
        }
        n.table = Some(TableEvent {
            event,
            row_folder_id: id_of(v, "TableRowFolderID")?,
            row_message_id: id_of(v, "TableRowMessageID")?,
            row_instance: u32_of(v, "TableRowInstance")?,
            insert_after_folder_id: id_of(v, "InsertAfterTableRowFolderID")?,
            insert_after_row_id: id_of(v, "InsertAfterTableRowID")?,
            insert_after_instance: u32_of(v, "InsertAfterTableRowInstance")?,
            row_data,
        });
    }
    n.folder_id = id_of(v, "FolderId")?;
    n.message_id = id_of(v, "MessageId")?;
    n.parent_folder_id = id_of(v, "ParentFolderId")?;
    n.old_folder_id = id_of(v, "OldFolderId")?;
    n.old_message_id = id_of(v, "OldMessageId")?;
    n.old_parent_folder_id = id_of(v, "OldParentFolderId")?;
    if let Some(count) = u32_of(v, "TagCount")? {
        let count = u16::try_from(count).map_err(|_| "TagCount is above 0xFFFF".to_owned())?;
        let mut tags = Vec::new();
        if let Some(list) = field(v, "Tags") {
            for t in list.as_array().ok_or("Tags is not a list")? {
                let s = t.as_str().ok_or("a tag is not a string")?;
                let digits = s
                    .strip_prefix("0x")
                    .ok_or_else(|| format!("tag {s:?} lacks 0x"))?;
                tags.push(
                    u32::from_str_radix(digits, 16).map_err(|_| format!("tag {s:?} is not hex"))?,
                );
            }
        }
        let mut list = TagList::new(&tags);
        list.count = count;
        n.tags = Some(list);
    }
    n.total_message_count = u32_of(v, "TotalMessageCount")?;
    n.unread_message_count = u32_of(v, "UnreadMessageCount")?;
    if let Some(flags) = u32_of(v, "MessageFlags")? {
        let unicode = field(v, "UnicodeFlag")
            .and_then(Value::as_bool)
            .ok_or("UnicodeFlag is missing or not a boolean")?;
        let class = field(v, "MessageClass")
            .and_then(Value::as_str)
            .ok_or("MessageClass is missing or not a string")?;
        n.new_mail = Some(NewMail::new(flags, unicode, class));
    }
    Ok(n)
}
