//! Throughput of the parts and of a whole refresh. The 18 M targets (60 s, 1.15x the critical
//! path, 500 MB) are measured by the demo itself: `--records 18000000` in release.
//!
//! `cargo bench -p concurrent-etl`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use concurrent_etl::feed::Feed;
use concurrent_etl::generate::Generator;
use concurrent_etl::refresh::{self, Config, Mode};
use concurrent_etl::transform::{KeySet, References, transform};
use concurrent_etl::{csvline, db};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use demo_kit::{CollectSink, Reporter};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

const RECORDS: u64 = 100_000;

fn parse_and_transform(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let day = Generator::new(RECORDS, 1, 0)
        .write_day(dir.path(), 2)
        .unwrap();
    let lines = std::fs::read_to_string(&day[Feed::OrderLines as usize].path).unwrap();
    let lines: Vec<&str> = lines.lines().skip(1).collect();
    let mut refs = References::new();
    refs.insert(Feed::Orders, Arc::new((1..=1_000_000).collect::<KeySet>()));
    refs.insert(
        Feed::Products,
        Arc::new((1..=1_000_000).collect::<KeySet>()),
    );
    let mut group = c.benchmark_group("extract+transform");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("order_lines", |b| {
        let mut values = Vec::with_capacity(lines.len() * 6);
        b.iter(|| {
            values.clear();
            for line in &lines {
                let mut fields = Vec::with_capacity(5);
                csvline::split(line, &mut fields).unwrap();
                transform(Feed::OrderLines, &fields, &refs, &mut values).unwrap();
            }
            black_box(values.len())
        });
    });
    group.finish();
}

fn upsert(c: &mut Criterion) {
    let rows: Vec<Value> = (1..=RECORDS as i64)
        .flat_map(|id| [id, id % 5000 + 1, id % 700 + 1, 3, 250, 750].map(Value::Integer))
        .collect();
    let mut group = c.benchmark_group("single writer");
    group.throughput(Throughput::Elements(RECORDS));
    group.sample_size(10);
    for (name, change) in [("insert", false), ("update", true)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().unwrap();
                    let conn = db::open(&dir.path().join("b.db")).unwrap();
                    db::create_schema(&conn).unwrap();
                    if change {
                        load(&conn, &rows, 1);
                    }
                    (dir, conn)
                },
                |(dir, conn)| {
                    load(&conn, &rows, 2);
                    (dir, conn)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn load(conn: &rusqlite::Connection, rows: &[Value], qty: i64) {
    conn.execute_batch("BEGIN").unwrap();
    let mut stmt = conn.prepare(&db::upsert_sql(Feed::OrderLines)).unwrap();
    for row in rows.chunks_exact(6) {
        let mut row = row.to_vec();
        row[3] = Value::Integer(qty);
        stmt.execute(params_from_iter(&row)).unwrap();
    }
    drop(stmt);
    conn.execute_batch("COMMIT").unwrap();
}

fn whole_refresh(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let generator = Generator::new(RECORDS, 1, 0);
    let day1 = generator.write_day(&dir.path().join("day1"), 1).unwrap();
    let day2 = generator.write_day(&dir.path().join("day2"), 2).unwrap();
    let reporter = Reporter::new(CollectSink::new());
    let config = |mode, day: &str, db| Config {
        mode,
        feeds: dir.path().join(day),
        feed_label: day.to_owned(),
        db,
        page_size: 5_000,
        batch_rows: 50_000,
        source_latency: Duration::ZERO,
        label: "bench".into(),
        totals: day2.iter().map(|m| (m.feed, m.lines)).collect(),
        postgres: None,
    };
    let base = dir.path().join("base.db");
    refresh::run(&config(Mode::Concurrent, "day1", base.clone()), &reporter).unwrap();
    assert_eq!(day1.len(), 7);
    let mut group = c.benchmark_group("day-2 refresh, 100k records");
    group.throughput(Throughput::Elements(RECORDS));
    group.sample_size(10);
    for mode in [Mode::Sequential, Mode::Concurrent] {
        group.bench_function(mode.to_string(), |b| {
            b.iter_batched(
                || {
                    let db = dir.path().join(format!("{mode}.db"));
                    std::fs::copy(&base, &db).unwrap();
                    db
                },
                |db| {
                    let run = refresh::run(&config(mode, "day2", db), &reporter).unwrap();
                    assert!(run.all_loaded());
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_transform, upsert, whole_refresh);
criterion_main!(benches);
