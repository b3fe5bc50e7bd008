//! RopNotify NotificationData (MS-OXCNOTIF 2.2.1.4.1.1): the model, the decoder that applies
//! the field-presence rules and the decode-format document's rule order, and the encoder.
//!
//! The decoder borrows every variable field from the input and allocates nothing, so it can
//! run over a MAPI/HTTP response as fast as the bytes arrive. The presence rules live in one
//! place, [`Presence`], which both the decoder and the encoder follow: a buffer the encoder
//! writes is, by construction, one the decoder reads back field for field.

use std::borrow::Cow;

use crate::binary::{BinError, NoTrace, Reader, Trace};

/// An 8-byte FolderId or MessageId, as the wire bytes (MS-OXCDATA 2.2.1.1: ReplicaId then
/// GlobalCounter); the canonical decode prints these bytes in wire order.
pub type Id = [u8; 8];

pub const FLAG_T: u16 = 0x1000;
pub const FLAG_U: u16 = 0x2000;
pub const FLAG_S: u16 = 0x4000;
pub const FLAG_M: u16 = 0x8000;
pub const TYPE_MASK: u16 = 0x0FFF;

/// NotificationType, the low 12 bits of NotificationFlags (E-CN-05).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotificationType {
    NewMail,
    ObjectCreated,
    ObjectDeleted,
    ObjectModified,
    ObjectMoved,
    ObjectCopied,
    /// "SearchCompleted" in the table, "SearchComplete" elsewhere (E-CN-20).
    SearchComplete,
    TableModified,
}

impl NotificationType {
    pub const ALL: [NotificationType; 8] = [
        NotificationType::NewMail,
        NotificationType::ObjectCreated,
        NotificationType::ObjectDeleted,
        NotificationType::ObjectModified,
        NotificationType::ObjectMoved,
        NotificationType::ObjectCopied,
        NotificationType::SearchComplete,
        NotificationType::TableModified,
    ];

    /// The reserved value 0x0400 (E-CN-23): never sent, rejected by the strict decoder.
    pub const RESERVED: u16 = 0x0400;

    pub fn value(self) -> u16 {
        match self {
            NotificationType::NewMail => 0x0002,
            NotificationType::ObjectCreated => 0x0004,
            NotificationType::ObjectDeleted => 0x0008,
            NotificationType::ObjectModified => 0x0010,
            NotificationType::ObjectMoved => 0x0020,
            NotificationType::ObjectCopied => 0x0040,
            NotificationType::SearchComplete => 0x0080,
            NotificationType::TableModified => 0x0100,
        }
    }

