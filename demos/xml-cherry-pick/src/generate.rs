//! A deterministic, seeded generator of SAP IDoc-like records (ORDERS05 and INVOIC02 shapes):
//! an `EDI_DC40` control record and `E1...` segments, 70-85 elements a record, with the quirks of
//! the real ones: `SEGMENT="1"` attributes, optional XML declaration, CRLF line endings, fixed-width
//! padding, empty and self-closing fields, `&amp;` in names, UTF-8 umlauts, SAP's trailing minus.

use std::fmt::Write as _;

/// SplitMix64: tiny, fast and the same sequence on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next_u64() as usize % items.len()]
    }
}

#[derive(Debug, Clone, Copy)]
pub struct GenConfig {
    pub records: usize,
    pub seed: u64,
    /// Rough size of one record; free-text lines are padded towards it.
    pub record_bytes: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        Self {
            records: 1000,
            seed: 42,
            record_bytes: 4096,
        }
    }
}

pub const MIN_ELEMENTS: usize = 70;
pub const MAX_ELEMENTS: usize = 85;

const PARTNERS: [&str; 6] = [
    "Müller &amp; Söhne GmbH",
    "Acme Industrial Supply",
    "Bäckerei Groß KG",
    "Nordic Parts AB",
    "Smith &amp; Wesson Tools Ltd",
    "Société Générale d'Équipement",
];
const CITIES: [&str; 5] = ["Walldorf", "München", "Hamburg", "Zürich", "Lyon"];
const UNITS: [&str; 4] = ["PCE", "KGM", "LTR", "MTR"];
const CURRENCIES: [&str; 3] = ["EUR", "USD", "CHF"];
const WORDS: [&str; 12] = [
    "delivery",
    "pallet",
    "invoice",
    "Lieferung",
    "Größe",
    "urgent",
    "partial",
    "order",
    "terms",
    "Rechnung",
    "carrier",
    "dock",
];

