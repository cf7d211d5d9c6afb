//! Run with `cargo run --example usage`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured);
//! without, it starts the embedded mock gateway and says so on stderr. It reads the balance
//! and the live rate limits, sums up usage per model, walks the request history a page at a
//! time, shows the attempts behind a rerouted request, prints the spend trend, and asks which
//! routes can serve a model.

mod support;

use meshapi::types::usage::{
    ListUsageEventsParams, RateLimitsParams, SpendTrendParams, UsageSummaryParams,
};
use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;

    let balance = client.balance().get()?;
    println!(
        "balance ${} (${} available, ${} reserved: {})",
        text(balance.balance_usd.as_deref()),
        text(balance.available_usd.as_deref()),
        text(balance.reserved_usd.as_deref()),
        balance.reserved_breakdown.unwrap_or(Value::Null),
    );

    let limits = client.usage().rate_limits(&RateLimitsParams::new())?;
    println!("\nrate limits as of {}:", text(limits.as_of.as_deref()));
    for (dimension, limit) in limits.key.iter().flat_map(|scope| &scope.limits) {
        let default = if limit.is_default_limit == Some(true) {
            " (system default)"
        } else {
            ""
        };
        println!(
            "  {dimension}: {} of {} ({}%), resets in {:?}{default}",
            number(limit.current),
            number(limit.limit),
            limit.pct.unwrap_or_default(),
            limit.resets_in().unwrap_or_default(),
        );
    }

    let summary = client.usage().summary(&UsageSummaryParams::new())?;
    println!(
        "\n{} requests ({} failed), {} tokens, ${} in all; by model:",
        number(summary.total_requests),
        number(summary.error_requests),
        number(summary.total_tokens),
        text(summary.total_cost_usd.as_deref()),
    );
    for row in summary.by_model.iter().flatten() {
        println!(
            "  {:<42} {}",
            text(row.model.as_deref()),
            row.extra.get("cost_usd").unwrap_or(&Value::Null)
        );
    }

    println!("\nevery request, newest first, fetched 2 at a time:");
    let mut pages = client
        .usage()
        .events()
        .paginate(&ListUsageEventsParams::new().limit(2));
    let mut rerouted = None;
    for event in pages.by_ref() {
        let event = event?;
        println!(
            "  {:<12} {:<42} ${}{}",
            text(event.request_id.as_deref()),
            text(event.model.as_deref()),
            text(event.cost_usd.as_deref()),
            if event.routing_fallback == Some(true) {
                "  (rerouted)"
            } else {
                ""
            },
        );
        if event.routing_fallback == Some(true) && rerouted.is_none() {
            rerouted = event.id;
        }
    }
    println!("({} requests)", pages.pages_fetched());

    if let Some(id) = rerouted {
        println!("\nthe attempts behind {id}, oldest first:");
        for attempt in client.usage().events().attempts(&id)?.attempts {
            println!(
                "  {:<12} {:<28} {}",
                text(attempt.id.as_deref()),
                text(attempt.model.as_deref()),
                attempt.extra.get("status").unwrap_or(&Value::Null),
            );
        }
    }

    let trend = client
        .usage()
        .spend_trend(&SpendTrendParams::new().granularity("day"))?;
    println!(
        "\nspend per {} (the bucket fields are not documented, so they are printed as sent):",
        text(trend.granularity.as_deref())
    );
    for (field, value) in &trend.extra {
        println!("  {field}: {value}");
    }

    let model = "openai/gpt-4o-mini";
    let routes = client.models().providers(model)?;
    println!("\nroutes serving {model}:");
    for route in &routes.providers {
        println!(
            "  {}: first frame {:?}, last frame {:?}, reference image {:?}",
            route.extra.get("provider").unwrap_or(&Value::Null),
            route.supports_video_first_frame,
            route.supports_video_last_frame,
            route.supports_video_reference_image,
        );
    }
    Ok(())
}

/// A decimal string (money stays as sent) or another optional text.
fn text(value: Option<&str>) -> &str {
    value.unwrap_or("?")
}

fn number(value: Option<u64>) -> String {
    value.map_or_else(|| "?".into(), |n| n.to_string())
}