    #[inline]
    pub fn from_value(v: u16) -> Option<Self> {
        Some(match v {
            0x0002 => NotificationType::NewMail,
            0x0004 => NotificationType::ObjectCreated,
            0x0008 => NotificationType::ObjectDeleted,
            0x0010 => NotificationType::ObjectModified,
            0x0020 => NotificationType::ObjectMoved,
            0x0040 => NotificationType::ObjectCopied,
            0x0080 => NotificationType::SearchComplete,
            0x0100 => NotificationType::TableModified,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            NotificationType::NewMail => "NewMail",
            NotificationType::ObjectCreated => "ObjectCreated",
            NotificationType::ObjectDeleted => "ObjectDeleted",
            NotificationType::ObjectModified => "ObjectModified",
            NotificationType::ObjectMoved => "ObjectMoved",
            NotificationType::ObjectCopied => "ObjectCopied",
            NotificationType::SearchComplete => "SearchComplete",
            NotificationType::TableModified => "TableModified",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// TableEventType (present for TableModified only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableEventType {
    TableChanged,
    TableRowAdded,
    TableRowDeleted,
    TableRowModified,
    TableRestrictionChanged,
}

impl TableEventType {
    pub const ALL: [TableEventType; 5] = [
        TableEventType::TableChanged,
        TableEventType::TableRowAdded,
        TableEventType::TableRowDeleted,
        TableEventType::TableRowModified,
        TableEventType::TableRestrictionChanged,
    ];

    pub fn value(self) -> u16 {
        match self {
            TableEventType::TableChanged => 0x0001,
            TableEventType::TableRowAdded => 0x0003,
            TableEventType::TableRowDeleted => 0x0004,
            TableEventType::TableRowModified => 0x0005,
            TableEventType::TableRestrictionChanged => 0x0007,
        }
    }

    #[inline]
    pub fn from_value(v: u16) -> Option<Self> {
        Some(match v {
            0x0001 => TableEventType::TableChanged,
            0x0003 => TableEventType::TableRowAdded,
            0x0004 => TableEventType::TableRowDeleted,
            0x0005 => TableEventType::TableRowModified,
            0x0007 => TableEventType::TableRestrictionChanged,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            TableEventType::TableChanged => "TableChanged",
            TableEventType::TableRowAdded => "TableRowAdded",
            TableEventType::TableRowDeleted => "TableRowDeleted",
            TableEventType::TableRowModified => "TableRowModified",
            TableEventType::TableRestrictionChanged => "TableRestrictionChanged",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Row added, deleted or modified: the TableRow* identity fields are present.
    fn names_row(self) -> bool {
        matches!(
            self,
            TableEventType::TableRowAdded
                | TableEventType::TableRowDeleted
                | TableEventType::TableRowModified
        )
    }

    /// Row added or modified: the InsertAfter* fields and the row data are present.
    fn carries_row(self) -> bool {
        matches!(
            self,
            TableEventType::TableRowAdded | TableEventType::TableRowModified
        )
    }
}

/// The table fields of a TableModified notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEvent<'a> {
    pub event: TableEventType,
    pub row_folder_id: Option<Id>,
    pub row_message_id: Option<Id>,
    pub row_instance: Option<u32>,
    pub insert_after_folder_id: Option<Id>,
    pub insert_after_row_id: Option<Id>,
    pub insert_after_instance: Option<u32>,
    /// TableRowData (its length is TableRowDataSize).
    pub row_data: Option<Cow<'a, [u8]>>,
}

/// TagCount with its Tags: the tag list is held as the raw little-endian bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagList<'a> {
    pub count: u16,
    /// `count` × 4 bytes when `count` is neither 0x0000 nor 0xFFFF, empty otherwise.
    pub raw: Cow<'a, [u8]>,
}

impl TagList<'_> {
    /// TagCount 0xFFFF: the tags would not fit in the output buffer (OXCNOTIF-R051).
    pub const TOO_MANY: u16 = 0xFFFF;

    pub fn new(tags: &[u32]) -> TagList<'static> {
        TagList {
            count: tags.len() as u16,
            raw: Cow::Owned(tags.iter().flat_map(|t| t.to_le_bytes()).collect()),
        }
    }

    pub fn tags(&self) -> impl Iterator<Item = u32> + '_ {
        self.raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    fn has_list(count: u16) -> bool {
        count != 0 && count != Self::TOO_MANY
    }
}

/// The NewMail fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMail<'a> {
    pub message_flags: u32,
    /// UnicodeFlag: MessageClass is UTF-16LE when true, ASCII when false.
    pub unicode: bool,
    /// MessageClass as on the wire, without its terminator.
    pub class: Cow<'a, [u8]>,
}

impl NewMail<'_> {
    /// A NewMail part with `class` encoded as `unicode` selects.
    pub fn new(message_flags: u32, unicode: bool, class: &str) -> NewMail<'static> {
        let bytes = if unicode {
            class.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
        } else {
            class.as_bytes().to_vec()
        };
        NewMail {
            message_flags,
            unicode,
            class: Cow::Owned(bytes),
        }
    }

    /// MessageClass as text (lossy for a class the decoder would refuse).
    pub fn class_text(&self) -> String {
        if self.unicode {
            let units: Vec<u16> = self
                .class
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(&self.class).into_owned()
        }
    }
}

