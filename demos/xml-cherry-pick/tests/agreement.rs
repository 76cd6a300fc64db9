//! Every strategy returns what strategy 1 (the xmltodict-style full conversion) returns.

use xml_cherry_pick::corpus::{Corpus, real_idocs};
use xml_cherry_pick::fields::{Date, Decimal};
use xml_cherry_pick::generate::{GenConfig, generate};
use xml_cherry_pick::{FIELDS, Picker, Strategy, Value};

fn field(name: &str) -> usize {
    FIELDS.iter().position(|f| f.name == name).unwrap()
}

fn assert_all_agree(corpus: &Corpus, strategies: &[Strategy]) {
    let picker = Picker::new();
    for (i, record) in corpus.records().enumerate() {
        let reference = picker.pick(Strategy::Full, record);
        for &strategy in strategies {
            assert_eq!(
                picker.pick(strategy, record),
                reference,
                "{} on record {i} ({})",
                strategy.label(),
                corpus.source(i)
            );
        }
    }
}

#[test]
fn all_strategies_are_identical_on_the_real_idocs() {
    assert_all_agree(&real_idocs(), &Strategy::ALL);
}

#[test]
fn all_strategies_are_identical_on_generated_records() {
    for seed in [1, 2] {
        let records = generate(&GenConfig {
            records: 150,
            seed,
            record_bytes: 3000,
        });
        assert_all_agree(&Corpus::from_records(&records, "generated"), &Strategy::ALL);
    }
}

#[test]
fn the_real_orders_idoc_yields_the_values_in_the_file() {
    let real = real_idocs();
    let index = (0..real.len())
        .find(|&i| real.source(i) == "ORDERS05_ORDERS.xml")
        .unwrap();
    let picked = Picker::new()
        .pick(Strategy::Scan, real.record(index))
        .unwrap();
    let v = |name| picked.0[field(name)].clone();
    assert_eq!(v("docnum"), Value::Int(146_002));
    assert_eq!(v("idoc_type"), Value::Text("ORDERS05".into()));
    assert_eq!(v("document_no"), Value::Text("4500000670".into()));
    assert_eq!(v("currency"), Value::Text("EUR".into()));
    assert_eq!(
        v("exchange_rate"),
        Value::Decimal(Decimal::parse("1").unwrap())
    );
    assert_eq!(
        v("created"),
        Value::Date(Date {
            year: 2018,
            month: 11,
            day: 29
        })
    );
    assert_eq!(v("items"), Value::Int(2));
}

#[test]
fn the_padded_crlf_idoc_is_trimmed_and_a_bad_date_is_kept_as_invalid() {
    let real = real_idocs();
    let index = (0..real.len())
        .find(|&i| real.source(i) == "INVOIC01_INVOIC.xml")
        .unwrap();
    let picked = Picker::new()
        .pick(Strategy::Scan, real.record(index))
        .unwrap();
    // `<IDOCTYP>INVOIC01      </IDOCTYP>` in the file.
    assert_eq!(picked.0[field("idoc_type")], Value::Text("INVOIC01".into()));
    assert!(matches!(
        picked.0[field("reference_date")],
        Value::Invalid(_)
    ));
}
