//! models: what the server received and what the caller got.

use meshapi::ErrorCode;
use meshapi::mock::{MockReply, RecordedRequest};
use meshapi::types::models::{ListModelsParams, ModelInfo, SearchModelsParams};

use crate::common::{self, TOKEN};

const PY_LIST: &str = include_str!("../fixtures/py_model_list.json");
const GO_LIST: &str = include_str!("../fixtures/go_model_list.json");

fn assert_get(request: &RecordedRequest, path: &str, query: &str) {
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, path);
    assert_eq!(request.query, query);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(request.body.is_empty());
}

fn ids(models: &[ModelInfo]) -> Vec<&str> {
    models.iter().map(|m| m.id.as_str()).collect()
}

#[test]
fn list_decodes_both_golden_fixtures_keeping_legacy_keys() {
    for body in [PY_LIST, GO_LIST] {
        let mock = common::mock();
        let client = common::client(&mock);
        mock.enqueue(MockReply::json(200, body));
        let models = client.models().list(&ListModelsParams::new()).unwrap();
        assert_get(&mock.requests()[0], "/v1/models", "");
        assert_eq!(
            ids(&models),
            [
                "openai/gpt-4o-mini",
                "meta-llama/llama-3.3-70b-instruct:free"
            ]
        );
        assert_eq!(
            (models[0].is_free, models[1].is_free),
            (Some(false), Some(true))
        );
        assert_eq!(models[1].context_length, Some(131072));
        let pricing = models[0].pricing.as_ref().unwrap();
        assert_eq!(pricing.prompt_usd_per_1k.as_deref(), Some("0.000150"));
        assert_eq!(pricing.completion_usd_per_1k.as_deref(), Some("0.000600"));
        assert_eq!(pricing.discount_pct, None);
        assert_eq!(models[0].supports_tools, None, "absent is not false");
    }
    let mock = common::mock();
    mock.enqueue(MockReply::json(200, PY_LIST));
    let models = common::client(&mock)
        .models()
        .list(&ListModelsParams::new())
        .unwrap();
    let legacy = &models[0].pricing.as_ref().unwrap().extra;
    assert_eq!(
        legacy.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "completion_usd_per_1k_discounted",
            "image_usd_per_image",
            "prompt_usd_per_1k_discounted"
        ]
    );
    assert_eq!(
        models[0].description.as_deref(),
        Some("Affordable and intelligent small model for fast tasks")
    );
    assert_eq!(models[1].description, None);
}

#[test]
fn unknown_model_fields_are_kept_in_extra() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(
        200,
        r#"[{"id": "x/y", "name": "Y", "is_free": false, "supports_tools": false,
             "supports_system_prompt": false, "tier": "gold", "pricing": {"fresh_usd": "1"}}]"#,
    ));
    let models = common::client(&mock)
        .models()
        .list(&ListModelsParams::new())
        .unwrap();
    assert_eq!(models[0].extra["tier"], "gold");
    assert_eq!(models[0].supports_tools, Some(false));
    assert!(!models[0].supports_system_prompt_or_default());
    assert_eq!(models[0].pricing.as_ref().unwrap().extra["fresh_usd"], "1");
}

#[test]
fn list_sends_only_the_filters_that_are_set_and_the_mock_applies_them() {
    let mock = common::mock();
    let client = common::client(&mock);
    let all = client.models().list(&ListModelsParams::new()).unwrap();
    assert_eq!(
        all[0].id, "openai/gpt-4o-mini",
        "the default route's first model"
    );
    assert_eq!(all.len(), 4);

    let embeddings = client
        .models()
        .list(
            &ListModelsParams::new()
                .free(false)
                .model_type("embedding")
                .provider("openai"),
        )
        .unwrap();
    assert_eq!(ids(&embeddings), ["openai/text-embedding-3-small"]);
    assert_eq!(embeddings[0].model_type.as_deref(), Some("embedding"));
    assert_eq!(embeddings[0].supports_embeddings, Some(true));

    let free = client
        .models()
        .list(&ListModelsParams::new().free(true))
        .unwrap();
    assert_eq!(ids(&free), ["meta-llama/llama-3.3-70b-instruct:free"]);

    let requests = mock.requests();
    assert_get(&requests[0], "/v1/models", "");
    assert_get(
        &requests[1],
        "/v1/models",
        "free=false&type=embedding&provider=openai",
    );
    assert_get(&requests[2], "/v1/models", "free=true");
}