/// A decoded NotificationData buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationData<'a> {
    pub kind: NotificationType,
    /// The T, U, S and M bits as on the wire (the type bits cleared).
    pub flag_bits: u16,
    pub table: Option<TableEvent<'a>>,
    pub folder_id: Option<Id>,
    pub message_id: Option<Id>,
    pub parent_folder_id: Option<Id>,
    pub old_folder_id: Option<Id>,
    pub old_message_id: Option<Id>,
    pub old_parent_folder_id: Option<Id>,
    pub tags: Option<TagList<'a>>,
    pub total_message_count: Option<u32>,
    pub unread_message_count: Option<u32>,
    pub new_mail: Option<NewMail<'a>>,
}

/// Which fields a NotificationFlags value (and a TableEventType) make present: the rules of
/// 2.2.1.4.1.1 with E-CN-09 for InsertAfterTableRowInstance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Presence {
    pub table_event_type: bool,
    pub table_row_folder_id: bool,
    pub table_row_message_id: bool,
    pub table_row_instance: bool,
    pub insert_after_folder_id: bool,
    pub insert_after_row_id: bool,
    pub insert_after_instance: bool,
    pub table_row_data: bool,
    pub folder_id: bool,
    pub message_id: bool,
    pub parent_folder_id: bool,
    pub old_folder_id: bool,
    pub old_message_id: bool,
    pub old_parent_folder_id: bool,
    pub tag_count: bool,
    pub total_message_count: bool,
    pub unread_message_count: bool,
    pub new_mail: bool,
}

impl Presence {
    /// The fields present for `kind` with flag bits `bits`; the table fields need the event
    /// type, which the decoder reads before asking.
    #[inline]
    pub fn of(kind: NotificationType, bits: u16, table: Option<TableEventType>) -> Presence {
        use NotificationType as N;
        let m = bits & FLAG_M != 0;
        let s = bits & FLAG_S != 0;
        let is_table = kind == N::TableModified;
        let names_row = table.is_some_and(TableEventType::names_row);
        let carries_row = table.is_some_and(TableEventType::carries_row);
        let moved = matches!(kind, N::ObjectMoved | N::ObjectCopied);
        Presence {
            table_event_type: is_table,
            table_row_folder_id: names_row,
            table_row_message_id: m && names_row,
            table_row_instance: m && names_row,
            insert_after_folder_id: carries_row,
            insert_after_row_id: m && carries_row,
            insert_after_instance: m && carries_row,
            table_row_data: carries_row,
            folder_id: !is_table,
            message_id: !is_table && m,
            parent_folder_id: matches!(
                kind,
                N::ObjectCreated | N::ObjectDeleted | N::ObjectMoved | N::ObjectCopied
            ) && s == m,
            old_folder_id: moved,
            old_message_id: moved && m,
            old_parent_folder_id: moved && !m,
            tag_count: matches!(kind, N::ObjectCreated | N::ObjectModified),
            total_message_count: bits & FLAG_T != 0,
            unread_message_count: bits & FLAG_U != 0,
            new_mail: kind == N::NewMail,
        }
    }
}

/// The rule ids of the decode-format document: the first defect of a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `truncated:<Field>`.
    Truncated(&'static str),
    TrailingBytes,
    TypeUnknown,
    TypeReserved,
    TBitNotObjectModified,
    UBitNotObjectModified,
    SWithoutM,
    TableEventTypeUnknown,
    TagCountExceedsBuffer,
    TableRowDataSizeExceedsBuffer,
    UnicodeFlagInvalid,
    MessageClassNotAscii,
    MessageClassInvalidUtf16,
}

impl Rule {
    /// Every rule but the per-field truncations, in the document's table order.
    pub const FIXED: [Rule; 12] = [
        Rule::TrailingBytes,
        Rule::TypeUnknown,
        Rule::TypeReserved,
        Rule::TBitNotObjectModified,
        Rule::UBitNotObjectModified,
        Rule::SWithoutM,
        Rule::TableEventTypeUnknown,
        Rule::TagCountExceedsBuffer,
        Rule::TableRowDataSizeExceedsBuffer,
        Rule::UnicodeFlagInvalid,
        Rule::MessageClassNotAscii,
        Rule::MessageClassInvalidUtf16,
    ];

