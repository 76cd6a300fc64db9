//! The source feeds of the nightly batch: their names, columns, dependencies and relative
//! sizes. The generator of a day's files is in `generate`.
//!
//! The batch is shaped like the story's: many feeds from different source systems, most of them
//! independent (events and reference data loaded as they arrive), and one dependent chain
//! (customers -> orders -> order lines, products -> prices / inventory) whose order matters.
//! No feed or chain holds more than about a ninth of the records, so a schedule that runs the
//! independent jobs together can approach the story's 6x when the jobs wait on their sources.

use std::fmt;

/// One source feed, loaded by one job into the table of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feed {
    Customers,
    Products,
    Prices,
    Inventory,
    Orders,
    OrderLines,
    Shipments,
    Suppliers,
    Stores,
    Employees,
    ExchangeRates,
    Promotions,
    Timesheets,
    Payments,
    Refunds,
    Invoices,
    LedgerEntries,
    Returns,
    Reviews,
    SupportTickets,
    WebSessions,
    EmailEvents,
    AdClicks,
    StockMoves,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
}

/// A column of a feed file; `refs` names the feed whose keys it must reference.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub refs: Option<Feed>,
}

const fn int(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Int,
        refs: None,
    }
}

const fn text(name: &'static str) -> Column {
    Column {
        name,
        kind: Kind::Text,
        refs: None,
    }
}

const fn key_of(name: &'static str, feed: Feed) -> Column {
    Column {
        name,
        kind: Kind::Int,
        refs: Some(feed),
    }
}

