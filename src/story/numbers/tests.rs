use super::*;

fn metric(name: &str, before: &str, after: &str, claim: &str) -> MetricClaim {
    MetricClaim {
        name: name.into(),
        before: Some(before.into()),
        after: Some(after.into()),
        claim: Some(claim.into()),
        note: None,
    }
}

fn verdict(name: &str, before: &str, after: &str, claim: &str) -> Verdict {
    check(&metric(name, before, after, claim))
}

#[track_caller]
fn supported(name: &str, before: &str, after: &str, claim: &str) -> String {
    match verdict(name, before, after, claim) {
        Verdict::Supported { reading, .. } => reading,
        other => panic!("{before} -> {after}, {claim:?}: expected supported, got {other:?}"),
    }
}

#[track_caller]
fn contradicted(name: &str, before: &str, after: &str, claim: &str) -> String {
    match verdict(name, before, after, claim) {
        Verdict::Contradicted { why, .. } => why,
        other => panic!("{before} -> {after}, {claim:?}: expected contradicted, got {other:?}"),
    }
}

#[test]
fn quantities_parse_with_units_separators_currencies_and_sizes() {
    let q = |text: &str| Quantity::parse(text).unwrap();
    assert_eq!(q("3 h").value, 10_800.0);
    assert_eq!(q("30 min").unit, Unit::Seconds);
    assert_eq!(q("1,667 rows/s").unit, Unit::Rate("row/s".into()));
    assert_eq!(
        q("$10,000"),
        Quantity {
            value: 10_000.0,
            unit: Unit::Money("USD".into())
        }
    );
    assert_eq!(q("2000 USD").unit, Unit::Money("USD".into()));
    assert_eq!(q("€5").unit, Unit::Money("EUR".into()));
    assert_eq!(
        q("512 MB"),
        Quantity {
            value: 512e6,
            unit: Unit::Bytes
        }
    );
    assert_eq!(q("2 GB").value, 2e9);
    assert_eq!(q("15%").unit, Unit::Percent);
    assert_eq!(q("12 pages").unit, Unit::Count("page".into()));
    assert_eq!(
        q("18 million records"),
        Quantity {
            value: 18e6,
            unit: Unit::Count("record".into())
        }
    );
    assert_eq!(Quantity::parse("fast"), None);
}

// Time: smaller is better, "faster" means less time.

#[test]
fn time_down_right_claims_pass_and_say_which_reading() {
    for claim in [
        "about 4x faster",
        "3.9x faster",
        "3.9 times faster",
        "74% less time",
    ] {
        supported("time per XML", "19.5 s", "5 s", claim);
    }
    assert!(supported("t", "19.5 s", "5 s", "around 290% faster").contains("speed-up"));
    assert!(supported("t", "3 h", "30 min", "6x faster (83% less time)").contains("83% less"));
}

#[test]
fn time_down_wrong_claims_are_named_in_plain_words() {
    let why = contradicted("time per XML", "19.5 s", "5 s", "around 400%");
    assert_eq!(
        why,
        "19.5 s -> 5 s is 3.9x faster: 74% less time, or 290% faster; \"around 400%\" does not follow"
    );
    contradicted("t", "3 h", "30 min", "10x faster");
}

#[test]
fn time_up_is_judged_as_slower() {
    supported("build time", "10 min", "15 min", "50% more time");
    supported("build time", "10 min", "15 min", "1.5x slower");
    let why = contradicted("build time", "10 min", "15 min", "33% faster");
    assert!(why.ends_with("the numbers went up, not down"), "{why}");
}

// Money: direction from the claim's words, and from the name for a bare claim.

#[test]
fn money_down_a_right_claim_about_a_cost_is_no_longer_an_error() {
    let reading = supported("monthly AWS cost", "$10,000", "$2,000", "80% cheaper");
    assert!(reading.contains("80% less"), "{reading}");
    supported("monthly AWS cost", "$10,000", "$2,000", "5x cheaper");
    supported("monthly AWS cost", "$10,000", "$2,000", "5x");
    supported("AWS bill", "$10,000", "$2,000", "cut by 80%");
}

