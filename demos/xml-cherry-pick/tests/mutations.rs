//! Seeded random damage to valid records: strategies 1, 3 and 4 must still agree exactly
//! (the scanner must never accept what the parser rejects, nor answer differently), and no
//! strategy may panic.

use xml_cherry_pick::corpus::real_idocs;
use xml_cherry_pick::generate::{GenConfig, Rng, generate};
use xml_cherry_pick::{Picker, Strategy};

const SNIPPETS: [&[u8]; 14] = [
    b"<",
    b">",
    b"/",
    b"&",
    b"&amp;",
    b"\"",
    b"'",
    b"=",
    b"<!-- c -->",
    b"<![CDATA[x]]>",
    b"</E1EDK01>",
    b"<X>",
    b"&#0;",
    b"\r\n",
];

fn mutate(rng: &mut Rng, record: &[u8]) -> Vec<u8> {
    let mut out = record.to_vec();
    for _ in 0..rng.range(1, 3) {
        let at = rng.range(0, out.len() as u64) as usize;
        match rng.range(0, 3) {
            0 => {
                let end = (at + rng.range(1, 12) as usize).min(out.len());
                out.drain(at..end);
            }
            1 => {
                let snippet = rng.pick(&SNIPPETS);
                out.splice(at..at, snippet.iter().copied());
            }
            2 => out.truncate(at),
            _ => {
                if at < out.len() {
                    out[at] = rng.pick(&[b'<', b'>', b'&', b'"', b' ', b'a', 0xC3]);
                }
            }
        }
    }
    out
}

#[test]
fn damaged_records_get_the_same_answer_from_every_parser() {
    let picker = Picker::new();
    let mut sources: Vec<Vec<u8>> = generate(&GenConfig {
        records: 40,
        seed: 11,
        record_bytes: 2500,
    })
    .into_iter()
    .map(String::into_bytes)
    .collect();
    sources.extend(real_idocs().records().map(<[u8]>::to_vec));
    let mut rng = Rng::new(99);
    let mut rejected = 0;
    for round in 0..1500 {
        let source = &sources[round % sources.len()];
        let damaged = mutate(&mut rng, source);
        let full = picker.pick(Strategy::Full, &damaged);
        rejected += usize::from(full.is_err());
        let _ = picker.pick(Strategy::Regex, &damaged);
        assert_eq!(
            picker.pick(Strategy::Stream, &damaged),
            full,
            "stream, round {round}: {}",
            String::from_utf8_lossy(&damaged)
        );
        assert_eq!(
            picker.pick(Strategy::Scan, &damaged),
            full,
            "scan, round {round}: {}",
            String::from_utf8_lossy(&damaged)
        );
    }
    // The damage must be real for the test to mean anything.
    assert!(
        rejected > 300,
        "only {rejected} of 1500 damaged records were rejected"
    );
}