#[test]
fn free_and_paid_hit_their_own_routes_not_the_model_route() {
    let mock = common::mock();
    let client = common::client(&mock);
    let free = client.models().free().unwrap();
    let paid = client.models().paid().unwrap();
    assert!(!free.is_empty() && free.iter().all(|m| m.is_free == Some(true)));
    assert!(!paid.is_empty() && paid.iter().all(|m| m.is_free == Some(false)));
    assert_eq!(free.len() + paid.len(), 4);
    let requests = mock.requests();
    assert_get(&requests[0], "/v1/models/free", "");
    assert_get(&requests[1], "/v1/models/paid", "");
}

#[test]
fn search_sends_every_parameter_with_lists_as_repeated_keys() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"items": [{"id": "openai/gpt-4o", "name": "GPT-4o", "is_free": false}],
            "total": 12, "limit": 1, "offset": 3, "brands": ["openai"], "took_ms": 4}"#,
    ));
    let params = SearchModelsParams::new()
        .q("gpt 4o")
        .free(false)
        .discounted(true)
        .input_modality(["text", "image"])
        .output_modality(["text"])
        .brand(["openai", "meta-llama"])
        .sort("context_length")
        .order("desc")
        .limit(1)
        .offset(3);
    let page = client.models().search(&params).unwrap();
    assert_get(
        &mock.requests()[0],
        "/v1/models/search",
        "q=gpt%204o&free=false&discounted=true&input_modality=text&input_modality=image\
         &output_modality=text&brand=openai&brand=meta-llama&sort=context_length&order=desc\
         &limit=1&offset=3",
    );
    assert_eq!(page.items[0].id, "openai/gpt-4o");
    assert_eq!((page.total, page.limit, page.offset), (12, 1, 3));
    assert_eq!(page.brands, ["openai"]);
    assert_eq!(page.extra["took_ms"], 4);
}

#[test]
fn the_default_search_route_filters_sorts_pages_and_echoes_the_limit() {
    let mock = common::mock();
    let client = common::client(&mock);

    let page = client
        .models()
        .search(&SearchModelsParams::new().q("OPENAI").limit(5))
        .unwrap();
    assert_get(&mock.requests()[0], "/v1/models/search", "q=OPENAI&limit=5");
    assert_eq!(
        ids(&page.items),
        ["openai/gpt-4o-mini", "openai/text-embedding-3-small"]
    );
    assert_eq!((page.total, page.limit, page.offset), (2, 5, 0));
    assert_eq!(page.brands, ["openai"]);

    let page = client
        .models()
        .search(
            &SearchModelsParams::new()
                .sort("context_length")
                .order("desc")
                .limit(2)
                .offset(1),
        )
        .unwrap();
    assert_eq!(
        ids(&page.items),
        [
            "meta-llama/llama-3.3-70b-instruct:free",
            "openai/gpt-4o-mini"
        ]
    );
    assert_eq!((page.total, page.offset), (4, 1));
    assert_eq!(page.brands, ["anthropic", "meta-llama", "openai"]);

    let discounted = client
        .models()
        .search(&SearchModelsParams::new().discounted(true))
        .unwrap();
    assert_eq!(ids(&discounted.items), ["anthropic/claude-sonnet-4"]);
    assert_eq!(
        discounted.items[0]
            .pricing
            .as_ref()
            .unwrap()
            .discount_pct
            .as_deref(),
        Some("20")
    );

    let images = client
        .models()
        .search(
            &SearchModelsParams::new()
                .input_modality(["image"])
                .brand(["anthropic", "meta-llama"]),
        )
        .unwrap();
    assert_eq!(ids(&images.items), ["anthropic/claude-sonnet-4"]);

    let err = client
        .models()
        .search(&SearchModelsParams::new().sort("price"))
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), &ErrorCode::ValidationError);
}

