//! Property tests of the NotificationData codec: any value built by the presence rules encodes,
//! decodes back to itself, and encodes again to the same bytes; its canonical JSON reads back
//! to the same value. Every valid vector holds the same identity (`cnotif_vectors.rs`); these
//! cover the values no vector has.

use std::borrow::Cow;

use oxconf_wire::cnotif::{
    self, NewMail, NotificationData, NotificationType, Presence, TableEvent, TableEventType,
    TagList, FLAG_M, FLAG_S, FLAG_T, FLAG_U,
};
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = NotificationType> {
    prop::sample::select(NotificationType::ALL.to_vec())
}

fn table_event() -> impl Strategy<Value = TableEventType> {
    prop::sample::select(TableEventType::ALL.to_vec())
}

/// Flag bits the rules allow for `kind`: T and U only on ObjectModified, S only with M.
fn bits_for(kind: NotificationType, raw: u8) -> u16 {
    let mut bits = 0;
    if raw & 1 != 0 {
        bits |= FLAG_M;
        if raw & 2 != 0 {
            bits |= FLAG_S;
        }
    }
    if kind == NotificationType::ObjectModified {
        if raw & 4 != 0 {
            bits |= FLAG_T;
        }
        if raw & 8 != 0 {
            bits |= FLAG_U;
        }
    }
    bits
}

#[derive(Clone, Debug)]
struct Raw {
    kind: NotificationType,
    flag_seed: u8,
    event: TableEventType,
    ids: [[u8; 8]; 12],
    ints: [u32; 4],
    tags: Vec<u32>,
    tag_mode: u8,
    row: Vec<u8>,
    unicode: bool,
    class: String,
}

fn raw() -> impl Strategy<Value = Raw> {
    (
        kind(),
        any::<u8>(),
        table_event(),
        any::<[[u8; 8]; 12]>(),
        any::<[u32; 4]>(),
        prop::collection::vec(any::<u32>(), 0..20),
        0u8..4,
        prop::collection::vec(any::<u8>(), 0..300),
        any::<bool>(),
        "[^\u{0}]{0,40}",
    )
        .prop_map(
            |(kind, flag_seed, event, ids, ints, tags, tag_mode, row, unicode, class)| Raw {
                kind,
                flag_seed,
                event,
                ids,
                ints,
                tags,
                tag_mode,
                row,
                unicode,
                class,
            },
        )
}

/// The value the presence rules make of `r`: exactly the fields they require, filled in.
fn build(r: &Raw) -> NotificationData<'static> {
    let bits = bits_for(r.kind, r.flag_seed);
    let mut n = NotificationData::empty(r.kind, bits);
    let table = (r.kind == NotificationType::TableModified).then_some(r.event);
    let p = Presence::of(r.kind, bits, table);
    let id = |i: usize, on: bool| on.then_some(r.ids[i]);
    if let Some(event) = table {
        n.table = Some(TableEvent {
            event,
            row_folder_id: id(0, p.table_row_folder_id),
            row_message_id: id(1, p.table_row_message_id),
            row_instance: p.table_row_instance.then_some(r.ints[0]),
            insert_after_folder_id: id(2, p.insert_after_folder_id),
            insert_after_row_id: id(3, p.insert_after_row_id),
            insert_after_instance: p.insert_after_instance.then_some(r.ints[1]),
            row_data: p.table_row_data.then(|| Cow::Owned(r.row.clone())),
        });
    }
    n.folder_id = id(4, p.folder_id);
    n.message_id = id(5, p.message_id);
    n.parent_folder_id = id(6, p.parent_folder_id);
    n.old_folder_id = id(7, p.old_folder_id);
    n.old_message_id = id(8, p.old_message_id);
    n.old_parent_folder_id = id(9, p.old_parent_folder_id);
    if p.tag_count {
        n.tags = Some(match r.tag_mode {
            0 => TagList::new(&[]),
            1 => TagList {
                count: TagList::TOO_MANY,
                raw: Cow::Owned(Vec::new()),
            },
            _ => TagList::new(&r.tags),
        });
    }
    n.total_message_count = p.total_message_count.then_some(r.ints[2]);
    n.unread_message_count = p.unread_message_count.then_some(r.ints[3]);
    if p.new_mail {
        let class: String = if r.unicode {
            r.class.clone()
        } else {
            r.class
                .chars()
                .filter(|c| c.is_ascii() && *c != '\0')
                .collect()
        };
        n.new_mail = Some(NewMail::new(r.ints[0], r.unicode, &class));
    }
    n
}

proptest! {
    #[test]
    fn encode_decode_encode_is_the_identity(r in raw()) {
        let n = build(&r);
        prop_assert!(n.presence_problems().is_empty(), "{:?}", n.presence_problems());
        let bytes = n.encode().expect("a value built by the rules encodes");
        let back = cnotif::decode(&bytes).expect("what the encoder wrote decodes");
        prop_assert_eq!(&back, &n);
        prop_assert_eq!(back.encode().expect("re-encodes"), bytes.clone());
        let json: serde_json::Value =
            serde_json::from_str(&cnotif::to_json(&back)).expect("canonical JSON");
        let from_json = cnotif::from_json(&json).expect("the canonical JSON reads back");
        prop_assert_eq!(from_json.encode().expect("encodes"), bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_valid_ones_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        match cnotif::decode(&bytes) {
            Ok(n) => prop_assert_eq!(n.encode().expect("a decoded value encodes"), bytes),
            Err(e) => prop_assert!(e.offset() <= bytes.len()),
        }
    }
}

#[test]
fn the_encoder_refuses_values_that_break_the_presence_rules() {
    let mut n = NotificationData::empty(NotificationType::NewMail, FLAG_M);
    n.folder_id = Some([1; 8]);
    // MessageId and the NewMail fields are missing.
    assert!(n.encode().is_err());
    let mut t = NotificationData::empty(NotificationType::ObjectCreated, 0);
    t.folder_id = Some([1; 8]);
    t.parent_folder_id = Some([2; 8]);
    t.tags = Some(TagList::new(&[]));
    t.message_id = Some([3; 8]);
    assert!(t.encode().unwrap_err().contains("MessageId"));
}
