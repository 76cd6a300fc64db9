//! Where a regex stops being an XML parser: small valid IDocs that each use one XML feature,
//! with the value a correct picker must return; and malformed records that must be rejected.

use crate::fields::{Date, Value};

/// One valid document where the regex may go wrong.
#[derive(Debug, Clone)]
pub struct BreakCase {
    pub name: &'static str,
    /// The XML feature used.
    pub feature: &'static str,
    pub xml: String,
    /// The field checked (a name from [`crate::fields::FIELDS`]) and its correct value.
    pub field: &'static str,
    pub expected: Value,
}

/// A minimal IDoc around `segments` (which go inside `<IDOC>`).
pub fn idoc(segments: &str) -> String {
    format!(
        "<ORDERS05>\n<IDOC BEGIN=\"1\">\n<EDI_DC40 SEGMENT=\"1\"><DOCNUM>0000000000000001</DOCNUM>\
         <CREDAT>20240115</CREDAT></EDI_DC40>\n{segments}\n</IDOC>\n</ORDERS05>\n"
    )
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

pub fn cases() -> Vec<BreakCase> {
    vec![
        BreakCase {
            name: "cdata",
            feature: "CDATA section",
            xml: idoc(r#"<E1EDK01 SEGMENT="1"><BELNR><![CDATA[4500<1>]]></BELNR></E1EDK01>"#),
            field: "document_no",
            expected: text("4500<1>"),
        },
        BreakCase {
            name: "comment",
            feature: "comment inside the value",
            xml: idoc(r#"<E1EDK01 SEGMENT="1"><BELNR><!-- was 4499 -->4500</BELNR></E1EDK01>"#),
            field: "document_no",
            expected: text("4500"),
        },
        BreakCase {
            name: "attribute",
            feature: "attribute on the field",
            xml: idoc(r#"<E1EDK01 SEGMENT="1"><BELNR origin="SD">4500</BELNR></E1EDK01>"#),
            field: "document_no",
            expected: text("4500"),
        },
        BreakCase {
            name: "namespace",
            feature: "namespace prefixes",
            xml: "<ns0:ORDERS05 xmlns:ns0=\"urn:sap-com:document:sap:idoc\"><ns0:IDOC BEGIN=\"1\">\
                  <ns0:EDI_DC40 SEGMENT=\"1\"><ns0:DOCNUM>7</ns0:DOCNUM></ns0:EDI_DC40>\
                  <ns0:E1EDK01 SEGMENT=\"1\"><ns0:BELNR>4500</ns0:BELNR></ns0:E1EDK01>\
                  </ns0:IDOC></ns0:ORDERS05>"
                .to_owned(),
            field: "document_no",
            expected: text("4500"),
        },
        BreakCase {
            name: "entities",
            feature: "character references",
            xml: idoc(
                r#"<E1EDKA1 SEGMENT="1"><NAME1>M&#252;ller &amp; S&#xF6;hne</NAME1></E1EDKA1>"#,
            ),
            field: "partner_name",
            expected: text("Müller & Söhne"),
        },
        BreakCase {
            name: "self-closing",
            feature: "self-closing segment",
            xml: idoc(
                "<E1EDK02 SEGMENT=\"1\"/>\n<E1EDP01 SEGMENT=\"1\"><E1EDP02 SEGMENT=\"1\">\
                 <BELNR>ITEM-REF</BELNR></E1EDP02></E1EDP01>\n\
                 <E1EDK02 SEGMENT=\"1\"><BELNR>REF-1</BELNR></E1EDK02>",
            ),
            field: "reference_no",
            expected: text("REF-1"),
        },
        BreakCase {
            name: "tag in text",
            feature: "a wanted tag's name inside other text",
            xml: idoc(
                "<E1EDK01 SEGMENT=\"1\"><!-- template: <BELNR>0000</BELNR> -->\
                 <BELNR>4500</BELNR></E1EDK01>",
            ),
            field: "document_no",
            expected: text("4500"),
        },
        BreakCase {
            name: "nested segment",
            feature: "same field in a child segment first",
            xml: idoc(
                "<E1EDK02 SEGMENT=\"1\"><E1EDK99 SEGMENT=\"1\"><DATUM>20200101</DATUM></E1EDK99>\
                 <DATUM>20240301</DATUM></E1EDK02>",
            ),
            field: "reference_date",
            expected: Value::Date(Date {
                year: 2024,
                month: 3,
                day: 1,
            }),
        },
    ]
}

/// One malformed record and what is wrong with it.
#[derive(Debug, Clone)]
pub struct MalformedCase {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Malformed variants of a valid record: a bare `&`, a cut, a wrong encoding declaration, and
/// Latin-1 bytes in a document that says (or defaults to) UTF-8.
pub fn malformed_cases(valid: &str) -> Vec<MalformedCase> {
    let body = valid
        .trim_start()
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .unwrap_or(valid)
        .trim_start();
    let bare_amp = match body.find("</BSART>") {
        Some(at) => format!("{}&{}", &body[..at], &body[at..]),
        None => body.replacen("</IDOC>", "Smith & Wesson</IDOC>", 1),
    };
    let mut cut = body.as_bytes()[..body.len() / 2].to_vec();
    while std::str::from_utf8(&cut).is_err() {
        cut.pop();
    }
    let utf16 = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{body}");
    let mut latin1 = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
    latin1.extend_from_slice(
        body.replacen(
            "</IDOC>",
            "<E1EDKT1 SEGMENT=\"1\"><TDLINE>M\u{1}ller</TDLINE></E1EDKT1></IDOC>",
            1,
        )
        .replace('\u{1}', "\u{FC}")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect::<Vec<u8>>()
        .as_slice(),
    );
    vec![
        MalformedCase {
            name: "bare '&'",
            bytes: bare_amp.into_bytes(),
        },
        MalformedCase {
            name: "truncated",
            bytes: cut,
        },
        MalformedCase {
            name: "declares UTF-16, is 8-bit",
            bytes: utf16.into_bytes(),
        },
        MalformedCase {
            name: "Latin-1 bytes, declared UTF-8",
            bytes: latin1,
        },
    ]
}