    /// The rule id as the document spells it.
    pub fn id(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Rule::Truncated(field) => return Cow::Owned(format!("truncated:{field}")),
            Rule::TrailingBytes => "trailing-bytes",
            Rule::TypeUnknown => "notificationtype-unknown",
            Rule::TypeReserved => "notificationtype-reserved",
            Rule::TBitNotObjectModified => "t-bit-not-objectmodified",
            Rule::UBitNotObjectModified => "u-bit-not-objectmodified",
            Rule::SWithoutM => "s-without-m",
            Rule::TableEventTypeUnknown => "tableeventtype-unknown",
            Rule::TagCountExceedsBuffer => "tagcount-exceeds-buffer",
            Rule::TableRowDataSizeExceedsBuffer => "tablerowdatasize-exceeds-buffer",
            Rule::UnicodeFlagInvalid => "unicodeflag-invalid",
            Rule::MessageClassNotAscii => "messageclass-not-ascii",
            Rule::MessageClassInvalidUtf16 => "messageclass-invalid-utf16",
        })
    }

    /// The catalogue requirement a rule enforces.
    pub fn requirement(self) -> &'static str {
        match self {
            Rule::Truncated(_) | Rule::TrailingBytes => "OXCNOTIF-R059",
            Rule::TypeUnknown | Rule::TypeReserved => "OXCNOTIF-R027",
            Rule::TBitNotObjectModified => "OXCNOTIF-R028",
            Rule::UBitNotObjectModified => "OXCNOTIF-R029",
            Rule::SWithoutM => "OXCNOTIF-R030",
            Rule::TableEventTypeUnknown => "OXCNOTIF-R034",
            Rule::TagCountExceedsBuffer => "OXCNOTIF-R052",
            Rule::TableRowDataSizeExceedsBuffer => "OXCNOTIF-R041",
            Rule::UnicodeFlagInvalid => "OXCNOTIF-R056",
            Rule::MessageClassNotAscii | Rule::MessageClassInvalidUtf16 => "OXCNOTIF-R058",
        }
    }

    /// The rule of a reader error: a truncation for an incomplete field, the named rule for
    /// a malformed one.
    pub fn of(err: &BinError) -> Rule {
        match err {
            BinError::Incomplete { field, .. } => Rule::Truncated(field),
            BinError::Malformed { rule, .. } => Rule::from_id(rule).unwrap_or(Rule::TrailingBytes),
        }
    }

    /// The rule with this id (`truncated:` ids only for the field names the decoder uses).
    pub fn from_id(id: &str) -> Option<Rule> {
        if let Some(field) = id.strip_prefix("truncated:") {
            return FIELDS
                .iter()
                .find(|f| **f == field)
                .map(|f| Rule::Truncated(f));
        }
        Self::FIXED.into_iter().find(|r| r.id() == id)
    }
}

/// Every field name, in wire order (the canonical decode's key order after the flags).
pub const FIELDS: [&str; 23] = [
    "NotificationFlags",
    "TableEventType",
    "TableRowFolderID",
    "TableRowMessageID",
    "TableRowInstance",
    "InsertAfterTableRowFolderID",
    "InsertAfterTableRowID",
    "InsertAfterTableRowInstance",
    "TableRowDataSize",
    "TableRowData",
    "FolderId",
    "MessageId",
    "ParentFolderId",
    "OldFolderId",
    "OldMessageId",
    "OldParentFolderId",
    "TagCount",
    "Tags",
    "TotalMessageCount",
    "UnreadMessageCount",
    "MessageFlags",
    "UnicodeFlag",
    "MessageClass",
];

/// A decode failure: the first defect's rule and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub rule: Rule,
    pub error: BinError,
}