#[test]
fn money_down_a_wrong_claim_reads_as_a_sentence() {
    let why = contradicted("monthly AWS cost", "$10,000", "$2,000", "5x more expensive");
    assert_eq!(
        why,
        "$10,000 -> $2,000 is 80% less, a fifth of the cost; \"5x more expensive\" does not follow: the numbers went down, not up"
    );
    contradicted("monthly AWS cost", "$10,000", "$2,000", "90% cheaper");
}

#[test]
fn money_up_revenue_is_better_larger() {
    supported("monthly revenue", "$2,000", "$10,000", "5x");
    supported("monthly revenue", "$2,000", "$10,000", "400% more");
    let why = contradicted("monthly revenue", "$2,000", "$10,000", "80% less");
    assert!(why.ends_with("the numbers went up, not down"), "{why}");
}

// Memory.

#[test]
fn memory_down_with_units_converted() {
    supported("peak memory", "2 GB", "512 MB", "about 4x less");
    supported("peak memory", "2 GB", "500 MB", "75% less memory");
    supported("peak memory", "2 GB", "500 MB", "4x");
    contradicted("peak memory", "2 GB", "500 MB", "4x more");
}

#[test]
fn memory_up_is_more_memory() {
    supported("heap", "256 MB", "1 GB", "about 4x more");
    contradicted("heap", "256 MB", "1 GB", "75% less");
}

// Counts: incidents and pages are better fewer; users better more.

#[test]
fn counts_down_fewer_incidents() {
    supported(
        "incidents a month",
        "12 incidents",
        "3 incidents",
        "75% fewer",
    );
    supported("pages a week", "20 pages", "4 pages", "5x fewer");
    supported("pages a week", "20 pages", "4 pages", "5x");
    let why = contradicted("pages a week", "20 pages", "4 pages", "80% more");
    assert!(
        why.starts_with("20 pages -> 4 pages is 80% fewer, a fifth of the count"),
        "{why}"
    );
}

#[test]
fn counts_up_more_users() {
    supported(
        "daily unique users",
        "1,000 users",
        "1,500 users",
        "50% more",
    );
    supported("daily unique users", "1,000 users", "1,500 users", "up 50%");
    contradicted(
        "daily unique users",
        "1,000 users",
        "1,500 users",
        "50% fewer",
    );
}

// Rates: a throughput is better higher; an error rate per day better lower.

#[test]
fn rates_up_throughput() {
    supported(
        "records per second",
        "1,667 records/s",
        "10,000 records/s",
        "6x",
    );
    supported("rate", "10 XMLs/min", "40 XMLs/min", "300% more");
    supported("rate", "10 XMLs/min", "40 XMLs/min", "4x faster");
    contradicted("rate", "10 XMLs/min", "40 XMLs/min", "400% more");
}

#[test]
fn rates_down_errors_per_day() {
    supported("errors", "40 errors/day", "10 errors/day", "4x");
    supported("errors", "40 errors/day", "10 errors/day", "75% fewer");
    contradicted("errors", "40 errors/day", "10 errors/day", "4x more");
}

// Percentages as quantities: relative change or percentage points, both named.

#[test]
fn percentages_down_both_readings_and_which_one_matched() {
    let relative = supported("error rate", "15%", "0.1%", "99% fewer errors");
    assert!(relative.contains("less than before"), "{relative}");
    let points = supported("error rate", "15%", "0.1%", "down 14.9 points");
    assert!(points.contains("14.9 percentage points"), "{points}");
    let ambiguous = supported("error rate", "15%", "0.1%", "down 14.9%");
    assert!(ambiguous.contains("percentage points"), "{ambiguous}");
    contradicted("error rate", "15%", "0.1%", "down 50%");
    contradicted("error rate", "15%", "0.1%", "99% higher");
}