#[test]
fn paginate_search_walks_offsets_until_the_total_keeping_the_limit() {
    let mock = common::mock();
    let client = common::client(&mock);
    let params = SearchModelsParams::new().sort("id").limit(3);
    let mut pager = client.models().paginate_search(&params);
    assert!(mock.requests().is_empty(), "nothing is fetched up front");
    let all: Vec<String> = pager.by_ref().map(|m| m.unwrap().id).collect();
    assert_eq!(
        all,
        [
            "anthropic/claude-sonnet-4",
            "meta-llama/llama-3.3-70b-instruct:free",
            "openai/gpt-4o-mini",
            "openai/text-embedding-3-small"
        ]
    );
    assert_eq!(pager.pages_fetched(), 2);
    let requests = mock.requests();
    assert_eq!(
        requests.len(),
        2,
        "stops at the total without an empty page"
    );
    assert_get(&requests[0], "/v1/models/search", "sort=id&limit=3");
    assert_get(
        &requests[1],
        "/v1/models/search",
        "sort=id&limit=3&offset=3",
    );
}

#[test]
fn paginate_search_starts_at_the_callers_offset_and_stops_on_an_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    let page = |items: &str, offset: u64| {
        MockReply::json(
            200,
            format!(r#"{{"items": [{items}], "total": 10, "limit": 2, "offset": {offset}}}"#),
        )
    };
    let model = |id: &str| format!(r#"{{"id": "{id}", "name": "{id}", "is_free": true}}"#);
    mock.enqueue(page(&format!("{},{}", model("a/1"), model("a/2")), 4));
    mock.enqueue(MockReply::json(404, r#"{"detail": "gone"}"#));
    let results: Vec<_> = client
        .models()
        .paginate_search(&SearchModelsParams::new().limit(2).offset(4))
        .collect();
    assert_eq!(results.len(), 3);
    assert_eq!(results[1].as_ref().unwrap().id, "a/2");
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(404), &ErrorCode::NotFound)
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].query, "limit=2&offset=4");
    assert_eq!(requests[1].query, "limit=2&offset=6");
}

#[test]
fn get_keeps_slashes_encodes_colons_and_the_mock_decodes_them() {
    let mock = common::mock();
    let client = common::client(&mock);
    let model = client
        .models()
        .get("meta-llama/llama-3.3-70b-instruct:free")
        .unwrap();
    assert_get(
        &mock.requests()[0],
        "/v1/models/meta-llama/llama-3.3-70b-instruct%3Afree",
        "",
    );
    assert_eq!(model.id, "meta-llama/llama-3.3-70b-instruct:free");
    assert_eq!(model.brand.as_deref(), Some("meta-llama"));
    assert_eq!(model.supports_tools, Some(true));
    assert_eq!(model.supports_thinking, None);

    let claude = client.models().get("anthropic/claude-sonnet-4").unwrap();
    assert_eq!(claude.supports_thinking, Some(true));
    assert_eq!(claude.composite_models, None);
    assert_eq!(claude.is_composite, Some(false));
    let pricing = claude.pricing.unwrap();
    assert_eq!(pricing.cache_read_input_usd_per_1m.as_deref(), Some("0.30"));
    assert!(pricing.extra.is_empty());
}

#[test]
fn get_encodes_awkward_ids_inside_their_segments() {
    let mock = common::mock();
    let client = common::client(&mock);
    let cases = [
        ("acme/a b", "/v1/models/acme/a%20b"),
        ("acme/what?x=1", "/v1/models/acme/what%3Fx%3D1"),
        ("acme/frag#ment", "/v1/models/acme/frag%23ment"),
        ("../templates", "/v1/models/%2E%2E/templates"),
        ("acme/..", "/v1/models/acme/%2E%2E"),
        ("acme/50%", "/v1/models/acme/50%25"),
    ];
    for (id, _) in cases {
        let err = client.models().get(id).unwrap_err();
        assert_eq!(err.status(), Some(404), "{id}");
        assert_eq!(err.code(), &ErrorCode::NotFound);
        assert_eq!(err.message(), format!("Model '{id}' not found"));
    }
    let requests = mock.requests();
    for ((_, path), request) in cases.iter().zip(&requests) {
        assert_get(request, path, "");
    }
}