impl DecodeError {
    fn new(error: BinError) -> Self {
        DecodeError {
            rule: Rule::of(&error),
            error,
        }
    }

    pub fn offset(&self) -> usize {
        self.error.offset()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.rule.id(), self.error)
    }
}

impl std::error::Error for DecodeError {}

#[inline(always)]
fn opt_id<'a, T: Trace<'a>>(
    r: &mut Reader<'a, '_, T>,
    present: bool,
    name: &'static str,
) -> Result<Option<Id>, BinError> {
    if present {
        r.array(name).map(Some)
    } else {
        Ok(None)
    }
}

#[inline(always)]
fn opt_u32<'a, T: Trace<'a>>(
    r: &mut Reader<'a, '_, T>,
    present: bool,
    name: &'static str,
) -> Result<Option<u32>, BinError> {
    if present {
        r.u32(name).map(Some)
    } else {
        Ok(None)
    }
}

/// Decodes a standalone NotificationData buffer: every byte must belong to a field.
#[inline]
pub fn decode(buf: &[u8]) -> Result<NotificationData<'_>, DecodeError> {
    decode_traced(buf, &mut NoTrace)
}

/// [`decode`] reporting each field to `trace` (for annotated dumps).
#[inline]
pub fn decode_traced<'a, T: Trace<'a>>(
    buf: &'a [u8],
    trace: &mut T,
) -> Result<NotificationData<'a>, DecodeError> {
    let mut r = Reader::new(buf, trace);
    let data = read_fields(&mut r).map_err(DecodeError::new)?;
    if r.remaining() > 0 {
        return Err(DecodeError::new(r.malformed(
            "trailing-bytes",
            "NotificationData",
            r.pos(),
        )));
    }
    Ok(data)
}

/// Decodes a NotificationData at the start of `buf` and returns it with the count of bytes it
/// used: inside a ROP buffer it has no length prefix, and the next ROP starts where it ends.
pub fn decode_prefix(buf: &[u8]) -> Result<(NotificationData<'_>, usize), DecodeError> {
    let mut trace = NoTrace;
    let mut r = Reader::new(buf, &mut trace);
    let data = read_fields(&mut r).map_err(DecodeError::new)?;
    Ok((data, r.pos()))
}