#[test]
fn percentages_up_retention() {
    supported("retention", "40%", "60%", "up 20 points");
    supported("retention", "40%", "60%", "50% higher");
    supported("retention", "40%", "60%", "50%");
    contradicted("retention", "40%", "60%", "down 20 points");
}

#[test]
fn where_nothing_says_the_direction_only_the_size_is_checked_and_said() {
    // "widgets" says neither better smaller nor better larger; "4x" says no direction.
    let reading = supported("widgets", "40 widgets", "10 widgets", "4x");
    assert!(reading.contains("direction was not checked"), "{reading}");
    let reading = supported("widgets", "10 widgets", "40 widgets", "4x");
    assert!(reading.contains("direction was not checked"), "{reading}");
    contradicted("widgets", "40 widgets", "10 widgets", "6x");
    // A direction word in the claim is enough.
    let reading = supported("widgets", "40 widgets", "10 widgets", "4x fewer");
    assert!(!reading.contains("not checked"), "{reading}");
}

#[test]
fn missing_numbers_are_unchecked_not_guessed() {
    assert!(matches!(
        verdict("m", "3 h", "30 min", "much faster"),
        Verdict::Unchecked { .. }
    ));
    assert!(matches!(
        verdict("m", "3 h", "instant", "6x"),
        Verdict::Unchecked { .. }
    ));
    let no_after = MetricClaim {
        name: "rate".into(),
        before: Some("10 XMLs/min".into()),
        after: None,
        claim: None,
        note: None,
    };
    assert!(matches!(check(&no_after), Verdict::Unchecked { .. }));
}

/// How the change reads when there is no claim.
#[track_caller]
fn described(name: &str, before: &str, after: &str) -> String {
    let metric = MetricClaim {
        claim: None,
        ..metric(name, before, after, "")
    };
    match check(&metric) {
        Verdict::Supported { supported, .. } => supported,
        other => panic!("{before} -> {after}: expected a description, got {other:?}"),
    }
}

#[track_caller]
fn incomparable(name: &str, before: &str, after: &str, claim: &str) -> String {
    match verdict(name, before, after, claim) {
        verdict @ Verdict::Incomparable { .. } => {
            assert!(verdict.is_error());
            verdict.to_string()
        }
        other => panic!("{before} -> {after}: expected incomparable, got {other:?}"),
    }
}

#[test]
fn sides_in_units_that_cannot_be_compared_are_an_error_that_says_so() {
    assert_eq!(
        incomparable("peak memory", "2 GB", "500 ms", "4x less"),
        "2 GB -> 500 ms cannot be compared: 2 GB is a size and 500 ms a duration, so \"4x less\" \
         cannot follow from them; state both sides in one unit"
    );
    assert_eq!(
        incomparable("monthly AWS cost", "$10,000", "€2,000", "80% cheaper"),
        "$10,000 -> €2,000 cannot be compared: $10,000 is in USD and €2,000 in EUR (convert one, \
         and say at what rate), so \"80% cheaper\" cannot follow from them; state both sides in \
         one unit"
    );
    let why = incomparable("m", "3 h", "30 rows", "6x");
    assert!(
        why.contains("3 h is a duration and 30 rows a count of \"row\""),
        "{why}"
    );
    let why = incomparable("size", "18M records", "20M rows", "10% more");
    assert!(
        why.contains("they count different things (\"record\" and \"row\")"),
        "{why}"
    );
    let why = incomparable("cost", "$10,000", "$2,000/month", "80% less");
    assert!(
        why.contains("$10,000 is an amount in USD and $2,000/month a rate (usd/s)"),
        "{why}"
    );
    incomparable("throughput", "1,667 records/s", "18 million records", "6x");
    incomparable("rate", "1,667 records/s", "10,000 rows/s", "6x");
    incomparable("error rate", "15%", "0.1 errors", "99% fewer");
    incomparable("time", "19.5 s per XML", "5 s", "4x faster");
    // Without a claim too: the metric itself is wrong.
    let no_claim = MetricClaim {
        claim: None,
        ..metric("m", "2 GB", "500 ms", "")
    };
    assert!(check(&no_claim).is_error());
}

