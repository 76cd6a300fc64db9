//! Where a regex breaks: strategies 1, 3 and 4 are right on every case; the regex is not.

use xml_cherry_pick::breaks::{cases, malformed_cases};
use xml_cherry_pick::generate::{GenConfig, generate};
use xml_cherry_pick::{FIELDS, PickError, Picker, Strategy};

#[test]
fn parsers_are_right_on_every_break_case() {
    let picker = Picker::new();
    for case in cases() {
        let field = FIELDS.iter().position(|f| f.name == case.field).unwrap();
        for strategy in [Strategy::Full, Strategy::Stream, Strategy::Scan] {
            let picked = picker
                .pick(strategy, case.xml.as_bytes())
                .unwrap_or_else(|e| panic!("{} on {}: {e}", strategy.label(), case.name));
            assert_eq!(
                picked.0[field],
                case.expected,
                "{} on {}",
                strategy.label(),
                case.name
            );
        }
    }
}

#[test]
fn the_regex_is_wrong_on_every_break_case() {
    let picker = Picker::new();
    for case in cases() {
        let field = FIELDS.iter().position(|f| f.name == case.field).unwrap();
        let got = picker.pick(Strategy::Regex, case.xml.as_bytes());
        assert!(
            got.as_ref().map_or(true, |p| p.0[field] != case.expected),
            "the regex got {} right: {got:?}",
            case.name
        );
    }
}

#[test]
fn malformed_records_are_rejected_with_the_same_reason_by_every_parser() {
    let picker = Picker::new();
    let valid = generate(&GenConfig {
        records: 1,
        seed: 5,
        record_bytes: 3000,
    })
    .remove(0);
    for case in malformed_cases(&valid) {
        let full = picker.pick(Strategy::Full, &case.bytes);
        let error = full
            .clone()
            .expect_err(&format!("strategy 1 accepted {}", case.name));
        let expected = match case.name {
            "bare '&'" => {
                matches!(&error, PickError::Malformed { reason, .. } if reason.contains("reference"))
            }
            "truncated" => matches!(
                &error,
                PickError::Malformed { .. } | PickError::Truncated { .. }
            ),
            "declares UTF-16, is 8-bit" => {
                matches!(&error, PickError::Encoding { declared } if declared == "UTF-16")
            }
            "Latin-1 bytes, declared UTF-8" => matches!(error, PickError::InvalidUtf8 { .. }),
            other => panic!("unknown case {other}"),
        };
        assert!(expected, "{}: {error}", case.name);
        assert_eq!(
            picker.pick(Strategy::Stream, &case.bytes),
            full,
            "{}",
            case.name
        );
        assert_eq!(
            picker.pick(Strategy::Scan, &case.bytes),
            full,
            "{}",
            case.name
        );
    }
}
