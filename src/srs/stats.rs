//! Review statistics as pure functions over what the store returns: reviews a day, true
//! retention, the due forecast. Days are calendar days in the given time zone.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{CardState, Grade, Phase, ReviewKind};

/// How many of something fell on one calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    pub date: Date,
    pub count: usize,
}

/// The calendar day of `at` in `tz`.
pub fn day_of(at: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(at).date()
}

/// The instant `date` starts in `tz`.
pub fn start_of(date: Date, tz: &TimeZone) -> Timestamp {
    tz.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::MAX)
}

/// Reviews on each of the `days` days ending with `today`, oldest first.
pub fn reviews_per_day(
    times: impl IntoIterator<Item = Timestamp>,
    tz: &TimeZone,
    today: Date,
    days: usize,
) -> Vec<DayCount> {
    let days = i32::try_from(days).unwrap_or(i32::MAX);
    let mut counts: Vec<DayCount> = (0..days)
        .rev()
        .filter_map(|back| today.checked_sub(jiff::Span::new().days(back)).ok())
        .map(|date| DayCount { date, count: 0 })
        .collect();
    for at in times {
        let date = day_of(at, tz);
        if let Some(slot) = counts.iter_mut().find(|d| d.date == date) {
            slot.count += 1;
        }
    }
    counts
}

/// True retention, as Anki defines it: the share of reviews of graduated cards that were
/// recalled (learning steps and cram do not count). None with no such review.
pub fn true_retention(reviews: impl IntoIterator<Item = (ReviewKind, Grade)>) -> Option<f64> {
    let (mut passed, mut total) = (0usize, 0usize);
    for (kind, grade) in reviews {
        if kind == ReviewKind::Review {
            total += 1;
            passed += usize::from(grade.passed());
        }
    }
    (total > 0).then(|| passed as f64 / total as f64)
}

/// Cards coming due on each of the next `days` days, today first (overdue cards count for
/// today). New cards are not forecast: they are due whenever you start them.
pub fn forecast<'a>(
    states: impl IntoIterator<Item = &'a CardState>,
    now: Timestamp,
    tz: &TimeZone,
    days: usize,
) -> Vec<DayCount> {
    let today = day_of(now, tz);
    let mut counts: Vec<DayCount> = (0..i32::try_from(days).unwrap_or(i32::MAX))
        .filter_map(|ahead| today.checked_add(jiff::Span::new().days(ahead)).ok())
        .map(|date| DayCount { date, count: 0 })
        .collect();
    for state in states {
        if state.phase == Phase::New {
            continue;
        }
        let date = day_of(state.due, tz).max(today);
        if let Some(slot) = counts.iter_mut().find(|d| d.date == date) {
            slot.count += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn reviews_fall_on_their_local_day() {
        let tz = TimeZone::fixed(jiff::tz::offset(-5));
        let today = jiff::civil::date(2026, 11, 25);
        // 03:00 UTC on the 25th is still the 24th at UTC-5.
        let counts = reviews_per_day(
            [
                at("2026-11-25T03:00:00Z"),
                at("2026-11-25T15:00:00Z"),
                at("2026-11-01T15:00:00Z"),
            ],
            &tz,
            today,
            3,
        );
        let day = |date, count| DayCount { date, count };
        assert_eq!(
            counts,
            [
                day(jiff::civil::date(2026, 11, 23), 0),
                day(jiff::civil::date(2026, 11, 24), 1),
                day(today, 1)
            ]
        );
    }

    #[test]
    fn retention_counts_only_graduated_reviews() {
        use Grade::*;
        use ReviewKind::*;
        let reviews = [
            (Review, Good),
            (Review, Again),
            (Review, Hard),
            (Review, Easy),
            (Learn, Again),
            (Cram, Again),
        ];
        assert_eq!(true_retention(reviews), Some(0.75));
        assert_eq!(true_retention([(Learn, Good)]), None);
    }

    #[test]
    fn the_forecast_puts_overdue_cards_on_today_and_skips_new_ones() {
        let now = at("2026-11-25T12:00:00Z");
        let tz = TimeZone::UTC;
        let state = |due: Timestamp| CardState {
            phase: Phase::Review,
            due,
            ..CardState::new(now)
        };
        let day = SignedDuration::from_hours(24);
        let states = [
            state(now - day * 3),
            state(now + day),
            state(now + day * 30),
            CardState::new(now),
        ];
        let counts: Vec<usize> = forecast(&states, now, &tz, 14)
            .into_iter()
            .map(|d| d.count)
            .collect();
        assert_eq!(counts.len(), 14);
        assert_eq!(&counts[..3], [1, 1, 0]);
        assert_eq!(counts.iter().sum::<usize>(), 2);
    }
}
