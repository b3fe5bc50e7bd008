//! Stable rule names of the reply-mail checks (MS-OMS 2.2.2.1), each tied to its requirement.

pub const CONTENT_CLASS: &str = "reply.contentClass";
pub const REPLY_TO_MOBILE_MISSING: &str = "reply.replyToMobile.missing";
pub const REPLY_TO_MOBILE_NOT_PHONE: &str = "reply.replyToMobile.notPhone";
pub const REPLY_TO_MOBILE_MISMATCH: &str = "reply.replyToMobile.mismatch";
pub const TO: &str = "reply.to";
pub const FROM_MISSING: &str = "reply.from.missing";
pub const SUBJECT_TEXT: &str = "reply.subject.text";
pub const SUBJECT_MMS: &str = "reply.subject.mms";
pub const SUBJECT_MMS_HINT: &str = "reply.subject.mmsHint";
pub const TEXT_CONTENT_TYPE: &str = "reply.text.contentType";
pub const TEXT_CHARSET_MISSING: &str = "reply.text.charsetMissing";
pub const TEXT_NOT_QUOTED_PRINTABLE: &str = "reply.text.notQuotedPrintable";
pub const TEXT_ALTERNATIVE: &str = "reply.text.alternative";
pub const TEXT_BODY: &str = "reply.text.body";
pub const CHARSET_NOT_IANA: &str = "reply.charset.notIana";
pub const MMS_NOT_MULTIPART: &str = "reply.mms.notMultipart";
pub const MMS_NOT_RELATED: &str = "reply.mms.notRelated";
pub const MMS_SMIL_TYPE: &str = "reply.mms.smilType";
pub const MMS_SMIL_NOT_FIRST: &str = "reply.mms.smilNotFirst";
pub const MMS_MEDIA_PARTS: &str = "reply.mms.mediaParts";
pub const MMS_NOT_MIXED: &str = "reply.mms.notMixed";
pub const MMS_MIXED_PARTS: &str = "reply.mms.mixedParts";
pub const MIME_MALFORMED: &str = "reply.mime.malformed";

/// Every rule name `check_reply` can report.
pub const RULES: &[&str] = &[
    CONTENT_CLASS,
    REPLY_TO_MOBILE_MISSING,
    REPLY_TO_MOBILE_NOT_PHONE,
    REPLY_TO_MOBILE_MISMATCH,
    TO,
    FROM_MISSING,
    SUBJECT_TEXT,
    SUBJECT_MMS,
    SUBJECT_MMS_HINT,
    TEXT_CONTENT_TYPE,
    TEXT_CHARSET_MISSING,
    TEXT_NOT_QUOTED_PRINTABLE,
    TEXT_ALTERNATIVE,
    TEXT_BODY,
    CHARSET_NOT_IANA,
    MMS_NOT_MULTIPART,
    MMS_NOT_RELATED,
    MMS_SMIL_TYPE,
    MMS_SMIL_NOT_FIRST,
    MMS_MEDIA_PARTS,
    MMS_NOT_MIXED,
    MMS_MIXED_PARTS,
    MIME_MALFORMED,
];

/// The catalogue requirement behind each rule.
pub fn requirement(rule: &str) -> Option<&'static str> {
    Some(match rule {
        CONTENT_CLASS => "OMS-R008",
        REPLY_TO_MOBILE_MISSING | REPLY_TO_MOBILE_MISMATCH => "OMS-R009",
        REPLY_TO_MOBILE_NOT_PHONE => "OMS-R010",
        TO => "OMS-R011",
        FROM_MISSING => "OMS-R012",
        SUBJECT_TEXT => "OMS-R013",
        SUBJECT_MMS => "OMS-R014",
        SUBJECT_MMS_HINT => "OMS-R015",
        TEXT_CONTENT_TYPE | TEXT_CHARSET_MISSING | TEXT_NOT_QUOTED_PRINTABLE | TEXT_BODY => {
            "OMS-R016"
        }
        TEXT_ALTERNATIVE => "OMS-R017",
        CHARSET_NOT_IANA => "OMS-R018",
        MMS_NOT_MULTIPART => "OMS-R019",
        MMS_NOT_RELATED | MMS_SMIL_TYPE => "OMS-R020",
        MMS_SMIL_NOT_FIRST => "OMS-R021",
        MMS_MEDIA_PARTS => "OMS-R022",
        MMS_NOT_MIXED => "OMS-R023",
        MMS_MIXED_PARTS => "OMS-R024",
        MIME_MALFORMED => "OMS-R148",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_requirement_and_is_unique() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(requirement(rule).is_some(), "{rule} has no requirement");
            assert!(seen.insert(*rule), "{rule} listed twice");
        }
        assert_eq!(requirement("reply.unknown"), None);
    }
}