/// The fields, in wire order, with the checks of the decode-format document in its order.
#[inline]
pub fn read_fields<'a, T: Trace<'a>>(
    r: &mut Reader<'a, '_, T>,
) -> Result<NotificationData<'a>, BinError> {
    let flags_at = r.pos();
    let flags = r.u16("NotificationFlags")?;
    let type_value = flags & TYPE_MASK;
    let bits = flags & !TYPE_MASK;
    if type_value == NotificationType::RESERVED {
        return Err(r.malformed("notificationtype-reserved", "NotificationFlags", flags_at));
    }
    let Some(kind) = NotificationType::from_value(type_value) else {
        return Err(r.malformed("notificationtype-unknown", "NotificationFlags", flags_at));
    };
    let modified = kind == NotificationType::ObjectModified;
    if bits & FLAG_T != 0 && !modified {
        return Err(r.malformed("t-bit-not-objectmodified", "NotificationFlags", flags_at));
    }
    if bits & FLAG_U != 0 && !modified {
        return Err(r.malformed("u-bit-not-objectmodified", "NotificationFlags", flags_at));
    }
    if bits & FLAG_S != 0 && bits & FLAG_M == 0 {
        return Err(r.malformed("s-without-m", "NotificationFlags", flags_at));
    }

    let mut table = None;
    let mut event = None;
    if kind == NotificationType::TableModified {
        let at = r.pos();
        let v = r.u16("TableEventType")?;
        let Some(t) = TableEventType::from_value(v) else {
            return Err(r.malformed("tableeventtype-unknown", "TableEventType", at));
        };
        event = Some(t);
    }
    let p = Presence::of(kind, bits, event);
    if let Some(event) = event {
        let row_folder_id = opt_id(r, p.table_row_folder_id, "TableRowFolderID")?;
        let row_message_id = opt_id(r, p.table_row_message_id, "TableRowMessageID")?;
        let row_instance = opt_u32(r, p.table_row_instance, "TableRowInstance")?;
        let insert_after_folder_id =
            opt_id(r, p.insert_after_folder_id, "InsertAfterTableRowFolderID")?;
        let insert_after_row_id = opt_id(r, p.insert_after_row_id, "InsertAfterTableRowID")?;
        let insert_after_instance =
            opt_u32(r, p.insert_after_instance, "InsertAfterTableRowInstance")?;
        let row_data = if p.table_row_data {
            let at = r.pos();
            let size = r.u16("TableRowDataSize")? as usize;
            if size > r.remaining() {
                return Err(r.malformed("tablerowdatasize-exceeds-buffer", "TableRowDataSize", at));
            }
            Some(Cow::Borrowed(r.bytes("TableRowData", size)?))
        } else {
            None
        };
        table = Some(TableEvent {
            event,
            row_folder_id,
            row_message_id,
            row_instance,
            insert_after_folder_id,
            insert_after_row_id,
            insert_after_instance,
            row_data,
        });
    }
    let folder_id = opt_id(r, p.folder_id, "FolderId")?;
    let message_id = opt_id(r, p.message_id, "MessageId")?;
    let parent_folder_id = opt_id(r, p.parent_folder_id, "ParentFolderId")?;
    let old_folder_id = opt_id(r, p.old_folder_id, "OldFolderId")?;
    let old_message_id = opt_id(r, p.old_message_id, "OldMessageId")?;
    let old_parent_folder_id = opt_id(r, p.old_parent_folder_id, "OldParentFolderId")?;
    let tags = if p.tag_count {
        let at = r.pos();
        let count = r.u16("TagCount")?;
        let raw = if TagList::has_list(count) {
            let len = count as usize * 4;
            if len > r.remaining() {
                return Err(r.malformed("tagcount-exceeds-buffer", "TagCount", at));
            }
            r.bytes("Tags", len)?
        } else {
            &[]
        };
        Some(TagList {
            count,
            raw: Cow::Borrowed(raw),
        })
    } else {
        None
    };
    let total_message_count = opt_u32(r, p.total_message_count, "TotalMessageCount")?;
    let unread_message_count = opt_u32(r, p.unread_message_count, "UnreadMessageCount")?;
    let new_mail = if p.new_mail {
        let message_flags = r.u32("MessageFlags")?;
        let at = r.pos();
        let unicode = match r.u8("UnicodeFlag")? {
            0 => false,
            1 => true,
            _ => return Err(r.malformed("unicodeflag-invalid", "UnicodeFlag", at)),
        };
        let class = read_class(r, unicode)?;
        Some(NewMail {
            message_flags,
            unicode,
            class: Cow::Borrowed(class),
        })
    } else {
        None
    };
    Ok(NotificationData {
        kind,
        flag_bits: bits,
        table,
        folder_id,
        message_id,
        parent_folder_id,
        old_folder_id,
        old_message_id,
        old_parent_folder_id,
        tags,
        total_message_count,
        unread_message_count,
        new_mail,
    })
}

#[inline]
/// MessageClass up to its terminator (one 0x00 byte, or one 0x0000 unit at an even offset
/// from the field's start for Unicode); returns the class without the terminator.
fn read_class<'a, T: Trace<'a>>(
    r: &mut Reader<'a, '_, T>,
    unicode: bool,
) -> Result<&'a [u8], BinError> {
    let at = r.pos();
    let rest = r.rest();
    let end = if unicode {
        rest.chunks_exact(2)
            .position(|u| u == [0, 0])
            .map(|i| i * 2)
    } else {
        rest.iter().position(|&b| b == 0)
    };
    let Some(end) = end else {
        return Err(BinError::Incomplete {
            field: "MessageClass",
            offset: at,
            needed: rest.len() + if unicode { 2 } else { 1 },
            available: rest.len(),
        });
    };
    let terminator = if unicode { 2 } else { 1 };
    let with_terminator = r.bytes("MessageClass", end + terminator)?;
    let class = &with_terminator[..end];
    if unicode {
        let units = class
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        if char::decode_utf16(units).any(|c| c.is_err()) {
            return Err(r.malformed("messageclass-invalid-utf16", "MessageClass", at));
        }
    } else if !class.is_ascii() {
        return Err(r.malformed("messageclass-not-ascii", "MessageClass", at));
    }
    Ok(class)
}

