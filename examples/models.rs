//! Run with `cargo run --example models`.
//!
//! With `MESHAPI_TOKEN` set it calls the real gateway (`MESHAPI_BASE_URL` is honoured);
//! without, it starts the embedded mock gateway and says so on stderr. It lists the catalogue
//! and its embedding models, searches it one page at a time, walks every page of a search,
//! and looks a model up by its id.

mod support;

use meshapi::ErrorCode;
use meshapi::types::models::{ListModelsParams, ModelInfo, SearchModelsParams};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = support::client()?;
    let models = client.models();

    let all = models.list(&ListModelsParams::new())?;
    println!(
        "{} models in the catalogue, {} free",
        all.len(),
        all.iter().filter(|m| m.is_free == Some(true)).count()
    );
    for model in all.iter().take(5) {
        print_model(model);
    }

    let embeddings = models.list(&ListModelsParams::new().model_type("embedding"))?;
    println!("\nembedding models:");
    for model in &embeddings {
        print_model(model);
    }

    let page = models.search(&SearchModelsParams::new().q("openai").limit(2))?;
    println!(
        "\nsearch \"openai\": {} of {} matches (offset {}), brands {:?}",
        page.items.len(),
        page.total,
        page.offset,
        page.brands
    );

    println!("\nevery model by context length, fetched 2 at a time:");
    let mut pages = models.paginate_search(
        &SearchModelsParams::new()
            .sort("context_length")
            .order("desc")
            .limit(2),
    );
    for model in pages.by_ref() {
        print_model(&model?);
    }
    println!("({} requests)", pages.pages_fetched());

    let id = all
        .iter()
        .find(|m| m.id.contains(':'))
        .map_or("openai/gpt-4o-mini", |m| m.id.as_str());
    let model = models.get(id)?;
    println!("\nget {id}:");
    print_model(&model);
    println!(
        "  system prompt supported: {}",
        model.supports_system_prompt_or_default()
    );

    match models.get("nobody/no-such-model") {
        Err(e) if e.code() == &ErrorCode::NotFound => println!("\nunknown id: {}", e.message()),
        Err(e) => return Err(e.into()),
        Ok(model) => println!("\nunexpectedly found {}", model.id),
    }
    Ok(())
}

fn print_model(model: &ModelInfo) {
    let pricing = model.pricing.clone().unwrap_or_default();
    println!(
        "  {:<42} {:>8} tokens  per 1k: prompt {}, completion {}",
        model.id,
        model.context_length.map_or("?".into(), |n| n.to_string()),
        usd(pricing.prompt_usd_per_1k.as_deref()),
        usd(pricing.completion_usd_per_1k.as_deref()),
    );
}

/// Prices are decimal strings, printed as sent.
fn usd(price: Option<&str>) -> String {
    price.map_or_else(|| "-".into(), |p| format!("${p}"))
}