impl Feed {
    /// Every feed, in an order where dependencies come first (the enum's order too).
    pub const ALL: [Feed; 24] = [
        Feed::Customers,
        Feed::Products,
        Feed::Prices,
        Feed::Inventory,
        Feed::Orders,
        Feed::OrderLines,
        Feed::Shipments,
        Feed::Suppliers,
        Feed::Stores,
        Feed::Employees,
        Feed::ExchangeRates,
        Feed::Promotions,
        Feed::Timesheets,
        Feed::Payments,
        Feed::Refunds,
        Feed::Invoices,
        Feed::LedgerEntries,
        Feed::Returns,
        Feed::Reviews,
        Feed::SupportTickets,
        Feed::WebSessions,
        Feed::EmailEvents,
        Feed::AdClicks,
        Feed::StockMoves,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Feed::Customers => "customers",
            Feed::Products => "products",
            Feed::Prices => "prices",
            Feed::Inventory => "inventory",
            Feed::Orders => "orders",
            Feed::OrderLines => "order_lines",
            Feed::Shipments => "shipments",
            Feed::Suppliers => "suppliers",
            Feed::Stores => "stores",
            Feed::Employees => "employees",
            Feed::ExchangeRates => "exchange_rates",
            Feed::Promotions => "promotions",
            Feed::Timesheets => "timesheets",
            Feed::Payments => "payments",
            Feed::Refunds => "refunds",
            Feed::Invoices => "invoices",
            Feed::LedgerEntries => "ledger_entries",
            Feed::Returns => "returns",
            Feed::Reviews => "reviews",
            Feed::SupportTickets => "support_tickets",
            Feed::WebSessions => "web_sessions",
            Feed::EmailEvents => "email_events",
            Feed::AdClicks => "ad_clicks",
            Feed::StockMoves => "stock_moves",
        }
    }

    pub fn from_name(name: &str) -> Option<Feed> {
        Feed::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }

    /// Jobs that must have loaded before this one starts: the feeds its rows reference.
    pub fn deps(self) -> &'static [Feed] {
        match self {
            Feed::Prices | Feed::Inventory => &[Feed::Products],
            Feed::Orders => &[Feed::Customers],
            Feed::OrderLines => &[Feed::Orders, Feed::Products],
            Feed::Shipments => &[Feed::Orders],
            _ => &[],
        }
    }

    /// Share of a day's records, in per mille (they add up to 1000): event feeds are large,
    /// reference data small.
    pub(crate) fn share_per_mille(self) -> u64 {
        match self {
            Feed::Customers => 20,
            Feed::Products => 10,
            Feed::Prices => 20,
            Feed::Inventory => 30,
            Feed::Orders => 30,
            Feed::OrderLines => 60,
            Feed::Shipments => 30,
            Feed::Suppliers => 10,
            Feed::Stores => 5,
            Feed::Employees => 10,
            Feed::ExchangeRates => 5,
            Feed::Promotions => 10,
            Feed::Timesheets => 40,
            Feed::Payments => 80,
            Feed::Refunds => 20,
            Feed::Invoices => 70,
            Feed::LedgerEntries => 90,
            Feed::Returns => 30,
            Feed::Reviews => 40,
            Feed::SupportTickets => 40,
            Feed::WebSessions => 90,
            Feed::EmailEvents => 90,
            Feed::AdClicks => 90,
            Feed::StockMoves => 80,
        }
    }

    /// The columns of the feed file, key first. References are checked against loaded tables.
    pub fn columns(self) -> &'static [Column] {
        const CUSTOMERS: [Column; 5] = [
            int("id"),
            text("name"),
            text("email"),
            int("region"),
            int("tier"),
        ];
        const PRODUCTS: [Column; 5] = [
            int("id"),
            text("sku"),
            text("name"),
            int("category"),
            int("weight_g"),
        ];
        const PRICES: [Column; 4] = [
            int("id"),
            key_of("product_id", Feed::Products),
            int("region"),
            int("price_cents"),
        ];
        const INVENTORY: [Column; 4] = [
            int("id"),
            key_of("product_id", Feed::Products),
            int("warehouse"),
            int("on_hand"),
        ];
        const ORDERS: [Column; 4] = [
            int("id"),
            key_of("customer_id", Feed::Customers),
            int("order_day"),
            text("status"),
        ];
        const ORDER_LINES: [Column; 5] = [
            int("id"),
            key_of("order_id", Feed::Orders),
            key_of("product_id", Feed::Products),
            int("qty"),
            int("unit_price_cents"),
        ];
        const SHIPMENTS: [Column; 5] = [
            int("id"),
            key_of("order_id", Feed::Orders),
            text("carrier"),
            int("shipped_day"),
            text("status"),
        ];
        // The independent feeds: one record per event or reference item from a source system.
        const EVENTS: [Column; 5] = [
            int("id"),
            text("source_ref"),
            int("event_day"),
            int("amount"),
            text("status"),
        ];
        match self {
            Feed::Customers => &CUSTOMERS,
            Feed::Products => &PRODUCTS,
            Feed::Prices => &PRICES,
            Feed::Inventory => &INVENTORY,
            Feed::Orders => &ORDERS,
            Feed::OrderLines => &ORDER_LINES,
            Feed::Shipments => &SHIPMENTS,
            _ => &EVENTS,
        }
    }

    /// Columns the transform derives and the table stores after the feed's own.
    pub fn derived(self) -> &'static [Column] {
        const AMOUNT: [Column; 1] = [int("amount_cents")];
        match self {
            Feed::OrderLines => &AMOUNT,
            _ => &[],
        }
    }

    /// Feed columns followed by derived columns: the table's columns.
    pub fn table_columns(self) -> impl Iterator<Item = &'static Column> {
        self.columns().iter().chain(self.derived())
    }

    pub fn header(self) -> String {
        self.columns()
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Feed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_come_before_their_dependants() {
        for (i, feed) in Feed::ALL.iter().enumerate() {
            assert_eq!(*feed as usize, i, "ALL is in the enum's order");
            for dep in feed.deps() {
                let at = Feed::ALL.iter().position(|f| f == dep).unwrap();
                assert!(at < i, "{dep} must precede {feed}");
            }
            for column in feed.columns() {
                if let Some(target) = column.refs {
                    assert!(feed.deps().contains(&target), "{feed}.{}", column.name);
                }
            }
        }
    }

    #[test]
    fn the_shares_add_up_and_no_dependent_chain_holds_more_than_an_eighth() {
        assert_eq!(
            Feed::ALL.iter().map(|f| f.share_per_mille()).sum::<u64>(),
            1000
        );
        // The longest chain by share: customers -> orders -> order_lines.
        let mut chain = std::collections::HashMap::new();
        for feed in Feed::ALL {
            let before = feed.deps().iter().map(|d| chain[d]).max().unwrap_or(0);
            chain.insert(feed, before + feed.share_per_mille());
        }
        let longest = chain.values().max().copied().unwrap();
        assert!(longest <= 125, "{longest}");
        assert!(Feed::ALL.iter().filter(|f| f.deps().is_empty()).count() >= 18);
    }
}
