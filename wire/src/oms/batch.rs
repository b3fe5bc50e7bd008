//! DeliverXmsBatch documents: xmsBatch (request) and xmsResponses (result), MS-OMS 3.1.4.4.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::ns::OMS_NS;
use super::response::{pairing_findings_at, read_errors, write_errors, DeliveryError};
use super::rules;
use super::schema::{attr_path, child_path, Checker, Slot};
use super::xms_data::{read_message, write_message, User, XmsBody, XmsHead};
use crate::finding::{Finding, LayerError, Parsed};
use crate::xml::XmlWriter;

/// The identifier attribute as the suite writes it (E-OMS-05).
pub const ID_ATTRIBUTE: &str = "id";
/// The schema's spelling, accepted as a deviation.
pub const LEGACY_ID_ATTRIBUTE: &str = "Id";

/// tXmsDataInBatch: an xmsData with an identifier (OMS-R143).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsDataInBatch {
    /// 0 when the peer's identifier was missing or not an unsignedInt (reported).
    pub id: u32,
    pub user: Option<User>,
    pub head: Option<XmsHead>,
    pub body: XmsBody,
}

/// tXmsBatch (OMS-R142).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsBatch {
    pub client: Option<String>,
    pub items: Vec<XmsDataInBatch>,
}

/// tXmsResponseWithId (OMS-R145).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsResponseWithId {
    pub id: u32,
    pub errors: Vec<DeliveryError>,
}

/// xmsResponses: one xmsResponse per batch item (OMS-R145, OMS-R146).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsResponses {
    pub items: Vec<XmsResponseWithId>,
}

impl XmsBatch {
    pub fn to_xml(&self) -> String {
        self.to_xml_with_id_attribute(ID_ATTRIBUTE)
    }

    /// Writes the item identifiers under `attr`, so a probe can send the schema's `Id`
    /// (E-OMS-05).
    pub fn to_xml_with_id_attribute(&self, attr: &str) -> String {
        let mut w = XmlWriter::document();
        let mut attrs = vec![("xmlns", OMS_NS)];
        if let Some(client) = &self.client {
            attrs.push(("client", client.as_str()));
        }
        w.start("xmsBatch", &attrs);
        for item in &self.items {
            let id = item.id.to_string();
            w.start("xmsData", &[(attr, &id)]);
            write_message(&mut w, item.user.as_ref(), item.head.as_ref(), &item.body);
            w.end("xmsData");
        }
        w.end("xmsBatch");
        w.finish()
    }

    /// Reads a batch. An item whose identifier is missing or not an unsignedInt is kept, with
    /// id 0 and a violation, so its message can still be checked; it takes no part in the
    /// uniqueness check.
    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "xmsBatch")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &["client"], &[], "OMS-R142");
        let kids = c.sequence(
            root,
            &path,
            &[Slot::many("xmsData").missing_as(rules::BATCH_NO_ITEM, "OMS-R142")],
            "OMS-R142",
        );
        let mut items = Vec::new();
        // A set, not a list: a batch may hold as many items as the size limit allows.
        let mut seen: HashSet<u32> = HashSet::new();
        for (i, node) in kids.all("xmsData").iter().enumerate() {
            let p = child_path(&path, "xmsData", Some(i));
            c.attributes(
                *node,
                &p,
                &[ID_ATTRIBUTE, LEGACY_ID_ATTRIBUTE],
                &[],
                "OMS-R143",
            );
            let id = read_item_id(&mut c, *node, &p);
            if let Some(id) = id {
                if !seen.insert(id) {
                    c.push(
                        Finding::violation(
                            rules::BATCH_ID_DUPLICATE,
                            attr_path(&p, ID_ATTRIBUTE),
                            format!("id {id} is used by an earlier item of this batch"),
                        )
                        .requirement("OMS-R144"),
                    );
                }
            }
            let (user, head, body) = read_message(&mut c, *node, &p, "OMS-R143");
            c.extend(body.semantic_findings(&format!("{p}/xmsBody")));
            items.push(XmsDataInBatch {
                id: id.unwrap_or(0),
                user,
                head,
                body,
            });
        }
        Ok(Parsed {
            value: XmsBatch {
                client: root.attribute("client").map(str::to_owned),
                items,
            },
            findings: c.finish(),
        })
    }

    pub fn ids(&self) -> Vec<u32> {
        self.items.iter().map(|i| i.id).collect()
    }
}

fn read_item_id(c: &mut Checker, node: roxmltree::Node<'_, '_>, path: &str) -> Option<u32> {
    let legacy = node.attribute(LEGACY_ID_ATTRIBUTE);
    if legacy.is_some() {
        c.push(
            Finding::deviation(
                rules::BATCH_ID_LEGACY_NAME,
                "E-OMS-05",
                attr_path(path, LEGACY_ID_ATTRIBUTE),
                "identifier spelled \"Id\" (schema); the wire spelling is \"id\"",
            )
            .requirement("OMS-R143"),
        );
    }
    match (node.attribute(ID_ATTRIBUTE), legacy) {
        (Some(raw), _) => c.unsigned_int(raw, &attr_path(path, ID_ATTRIBUTE), "OMS-R143"),
        (None, Some(raw)) => c.unsigned_int(raw, &attr_path(path, LEGACY_ID_ATTRIBUTE), "OMS-R143"),
        (None, None) => {
            c.push(
                Finding::violation(
                    rules::SCHEMA_ATTRIBUTE_MISSING,
                    attr_path(path, ID_ATTRIBUTE),
                    "batch item without id",
                )
                .requirement("OMS-R143"),
            );
            None
        }
    }
}