#[test]
fn sides_in_one_unit_written_differently_are_compared() {
    // Scientific notation, conversions, singular and plural, a noun said once.
    assert!(supported("t", "1e3 s", "1 s", "1000x faster").contains("1000x faster"));
    supported("t", "1.5e3 ms", "0.5 s", "3x faster");
    supported("t", "3 h", "30 min", "6x faster");
    supported("t", "1h 30m", "45 min", "2x faster");
    supported("t", "1 hour and 30 minutes", "30m", "3x faster");
    supported("t", "2 weeks", "3.5 days", "4x faster");
    supported("incidents", "12 incidents", "1 incident", "12x fewer");
    supported("users", "1,000", "1,500 users", "50% more");
    supported("memory", "2 GiB", "512 MiB", "4x less");
    supported("bandwidth", "100 Mbps", "1 Gbps", "10x more");
    supported("download", "10 MB/s", "40 MB/s", "4x faster");
    // k, M, B and money codes before or after.
    supported("rows", "18M records", "36 million records", "2x more");
    supported("rows", "18m records", "9,000,000 records", "50% fewer");
    supported("rows", "2B rows", "500M rows", "4x fewer");
    supported("monthly cost", "$10k", "$2k", "80% cheaper");
    supported("monthly cost", "$1.2M", "$300K", "4x cheaper");
    supported("monthly cost", "USD 10,000", "2,000 dollars", "80% cheaper");
    supported("monthly cost", "10k EUR", "€2,500", "75% less");
    // Rates per different units of time, in the ways people write them.
    supported(
        "records per second",
        "1,667 records/s",
        "600,000 records per minute",
        "6x",
    );
    supported("throughput", "10 XMLs a minute", "1 XML/s", "6x faster");
    supported("throughput", "100 rps", "50 requests/s", "50% less");
    supported(
        "cost per request",
        "$0.20 per 1M requests",
        "$0.05 per million requests",
        "75% cheaper",
    );
    supported("errors", "40 errors/day", "10 errors per day", "75% fewer");
    supported(
        "monthly AWS bill",
        "$10,000/month",
        "$24,000 a year",
        "80% cheaper",
    );
    // A duration per thing is a duration: faster means less of it.
    supported(
        "time per XML",
        "19.5 s per XML",
        "5 s/XML",
        "about 4x faster",
    );
    // Hedges before the number change nothing.
    supported("t", "about 3 h", "~30 min", "6x faster");
    supported("uptime", "99.9%", "99.99 % uptime", "up 0.09 points");
}

