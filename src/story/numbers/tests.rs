use super::*;

fn metric(name: &str, before: &str, after: &str, claim: &str) -> MetricClaim {
    MetricClaim {
        name: name.into(),
        before: Some(before.into()),
        after: Some(after.into()),
        claim: Some(claim.into()),
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
    assert_eq!(q("1,667 rows/s").unit, Unit::Rate("rows/s".into()));
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
    assert_eq!(q("12 pages").unit, Unit::Count("pages".into()));
    assert_eq!(
        q("18 million records"),
        Quantity {
            value: 18e6,
            unit: Unit::Count("records".into())
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
fn mismatched_or_missing_numbers_are_unchecked_not_guessed() {
    assert!(matches!(
        verdict("m", "3 h", "30 rows", "6x"),
        Verdict::Unchecked { .. }
    ));
    assert!(matches!(
        verdict("m", "$5", "5 EUR", "same"),
        Verdict::Unchecked { .. }
    ));
    assert!(matches!(
        verdict("m", "3 h", "30 min", "much faster"),
        Verdict::Unchecked { .. }
    ));
    let no_after = MetricClaim {
        name: "rate".into(),
        before: Some("10 XMLs/min".into()),
        after: None,
        claim: None,
    };
    assert!(matches!(check(&no_after), Verdict::Unchecked { .. }));
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
