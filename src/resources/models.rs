//! `client.models()`: the model catalogue (`/v1/models`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::pagination::Paginator;
use crate::path::{self, Query};
use crate::types::models::{
    ListModelsParams, Listed, ModelInfo, ModelProviders, ModelsPage, SearchModelsParams,
};

const MODELS: &str = "/v1/models";

/// The model catalogue (`/v1/models`); made by [`Client::models`].
///
/// Every call is a GET that costs nothing; all are retried on 429, 502, 503 and 504.
#[derive(Debug, Clone, Copy)]
pub struct Models<'a> {
    client: &'a Client,
}

impl<'a> Models<'a> {
    pub(crate) fn new(client: &'a Client) -> Models<'a> {
        Models { client }
    }

    /// `GET /v1/models`: the catalogue, filtered by `params` (only the filters set are sent).
    ///
    /// The gateway answers a bare JSON array, not a page: every matching model at once. OpenAI's
    /// `{"object": "list", "data": [..]}` wrapper is read too, so the call also works against
    /// other OpenAI-compatible servers (their models usually have only an `id`; see
    /// [`ModelInfo`]).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::models::ListModelsParams;
    ///
    /// let client = Client::from_env()?;
    /// for model in client.models().list(&ListModelsParams::new().model_type("embedding"))? {
    ///     println!("{} ({})", model.id, model.name.as_deref().unwrap_or("unnamed"));
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self, params: &ListModelsParams) -> Result<Vec<ModelInfo>, MeshApiError> {
        let path = Query::new()
            .opt("free", params.free)
            .opt("type", params.model_type.as_deref())
            .opt("provider", params.provider.as_deref())
            .to_path(MODELS);
        self.list_at(&path)
    }

    /// The decode `list`, `free` and `paid` share.
    fn list_at(&self, path: &str) -> Result<Vec<ModelInfo>, MeshApiError> {
        let Listed(models) = self.client.get(path)?;
        Ok(models)
    }

    /// `GET /v1/models/free`: every free model (either list shape, as for [`list`](Self::list)).
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let free = client.models().free()?;
    /// assert!(free.iter().all(|m| m.is_free == Some(true)));
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn free(&self) -> Result<Vec<ModelInfo>, MeshApiError> {
        self.list_at("/v1/models/free")
    }

    /// `GET /v1/models/paid`: every paid model (either list shape, as for [`list`](Self::list)).
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// for model in client.models().paid()? {
    ///     let pricing = model.pricing.unwrap_or_default();
    ///     println!("{}: ${:?} per 1k prompt tokens", model.id, pricing.prompt_usd_per_1k);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paid(&self) -> Result<Vec<ModelInfo>, MeshApiError> {
        self.list_at("/v1/models/paid")
    }

    /// `GET /v1/models/search`: one page of a catalogue search. To walk every page, use
    /// [`paginate_search`](Self::paginate_search).
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::models::SearchModelsParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = SearchModelsParams::new().q("llama").free(true).limit(5);
    /// let page = client.models().search(&params)?;
    /// println!("{} of {} matches; brands {:?}", page.items.len(), page.total, page.brands);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn search(&self, params: &SearchModelsParams) -> Result<ModelsPage, MeshApiError> {
        self.client.get(&search_path(params))
    }

    /// `GET /v1/models/search`, page after page: the matches of `params`, fetched lazily. Each
    /// page keeps the caller's `limit`; the first starts at the caller's `offset` (or 0) and
    /// the next at `offset + items on this page`, until `total` is reached.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::models::SearchModelsParams;
    ///
    /// let client = Client::from_env()?;
    /// let params = SearchModelsParams::new().brand(["openai"]).sort("id").limit(50);
    /// for model in client.models().paginate_search(&params) {
    ///     println!("{}", model?.id);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn paginate_search(&self, params: &SearchModelsParams) -> Paginator<'a, ModelInfo> {
        let client = self.client;
        let params = params.clone();
        Paginator::by_offset(params.offset, move |offset| {
            let mut params = params.clone();
            params.offset = offset.or(params.offset);
            let page: ModelsPage = client.get(&search_path(&params))?;
            Ok((page.items, page.total))
        })
    }

    /// `GET /v1/models/{model_id}`: one model. The id keeps its `/` (`openai/gpt-4o`); every
    /// other character outside `A-Za-z0-9-._~` is percent-encoded (`:free` → `%3Afree`). The
    /// minimal model object of other OpenAI-compatible servers decodes too (see [`ModelInfo`]).
    ///
    /// An unknown id is a 404 with [`ErrorCode::NotFound`](crate::ErrorCode::NotFound). An
    /// empty id, or one of the catalogue's own route names (`free`, `paid`, `search`), is
    /// refused with [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig) before
    /// anything is sent, since the gateway would answer it with a list instead of a model.
    ///
    /// ```no_run
    /// let client = meshapi::Client::from_env()?;
    /// let model = client.models().get("meta-llama/llama-3.3-70b-instruct:free")?;
    /// let name = model.name.as_deref().unwrap_or(&model.id);
    /// println!("{name}: {:?} tokens of context", model.context_length);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, model_id: &str) -> Result<ModelInfo, MeshApiError> {
        if matches!(model_id, "free" | "paid" | "search") {
            return Err(MeshApiError::config(format!(
                "`{model_id}` is not a model id: GET /v1/models/{model_id} is a catalogue route"
            ))
            .not_sent());
        }
        let path = path::with_model_id(MODELS, model_id)?;
        self.client.get(&path)
    }

    /// `GET /v1/models/{model_id}/providers`: every route that can serve the model, each with
    /// its video-input capability flags. The catalogue entry reports the route a request is
    /// most likely to get; this answers whether *any* route takes an input. The id keeps its
    /// `/` and is encoded as for [`get`](Self::get); an empty id is refused with
    /// [`ErrorCode::InvalidConfig`](crate::ErrorCode::InvalidConfig) before anything is sent,
    /// an unknown one is a 404 with [`ErrorCode::NotFound`](crate::ErrorCode::NotFound).
    ///
    /// ```
    /// # let server = meshapi::mock::MockServer::start().unwrap();
    /// # let client = meshapi::Client::builder().token("t").base_url(server.url()).build().unwrap();
    /// let routes = client.models().providers("openai/gpt-4o-mini")?;
    /// for route in &routes.providers {
    ///     println!(
    ///         "{:?}: last frame {:?}, reference audio {:?}",
    ///         route.extra.get("provider"),
    ///         route.supports_video_last_frame,
    ///         route.supports_video_reference_audio,
    ///     );
    /// }
    /// let any_last_frame = routes.providers.iter().any(|r| r.supports_video_last_frame == Some(true));
    /// # assert!(!routes.providers.is_empty() && !any_last_frame);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn providers(&self, model_id: &str) -> Result<ModelProviders, MeshApiError> {
        let path = path::with_model_id(MODELS, model_id)? + "/providers";
        self.client.get(&path)
    }
}

fn search_path(params: &SearchModelsParams) -> String {
    Query::new()
        .opt("q", params.q.as_deref())
        .opt("free", params.free)
        .opt("discounted", params.discounted)
        .list("input_modality", params.input_modality.iter().flatten())
        .list("output_modality", params.output_modality.iter().flatten())
        .list("brand", params.brand.iter().flatten())
        .opt("sort", params.sort.as_deref())
        .opt("order", params.order.as_deref())
        .opt("limit", params.limit)
        .opt("offset", params.offset)
        .to_path("/v1/models/search")
}