impl XmsResponses {
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        w.start("xmsResponses", &[("xmlns", OMS_NS)]);
        for item in &self.items {
            let id = item.id.to_string();
            w.start("xmsResponse", &[(ID_ATTRIBUTE, &id)]);
            write_errors(&mut w, &item.errors);
            w.end("xmsResponse");
        }
        w.end("xmsResponses");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "xmsResponses")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &[], &[], "OMS-R145");
        let kids = c.sequence(
            root,
            &path,
            &[Slot::many("xmsResponse").missing_as(rules::BATCH_NO_RESPONSE, "OMS-R145")],
            "OMS-R145",
        );
        let mut items = Vec::new();
        let mut seen: HashSet<u32> = HashSet::new();
        for (i, node) in kids.all("xmsResponse").iter().enumerate() {
            let p = child_path(&path, "xmsResponse", Some(i));
            c.attributes(*node, &p, &[ID_ATTRIBUTE], &[ID_ATTRIBUTE], "OMS-R145");
            let id = node
                .attribute(ID_ATTRIBUTE)
                .and_then(|raw| c.unsigned_int(raw, &attr_path(&p, ID_ATTRIBUTE), "OMS-R145"));
            if let Some(id) = id {
                if !seen.insert(id) {
                    c.push(
                        Finding::violation(
                            rules::BATCH_RESPONSE_DUPLICATE_ID,
                            attr_path(&p, ID_ATTRIBUTE),
                            format!("a second xmsResponse for id {id}"),
                        )
                        .requirement("OMS-R146"),
                    );
                }
            }
            let errors = read_errors(&mut c, *node, &p, "OMS-R145");
            items.push(XmsResponseWithId {
                id: id.unwrap_or(0),
                errors,
            });
        }
        Ok(Parsed {
            value: XmsResponses { items },
            findings: c.finish(),
        })
    }

    /// The response for batch item `id`, the first if a server sent several.
    pub fn get(&self, id: u32) -> Option<&XmsResponseWithId> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Code/severity pairing of every item (see `response::pairing_findings`).
    pub fn pairing_findings(&self) -> Vec<Finding> {
        self.items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                pairing_findings_at(
                    &item.errors,
                    &child_path("/xmsResponses", "xmsResponse", Some(i)),
                )
            })
            .collect()
    }

    /// Every request item answered, nothing else answered (OMS-R146).
    ///
    /// Both sides are looked up in sets: the answer is the server's, and may be as long as
    /// the size limit allows.
    pub fn coverage_findings(&self, request_ids: &[u32]) -> Vec<Finding> {
        let answered: HashSet<u32> = self.items.iter().map(|i| i.id).collect();
        let requested: HashSet<u32> = request_ids.iter().copied().collect();
        let mut out = Vec::new();
        for id in request_ids {
            if !answered.contains(id) {
                out.push(
                    Finding::violation(
                        rules::BATCH_RESPONSE_MISSING_ID,
                        "/xmsResponses",
                        format!("no xmsResponse for batch item {id}"),
                    )
                    .requirement("OMS-R146"),
                );
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            if !requested.contains(&item.id) {
                out.push(
                    Finding::violation(
                        rules::BATCH_RESPONSE_UNKNOWN_ID,
                        attr_path(
                            &child_path("/xmsResponses", "xmsResponse", Some(i)),
                            ID_ATTRIBUTE,
                        ),
                        format!("id {} names no item of the batch", item.id),
                    )
                    .requirement("OMS-R146"),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oms::xms_data::{Content, FORMAT_SMS, SMS_SENDER};
    use rstest::rstest;

    fn item(id: u32) -> XmsDataInBatch {
        XmsDataInBatch {
            id,
            user: Some(User {
                user_id: Some("ddguo".into()),
                password: Some(String::new()),
                reply_phone: None,
                custom_data: Some(String::new()),
            }),
            head: Some(XmsHead {
                required_service: Some(SMS_SENDER.into()),
                source_type: Some("wssAlert".into()),
                to: vec!["13671121236".into()],
                ..Default::default()
            }),
            body: XmsBody {
                format: FORMAT_SMS.into(),
                slides: None,
                contents: vec![Content {
                    content_type: "text/plain".into(),
                    content_id: format!("{id}.txt@x"),
                    content_location: "1.txt".into(),
                    text: "This is a testing message.".into(),
                }],
            },
        }
    }

    fn batch(ids: &[u32]) -> XmsBatch {
        XmsBatch {
            client: Some("Microsoft Windows SharePoint Service".into()),
            items: ids.iter().map(|id| item(*id)).collect(),
        }
    }

    fn rules_of<T>(p: &Parsed<T>) -> Vec<&'static str> {
        p.findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn round_trip() {
        let b = batch(&[0, 1]);
        assert_eq!(XmsBatch::parse(&b.to_xml()).unwrap(), Parsed::clean(b));
    }

    #[test]
    fn legacy_id_is_a_deviation_and_read() {
        let b = batch(&[0, 7]);
        let parsed = XmsBatch::parse(&b.to_xml_with_id_attribute("Id")).unwrap();
        assert_eq!(
            rules_of(&parsed),
            [rules::BATCH_ID_LEGACY_NAME, rules::BATCH_ID_LEGACY_NAME]
        );
        assert_eq!(parsed.value.ids(), [0, 7]);
    }

    #[rstest]
    #[case::duplicate(batch(&[3, 3]).to_xml(), &[rules::BATCH_ID_DUPLICATE][..], &[3, 3][..])]
    #[case::not_numeric(batch(&[1]).to_xml().replace("id=\"1\"", "id=\"one\""), &[rules::SCHEMA_VALUE_TYPE][..], &[0][..])]
    #[case::missing_id(batch(&[1]).to_xml().replace(" id=\"1\"", ""), &[rules::SCHEMA_ATTRIBUTE_MISSING][..], &[0][..])]
    #[case::invalid_ids_not_duplicates(batch(&[1, 2]).to_xml().replace("id=\"1\"", "id=\"x\"").replace("id=\"2\"", "id=\"y\""), &[rules::SCHEMA_VALUE_TYPE, rules::SCHEMA_VALUE_TYPE][..], &[0, 0][..])]
    #[case::empty(batch(&[]).to_xml(), &[rules::BATCH_NO_ITEM][..], &[][..])]
    #[case::item_service_with_space(batch(&[1]).to_xml().replace(">SMS_SENDER<", ">SMS SENDER<"), &[rules::XMS_HEAD_REQUIRED_SERVICE][..], &[1][..])]
    fn batch_findings(#[case] xml: String, #[case] expected: &[&str], #[case] ids: &[u32]) {
        let parsed = XmsBatch::parse(&xml).unwrap();
        assert_eq!(rules_of(&parsed), expected);
        assert_eq!(parsed.value.ids(), ids);
    }

    #[test]
    fn item_paths_are_indexed() {
        let xml = batch(&[1, 2])
            .to_xml()
            .replace(">SMS_SENDER<", ">MMS SENDER<");
        let parsed = XmsBatch::parse(&xml).unwrap();
        assert_eq!(
            parsed.findings[1].path,
            "/xmsBatch/xmsData[2]/xmsHead/requiredService"
        );
    }

    fn responses(ids: &[u32]) -> XmsResponses {
        XmsResponses {
            items: ids
                .iter()
                .map(|id| XmsResponseWithId {
                    id: *id,
                    errors: vec![
                        DeliveryError::ok(),
                        DeliveryError::new("serviceUpdate", "neutral")
                            .with_content("2008-08-28T08:59:00Z"),
                    ],
                })
                .collect(),
        }
    }

    #[test]
    fn responses_round_trip_and_pair() {
        let r = responses(&[0, 1]);
        let parsed = XmsResponses::parse(&r.to_xml()).unwrap();
        assert_eq!(parsed, Parsed::clean(r.clone()));
        assert_eq!(r.pairing_findings(), vec![]);
        assert_eq!(r.coverage_findings(&[0, 1]), vec![]);
    }

    #[rstest]
    #[case::duplicate(responses(&[1, 1]).to_xml(), &[rules::BATCH_RESPONSE_DUPLICATE_ID][..])]
    #[case::empty(responses(&[]).to_xml(), &[rules::BATCH_NO_RESPONSE][..])]
    #[case::no_error(responses(&[1]).to_xml().replace("<error code=\"ok\" severity=\"neutral\"/>", "").replace("<error code=\"serviceUpdate\" severity=\"neutral\"><content>2008-08-28T08:59:00Z</content></error>", ""), &[rules::XMS_RESPONSE_NO_ERROR][..])]
    #[case::capital_id(responses(&[1]).to_xml().replace("id=", "Id="), &[rules::SCHEMA_ATTRIBUTE_UNEXPECTED, rules::SCHEMA_ATTRIBUTE_MISSING][..])]
    fn responses_findings(#[case] xml: String, #[case] expected: &[&str]) {
        let parsed = XmsResponses::parse(&xml).unwrap();
        assert_eq!(rules_of(&parsed), expected);
    }

    #[test]
    fn coverage() {
        let found = responses(&[0, 5]).coverage_findings(&[0, 1]);
        let rules: Vec<_> = found.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                rules::BATCH_RESPONSE_MISSING_ID,
                rules::BATCH_RESPONSE_UNKNOWN_ID
            ]
        );
    }

    #[test]
    fn pairing_paths_name_the_item() {
        let mut r = responses(&[0, 1]);
        r.items[1].errors[1].code = Some("serviceupdate".into());
        let found = r.pairing_findings();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "/xmsResponses/xmsResponse[2]/error[2]/@code");
    }
}