#[test]
fn empty_and_route_name_ids_are_refused_before_sending() {
    let mock = common::mock();
    let client = common::client(&mock);
    for id in ["", "free", "paid", "search"] {
        let err = client.models().get(id).unwrap_err();
        assert_eq!(err.code(), &ErrorCode::InvalidConfig, "{id:?}");
        assert_eq!(err.status(), None);
    }
    assert!(mock.requests().is_empty());
}

#[test]
fn an_unauthorized_list_maps_the_envelope() {
    let mock = common::mock();
    mock.enqueue(MockReply::json(401, common::FIXTURE_401));
    let err = common::client(&mock).models().paid().unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), &ErrorCode::Unauthorized);
    assert!(!err.message().is_empty());
}

const OPENAI_MODEL: &str =
    r#"{"id": "gpt-4o", "object": "model", "created": 1686935002, "owned_by": "openai"}"#;

fn assert_openai_model(model: &ModelInfo) {
    assert_eq!(model.id, "gpt-4o");
    assert_eq!((model.name.as_deref(), model.is_free), (None, None));
    assert_eq!(model.pricing, None);
    assert_eq!(model.extra["object"], "model");
    assert_eq!(model.extra["created"], 1686935002);
    assert_eq!(model.extra["owned_by"], "openai");
}

#[test]
fn list_free_and_paid_accept_the_openai_wrapper_of_minimal_models() {
    let mock = common::mock();
    let client = common::client(&mock);
    let wrapped = format!(r#"{{"object": "list", "data": [{OPENAI_MODEL}]}}"#);
    for _ in 0..3 {
        mock.enqueue(MockReply::json(200, wrapped.as_str()));
    }
    let lists = [
        client.models().list(&ListModelsParams::new()).unwrap(),
        client.models().free().unwrap(),
        client.models().paid().unwrap(),
    ];
    for models in &lists {
        assert_eq!(models.len(), 1);
        assert_openai_model(&models[0]);
    }
    let requests = mock.requests();
    assert_get(&requests[0], "/v1/models", "");
    assert_get(&requests[1], "/v1/models/free", "");
    assert_get(&requests[2], "/v1/models/paid", "");
}

#[test]
fn list_accepts_a_bare_array_of_minimal_models_and_the_wrapper_of_meshapi_models() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, format!("[{OPENAI_MODEL}]")));
    let models = client.models().list(&ListModelsParams::new()).unwrap();
    assert_openai_model(&models[0]);

    // The golden MeshAPI list, wrapped: the same models as bare.
    let bare = {
        mock.enqueue(MockReply::json(200, PY_LIST));
        client.models().list(&ListModelsParams::new()).unwrap()
    };
    mock.enqueue(MockReply::json(
        200,
        format!(r#"{{"object": "list", "data": {PY_LIST}, "has_more": false}}"#),
    ));
    let wrapped = client.models().list(&ListModelsParams::new()).unwrap();
    assert_eq!(wrapped, bare);
    assert_eq!(wrapped[0].name.as_deref(), Some("GPT-4o Mini"));
    assert_eq!(wrapped[0].is_free, Some(false));
}

#[test]
fn a_list_item_that_does_not_decode_reports_its_own_error() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(
        200,
        r#"{"object": "list", "data": [{"object": "model"}]}"#,
    ));
    let err = client.models().list(&ListModelsParams::new()).unwrap_err();
    assert_eq!(err.code(), &ErrorCode::ParseError);
    assert!(common::chain(&err).contains("missing field `id`"), "{err}");
}

#[test]
fn get_decodes_the_minimal_openai_model_object() {
    let mock = common::mock();
    let client = common::client(&mock);
    mock.enqueue(MockReply::json(200, OPENAI_MODEL));
    let model = client.models().get("gpt-4o").unwrap();
    assert_get(&mock.requests()[0], "/v1/models/gpt-4o", "");
    assert_openai_model(&model);

    // The MeshAPI shape still fills the fields that became optional.
    let model = client.models().get("openai/gpt-4o-mini").unwrap();
    assert_eq!(model.name.as_deref(), Some("GPT-4o Mini"));
    assert_eq!(model.is_free, Some(false));
    assert!(model.pricing.is_some());
}