#[test]
fn a_change_through_zero_or_below_is_a_change_not_no_change() {
    assert_eq!(described("clock skew", "-5 ms", "5 ms"), "up 10 ms");
    match verdict("margin", "−2%", "3%", "up 5 points") {
        Verdict::Supported { supported, reading } => {
            assert_eq!(supported, "up 5 points");
            assert!(reading.contains("5 percentage points"), "{reading}");
        }
        other => panic!("{other:?}"),
    }
    // A ratio of a negative number says nothing: not checked, and the change is named.
    match verdict("clock skew", "-5 ms", "5 ms", "2x faster") {
        Verdict::Unchecked { reason } => {
            assert!(reason.contains("two positive numbers"), "{reason}");
            assert!(reason.contains("-5 ms -> 5 ms is up 10 ms"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(described("errors", "0 errors", "3 errors"), "up 3 errors");
    assert_eq!(described("t", "-5 ms", "-5 ms"), "no change");
    assert_eq!(
        described("t", "1e3 s", "1 s"),
        "1000x faster: 100% less time, or 99900% faster"
    );
}

#[test]
fn ranges_are_checked_from_end_to_end() {
    let reading = supported("build time", "10-15 min", "5 min", "2-3x faster");
    assert!(reading.contains("2-3x faster"), "{reading}");
    supported("build time", "10-15 min", "5 min", "about 2.5x faster");
    supported(
        "build time",
        "10 to 15 minutes",
        "5 min",
        "50-67% less time",
    );
    supported(
        "build time",
        "between 10 and 15 min",
        "5 min",
        "60% less time",
    );
    contradicted("build time", "10-15 min", "5 min", "5x faster");
    supported("monthly cost", "$1-2M", "$500k", "2-4x cheaper");
    assert_eq!(
        described("build time", "10-15 min", "5 min"),
        "2-3x faster: 50-67% less time, or 100-200% faster"
    );
    // Overlapping ranges: either way.
    let either = described("t", "10-15 min", "12-20 min");
    assert!(either.contains("may have gone either way"), "{either}");
}

#[test]
fn quantities_people_write_parse_to_the_same_unit() {
    let q = |text: &str| Quantity::parse(text).unwrap_or_else(|| panic!("{text}"));
    assert_eq!(q("1e3 s"), q("1000 s"));
    let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(near(q("2.5E-3 s").value, 0.0025));
    assert!(near(q("-5 ms").value, -0.005));
    assert!(near(q("−5 ms").value, -0.005));
    assert_eq!(q("5m").value, 300.0, "a lone m is minutes");
    assert_eq!(q("18m records").value, 18e6, "m before a noun is million");
    assert_eq!(q("$5m").value, 5e6);
    assert_eq!(q("512B").unit, Unit::Bytes, "a lone B is bytes");
    assert_eq!(q("2B rows").value, 2e9);
    assert_eq!(q("10 XMLs a minute").unit, Unit::Rate("xml/s".into()));
    assert_eq!(q("3 incidents per week"), q("3 incident/week"));
    assert_eq!(q("19.5 s per XML").unit, Unit::Rate("s/xml".into()));
    assert_eq!(q("a 15-minute"), q("15 min"));
    assert_eq!(q("USD 2,000").unit, Unit::Money("USD".into()));
    assert_eq!(q("US$2,000").unit, Unit::Money("USD".into()));
    assert_eq!(
        Quantity::parse("10-15 min"),
        None,
        "a range is not one quantity"
    );
    let (low, high) = Quantity::parse_range("10–15 min").unwrap();
    assert_eq!((low.value, high.value), (600.0, 900.0));
    assert_eq!(
        Quantity::parse("3 EUR").unwrap().value,
        3.0,
        "not an exponent"
    );
}

#[test]
fn plain_descriptions() {
    let change = |b: &str, a: &str| Change {
        before: Quantity::parse(b).unwrap(),
        after: Quantity::parse(a).unwrap(),
    };
    assert_eq!(
        change("$10,000", "$2,000").describe("cost"),
        "80% less, a fifth of the cost"
    );
    assert_eq!(
        change("10 XMLs/min", "40 XMLs/min").describe("rate"),
        "4x as much (300% more)"
    );
    assert_eq!(
        change("15%", "0.1%").describe("error rate"),
        "99% lower, or down 14.9 points"
    );
    assert_eq!(
        change("19.5 s", "5 s").describe("t"),
        "3.9x faster: 74% less time, or 290% faster"
    );
}

#[test]
fn counts_and_rates_are_named_in_the_plural_they_are_said_in() {
    let name = |unit: Unit, value: f64| unit.counted_name(value);
    assert_eq!(name(Unit::Rate("record/s".into()), 1667.0), "records/s");
    assert_eq!(name(Unit::Rate("s/xml".into()), 19.5), "s/xml");
    assert_eq!(name(Unit::Rate("usd/request".into()), 0.2), "usd/request");
    assert_eq!(name(Unit::Count("incident".into()), 1.0), "incident");
    assert_eq!(name(Unit::Count("query".into()), 3.0), "queries");
    assert_eq!(name(Unit::Count("process".into()), 3.0), "processes");
    assert_eq!(name(Unit::Count("records".into()), 3.0), "records");
    assert_eq!(name(Unit::Count("day".into()), 3.0), "days");
    assert_eq!(name(Unit::Count(String::new()), 3.0), "");
}
