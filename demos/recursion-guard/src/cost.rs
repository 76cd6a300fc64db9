//! What a runaway costs: the measured invocation rate times a per-invocation price, and how long
//! a bill cap lasts at that rate. Nothing is fetched at run time: the default price is a
//! constant taken from AWS's published Lambda prices, with the date it was taken.

use std::time::Duration;

/// AWS Lambda, US East (N. Virginia), x86, as published on https://aws.amazon.com/lambda/pricing/
/// and in AWS's "How AWS Pricing Works" (Lambda): $0.20 per 1 million requests.
pub const USD_PER_REQUEST: f64 = 0.20 / 1_000_000.0;
/// The same page: $0.0000166667 for every GB-second of duration.
pub const USD_PER_GB_SECOND: f64 = 0.000_016_666_7;
/// When these prices were taken (they are the ones in force since 1 ms billing, Dec 2020).
pub const PRICES_TAKEN: &str = "2026-12-02";
/// The function the default price assumes: the smallest memory size, 100 ms per invocation.
pub const ASSUMED_MEMORY_MB: f64 = 128.0;
pub const ASSUMED_DURATION_MS: f64 = 100.0;
/// One request plus 128 MB for 100 ms: $0.000000408 per invocation. Free tier not counted.
pub const DEFAULT_USD_PER_INVOCATION: f64 = USD_PER_REQUEST
    + USD_PER_GB_SECOND * (ASSUMED_MEMORY_MB / 1024.0) * (ASSUMED_DURATION_MS / 1000.0);

/// Where the default price comes from, for the report.
pub fn price_source() -> String {
    format!(
        "AWS Lambda list prices, US East (N. Virginia), x86, taken {PRICES_TAKEN}: $0.20 per \
         million requests + $0.0000166667 per GB-second, for a {ASSUMED_MEMORY_MB:.0} MB function \
         running {ASSUMED_DURATION_MS:.0} ms = ${DEFAULT_USD_PER_INVOCATION:.9} per invocation \
         (free tier not counted; set --usd-per-invocation for your function)"
    )
}

/// A runaway loop spending at a steady invocation rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Runaway {
    pub invocations_per_s: f64,
    pub usd_per_invocation: f64,
}

impl Runaway {
    pub fn usd_per_hour(&self) -> f64 {
        self.invocations_per_s * self.usd_per_invocation * 3600.0
    }

    /// How long until `cap_usd` is spent; `None` when nothing is being spent.
    pub fn cap_lasts(&self, cap_usd: f64) -> Option<Duration> {
        let per_s = self.invocations_per_s * self.usd_per_invocation;
        (per_s > 0.0).then(|| Duration::from_secs_f64(cap_usd / per_s))
    }

    /// Dollars spent after each of `hours`, as chart points (hours, USD).
    pub fn curve(&self, hours: &[f64]) -> Vec<(f64, f64)> {
        hours
            .iter()
            .map(|h| (*h, self.usd_per_hour() * h))
            .collect()
    }
}

/// Hours as a person reads them: "37 min", "5.2 h", "3.1 days".
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 3.0 * 86_400.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86_400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_price_is_one_request_and_128_mb_for_100_ms() {
        assert!((DEFAULT_USD_PER_INVOCATION - 4.083_334e-7).abs() < 1e-12);
    }

    #[test]
    fn a_cap_lasts_cap_over_spend_per_second() {
        let runaway = Runaway {
            invocations_per_s: 1000.0,
            usd_per_invocation: 1e-6,
        };
        // $0.001 a second: $3.60 an hour; $100 lasts 100,000 s.
        assert!((runaway.usd_per_hour() - 3.6).abs() < 1e-9);
        assert_eq!(runaway.cap_lasts(100.0), Some(Duration::from_secs(100_000)));
        assert_eq!(runaway.curve(&[0.0, 2.0]), [(0.0, 0.0), (2.0, 7.2)]);
        let idle = Runaway {
            invocations_per_s: 0.0,
            ..runaway
        };
        assert_eq!(idle.cap_lasts(100.0), None);
        assert_eq!(human(Duration::from_secs(100_000)), "27.8 h");
    }
}