/// Writes one record into `out` (appending) and returns how many elements it has.
pub fn write_record(out: &mut String, rng: &mut Rng, index: usize, record_bytes: usize) -> usize {
    let orders = rng.chance(70);
    let (root, idoctyp, mestyp) = if orders {
        ("ORDERS05", "ORDERS05", "ORDERS")
    } else {
        ("INVOIC02", "INVOIC02", "INVOIC")
    };
    let nl = if rng.chance(20) { "\r\n" } else { "\n" };
    let plan = Plan::draw(rng);
    let start = out.len();
    let mut elements = 0;
    let mut depth = 0;
    let mut w = Writer {
        out,
        nl,
        depth: &mut depth,
        elements: &mut elements,
    };
    if rng.chance(50) {
        w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    }
    w.open(root, "");
    w.open("IDOC", r#" BEGIN="1""#);
    let year = rng.range(2018, 2025);
    control_record(&mut w, rng, index, idoctyp, mestyp, year);
    header_segments(&mut w, rng, year, plan.flags);
    for (n, with_ref) in plan.items.iter().enumerate() {
        item(&mut w, rng, n, *with_ref, year);
    }
    // Free text: padded towards the wanted record size.
    let so_far = w.out.len() - start;
    let tail = 200; // closing segments written below
    let budget = record_bytes.saturating_sub(so_far + tail + plan.lines * 40);
    free_text(&mut w, rng, plan.lines, budget / plan.lines.max(1));
    w.open("E1EDS01", r#" SEGMENT="1""#);
    w.leaf("SUMID", "002");
    w.leaf(
        "SUMME",
        &format!("{}.{:02}", rng.range(1, 999_999), rng.range(0, 99)),
    );
    w.close("E1EDS01");
    w.close("IDOC");
    w.close(root);
    elements
}

/// The variable part of a record, drawn so that its element count lands exactly on a target
/// between [`MIN_ELEMENTS`] and [`MAX_ELEMENTS`].
struct Plan {
    /// One per line item: whether it has an E1EDP02 reference.
    items: Vec<bool>,
    /// Free-text lines (two elements each).
    lines: usize,
    /// Empty `EXPRSS` flags (one element each).
    flags: usize,
}

impl Plan {
    fn draw(rng: &mut Rng) -> Plan {
        let target = rng.range(MIN_ELEMENTS as u64, MAX_ELEMENTS as u64) as usize;
        const BASE: usize = 49;
        let mut count = BASE;
        let mut items = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let with_ref = rng.chance(50);
            let size = if with_ref { 13 } else { 9 };
            if count + size > target - 4 {
                break;
            }
            items.push(with_ref);
            count += size;
        }
        let rest = target - count; // >= 4: a text block (2) + lines (2 each) + empty flags (1 each)
        Plan {
            items,
            lines: (rest - 2) / 2,
            flags: (rest - 2) % 2,
        }
    }
}

/// A date in `year` as SAP writes it, `YYYYMMDD`.
fn date(rng: &mut Rng, year: u64) -> String {
    format!("{year}{:02}{:02}", rng.range(1, 12), rng.range(1, 28))
}

/// The `EDI_DC40` control record.
fn control_record(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    index: usize,
    idoctyp: &str,
    mestyp: &str,
    year: u64,
) {
    let docnum = format!("{:016}", 100_000 + index);
    w.open("EDI_DC40", r#" SEGMENT="1""#);
    w.leaf("TABNAM", "EDI_DC40");
    w.leaf("MANDT", "715");
    w.leaf("DOCNUM", &docnum);
    w.leaf("DOCREL", "755");
    w.leaf("STATUS", "30");
    w.leaf("DIRECT", "1");
    w.leaf("OUTMOD", "2");
    // SAP pads fixed-width fields.
    let typ = if rng.chance(20) {
        format!("{idoctyp}      ")
    } else {
        idoctyp.to_owned()
    };
    w.leaf("IDOCTYP", &typ);
    w.leaf("MESTYP", mestyp);
    w.leaf("SNDPOR", "SAPQKX");
    w.empty("SNDPRT", rng.chance(50));
    w.leaf("SNDPRN", &format!("SND_{:04}", rng.range(1, 40)));
    w.leaf("RCVPOR", "ORDREQ_CCF");
    w.empty("RCVPRT", rng.chance(50));
    w.leaf("RCVPRN", &format!("TP_{:04}", rng.range(1, 40)));
    let created = date(rng, year);
    w.leaf("CREDAT", &created);
    w.leaf(
        "CRETIM",
        &format!(
            "{:02}{:02}{:02}",
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59)
        ),
    );
    w.leaf("SERIAL", &format!("{created}142808"));
    w.close("EDI_DC40");
}

/// The header segments: E1EDK01 (with `flags` empty flags), E1EDK14, E1EDK03, E1EDKA1, E1EDK02.
fn header_segments(w: &mut Writer<'_>, rng: &mut Rng, year: u64, flags: usize) {
    let currency = rng.pick(&CURRENCIES);
    w.open("E1EDK01", r#" SEGMENT="1""#);
    w.leaf("CURCY", currency);
    w.leaf("HWAER", "EUR");
    w.leaf(
        "WKURS",
        &format!("{}.{:05}", rng.range(0, 2), rng.range(0, 99_999)),
    );
    w.leaf("ZTERM", &format!("{:04}", rng.range(1, 30)));
    w.leaf("BSART", "NB");
    w.leaf("BELNR", &format!("45{:08}", rng.range(0, 99_999_999)));
    for _ in 0..flags {
        w.empty("EXPRSS", true);
    }
    w.close("E1EDK01");

    w.open("E1EDK14", r#" SEGMENT="1""#);
    w.leaf("QUALF", "014");
    w.leaf("ORGID", "1010");
    w.close("E1EDK14");

    w.open("E1EDK03", r#" SEGMENT="1""#);
    w.leaf("IDDAT", "012");
    w.leaf("DATUM", &date(rng, year));
    w.close("E1EDK03");

    w.open("E1EDKA1", r#" SEGMENT="1""#);
    w.leaf("PARVW", "AG");
    w.leaf(
        "PARTN",
        &format!("{:08}", rng.range(10_000_000, 99_999_999)),
    );
    w.leaf("NAME1", rng.pick(&PARTNERS));
    w.leaf("STRAS", &format!("Dietmar-Hopp-Allee {}", rng.range(1, 99)));
    w.leaf("ORT01", rng.pick(&CITIES));
    w.leaf("PSTLZ", &format!("{:05}", rng.range(10_000, 99_999)));
    w.leaf("LAND1", "DE");
    w.close("E1EDKA1");

    w.open("E1EDK02", r#" SEGMENT="1""#);
    w.leaf("QUALF", "001");
    w.leaf("BELNR", &format!("REF-{:06}", rng.range(0, 999_999)));
    w.leaf("DATUM", &date(rng, year));
    w.close("E1EDK02");
}

/// Line item `n` (E1EDP01), with an E1EDP02 reference when `with_ref`.
fn item(w: &mut Writer<'_>, rng: &mut Rng, n: usize, with_ref: bool, year: u64) {
    w.open("E1EDP01", r#" SEGMENT="1""#);
    w.leaf("POSEX", &format!("{:06}", (n + 1) * 10));
    w.leaf(
        "MENGE",
        &format!("{}.{:03}", rng.range(1, 500), rng.range(0, 999)),
    );
    w.leaf("MENEE", rng.pick(&UNITS));
    let sign = if rng.chance(10) { "-" } else { "" };
    w.leaf(
        "NETWR",
        &format!("{}.{:02}{sign}", rng.range(1, 99_999), rng.range(0, 99)),
    );
    if with_ref {
        w.open("E1EDP02", r#" SEGMENT="1""#);
        w.leaf("QUALF", "001");
        w.leaf("BELNR", &format!("45{:08}", rng.range(0, 99_999_999)));
        w.leaf("DATUM", &date(rng, year));
        w.close("E1EDP02");
    }
    w.open("E1EDP19", r#" SEGMENT="1""#);
    w.leaf("QUALF", "002");
    w.leaf("IDTNR", &format!("MAT-{:07}", rng.range(0, 9_999_999)));
    w.leaf(
        "KTEXT",
        &format!("Part {} {}", rng.pick(&WORDS), rng.range(1, 999)),
    );
    w.close("E1EDP19");
    w.close("E1EDP01");
}

/// The free-text block (E1EDKT1): `lines` lines of about `per_line` bytes of words.
fn free_text(w: &mut Writer<'_>, rng: &mut Rng, lines: usize, per_line: usize) {
    w.open("E1EDKT1", r#" SEGMENT="1""#);
    w.leaf("TDID", "0001");
    for _ in 0..lines {
        let mut text = String::new();
        while text.len() < per_line.max(8) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(rng.pick(&WORDS));
        }
        w.open("E1EDKT2", r#" SEGMENT="1""#);
        w.leaf("TDLINE", &text);
        w.close("E1EDKT2");
    }
    w.close("E1EDKT1");
}

struct Writer<'o> {
    out: &'o mut String,
    nl: &'static str,
    depth: &'o mut usize,
    elements: &'o mut usize,
}

impl Writer<'_> {
    fn indent(&mut self) {
        for _ in 0..*self.depth {
            self.out.push('\t');
        }
    }

    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str(self.nl);
    }

    fn open(&mut self, name: &str, attributes: &str) {
        self.indent();
        let _ = write!(self.out, "<{name}{attributes}>{}", self.nl);
        *self.depth += 1;
        *self.elements += 1;
    }

    fn close(&mut self, name: &str) {
        *self.depth -= 1;
        self.indent();
        let _ = write!(self.out, "</{name}>{}", self.nl);
    }

    /// `text` is already escaped.
    fn leaf(&mut self, name: &str, text: &str) {
        self.indent();
        let _ = write!(self.out, "<{name}>{text}</{name}>{}", self.nl);
        *self.elements += 1;
    }

    fn empty(&mut self, name: &str, self_closing: bool) {
        self.indent();
        if self_closing {
            let _ = write!(self.out, "<{name}/>{}", self.nl);
        } else {
            let _ = write!(self.out, "<{name}></{name}>{}", self.nl);
        }
        *self.elements += 1;
    }
}

/// Generates `config.records` records; the same config always gives the same bytes.
pub fn generate(config: &GenConfig) -> Vec<String> {
    let mut rng = Rng::new(config.seed);
    (0..config.records)
        .map(|index| {
            let mut out = String::with_capacity(config.record_bytes + 512);
            write_record(&mut out, &mut rng, index, config.record_bytes);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = generate(&GenConfig {
            records: 5,
            seed: 7,
            record_bytes: 2000,
        });
        let b = generate(&GenConfig {
            records: 5,
            seed: 7,
            record_bytes: 2000,
        });
        let c = generate(&GenConfig {
            records: 5,
            seed: 8,
            record_bytes: 2000,
        });
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_record_has_70_to_85_elements() {
        let mut rng = Rng::new(1);
        for index in 0..500 {
            let mut out = String::new();
            let counted = write_record(&mut out, &mut rng, index, 4096);
            let opened =
                out.matches('<').count() - out.matches("</").count() - out.matches("<?").count();
            assert_eq!(counted, opened, "record {index}");
            assert!(
                (MIN_ELEMENTS..=MAX_ELEMENTS).contains(&counted),
                "record {index}: {counted}"
            );
        }
    }

    #[test]
    fn record_size_follows_the_setting() {
        let small = generate(&GenConfig {
            records: 50,
            seed: 3,
            record_bytes: 2000,
        });
        let large = generate(&GenConfig {
            records: 50,
            seed: 3,
            record_bytes: 16_000,
        });
        let mean = |v: &[String]| v.iter().map(String::len).sum::<usize>() / v.len();
        assert!(mean(&small) < 3000, "{}", mean(&small));
        assert!((14_000..18_000).contains(&mean(&large)), "{}", mean(&large));
    }
}