impl NotificationData<'_> {
    /// NotificationFlags as on the wire.
    pub fn flags(&self) -> u16 {
        self.kind.value() | self.flag_bits
    }

    pub fn m(&self) -> bool {
        self.flag_bits & FLAG_M != 0
    }

    /// A notification of `kind` with `bits` and every field absent: the builders fill in
    /// what [`Presence`] asks for.
    pub fn empty(kind: NotificationType, bits: u16) -> NotificationData<'static> {
        NotificationData {
            kind,
            flag_bits: bits & !TYPE_MASK,
            table: None,
            folder_id: None,
            message_id: None,
            parent_folder_id: None,
            old_folder_id: None,
            old_message_id: None,
            old_parent_folder_id: None,
            tags: None,
            total_message_count: None,
            unread_message_count: None,
            new_mail: None,
        }
    }

    /// The field-presence problems of this value: the fields it has that its flags do not
    /// allow and the ones it lacks. Empty for every decoded value; the encoder refuses values
    /// with problems, since their bytes would not decode as the same value.
    pub fn presence_problems(&self) -> Vec<String> {
        let p = Presence::of(
            self.kind,
            self.flag_bits,
            self.table.as_ref().map(|t| t.event),
        );
        let mut out = Vec::new();
        let mut check = |name: &str, want: bool, have: bool| {
            if want != have {
                out.push(format!(
                    "{name} is {} but the flags make it {}",
                    if have { "set" } else { "missing" },
                    if want { "present" } else { "absent" }
                ));
            }
        };
        let t = self.table.as_ref();
        check("TableEventType", p.table_event_type, t.is_some());
        check(
            "TableRowFolderID",
            p.table_row_folder_id,
            t.is_some_and(|t| t.row_folder_id.is_some()),
        );
        check(
            "TableRowMessageID",
            p.table_row_message_id,
            t.is_some_and(|t| t.row_message_id.is_some()),
        );
        check(
            "TableRowInstance",
            p.table_row_instance,
            t.is_some_and(|t| t.row_instance.is_some()),
        );
        check(
            "InsertAfterTableRowFolderID",
            p.insert_after_folder_id,
            t.is_some_and(|t| t.insert_after_folder_id.is_some()),
        );
        check(
            "InsertAfterTableRowID",
            p.insert_after_row_id,
            t.is_some_and(|t| t.insert_after_row_id.is_some()),
        );
        check(
            "InsertAfterTableRowInstance",
            p.insert_after_instance,
            t.is_some_and(|t| t.insert_after_instance.is_some()),
        );
        check(
            "TableRowData",
            p.table_row_data,
            t.is_some_and(|t| t.row_data.is_some()),
        );
        check("FolderId", p.folder_id, self.folder_id.is_some());
        check("MessageId", p.message_id, self.message_id.is_some());
        check(
            "ParentFolderId",
            p.parent_folder_id,
            self.parent_folder_id.is_some(),
        );
        check("OldFolderId", p.old_folder_id, self.old_folder_id.is_some());
        check(
            "OldMessageId",
            p.old_message_id,
            self.old_message_id.is_some(),
        );
        check(
            "OldParentFolderId",
            p.old_parent_folder_id,
            self.old_parent_folder_id.is_some(),
        );
        check("TagCount", p.tag_count, self.tags.is_some());
        check(
            "TotalMessageCount",
            p.total_message_count,
            self.total_message_count.is_some(),
        );
        check(
            "UnreadMessageCount",
            p.unread_message_count,
            self.unread_message_count.is_some(),
        );
        check("MessageFlags", p.new_mail, self.new_mail.is_some());
        if let Some(tags) = &self.tags {
            let want = if TagList::has_list(tags.count) {
                tags.count as usize * 4
            } else {
                0
            };
            if tags.raw.len() != want {
                out.push(format!(
                    "Tags holds {} bytes, TagCount {} needs {want}",
                    tags.raw.len(),
                    tags.count
                ));
            }
        }
        if let Some(data) = t.and_then(|t| t.row_data.as_ref()) {
            if data.len() > u16::MAX as usize {
                out.push("TableRowData is longer than TableRowDataSize can say".to_owned());
            }
        }
        out
    }

    /// Appends the wire form to `out`. Err when the value breaks the presence rules.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), String> {
        let problems = self.presence_problems();
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        out.extend_from_slice(&self.flags().to_le_bytes());
        let id = |out: &mut Vec<u8>, v: &Option<Id>| {
            if let Some(v) = v {
                out.extend_from_slice(v);
            }
        };
        let int = |out: &mut Vec<u8>, v: Option<u32>| {
            if let Some(v) = v {
                out.extend_from_slice(&v.to_le_bytes());
            }
        };
        if let Some(t) = &self.table {
            out.extend_from_slice(&t.event.value().to_le_bytes());
            id(out, &t.row_folder_id);
            id(out, &t.row_message_id);
            int(out, t.row_instance);
            id(out, &t.insert_after_folder_id);
            id(out, &t.insert_after_row_id);
            int(out, t.insert_after_instance);
            if let Some(data) = &t.row_data {
                out.extend_from_slice(&(data.len() as u16).to_le_bytes());
                out.extend_from_slice(data);
            }
        }
        id(out, &self.folder_id);
        id(out, &self.message_id);
        id(out, &self.parent_folder_id);
        id(out, &self.old_folder_id);
        id(out, &self.old_message_id);
        id(out, &self.old_parent_folder_id);
        if let Some(tags) = &self.tags {
            out.extend_from_slice(&tags.count.to_le_bytes());
            out.extend_from_slice(&tags.raw);
        }
        int(out, self.total_message_count);
        int(out, self.unread_message_count);
        if let Some(n) = &self.new_mail {
            out.extend_from_slice(&n.message_flags.to_le_bytes());
            out.push(u8::from(n.unicode));
            out.extend_from_slice(&n.class);
            out.extend_from_slice(if n.unicode { &[0, 0] } else { &[0] });
        }
        Ok(())
    }

    /// The wire form. Err when the value breaks the presence rules.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(64);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// The same value owning its bytes.
    pub fn into_owned(self) -> NotificationData<'static> {
        let own = |c: Cow<'_, [u8]>| Cow::Owned(c.into_owned());
        NotificationData {
            kind: self.kind,
            flag_bits: self.flag_bits,
            table: self.table.map(|t| TableEvent {
                event: t.event,
                row_folder_id: t.row_folder_id,
                row_message_id: t.row_message_id,
                row_instance: t.row_instance,
                insert_after_folder_id: t.insert_after_folder_id,
                insert_after_row_id: t.insert_after_row_id,
                insert_after_instance: t.insert_after_instance,
                row_data: t.row_data.map(own),
            }),
            folder_id: self.folder_id,
            message_id: self.message_id,
            parent_folder_id: self.parent_folder_id,
            old_folder_id: self.old_folder_id,
            old_message_id: self.old_message_id,
            old_parent_folder_id: self.old_parent_folder_id,
            tags: self.tags.map(|t| TagList {
                count: t.count,
                raw: own(t.raw),
            }),
            total_message_count: self.total_message_count,
            unread_message_count: self.unread_message_count,
            new_mail: self.new_mail.map(|n| NewMail {
                message_flags: n.message_flags,
                unicode: n.unicode,
                class: own(n.class),
            }),
        }
    }
}
