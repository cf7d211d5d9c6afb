//! `client.templates()`: prompt templates (`/v1/templates`).

use crate::client::Client;
use crate::error::MeshApiError;
use crate::path;
use crate::transport::Method;
use crate::types::templates::{CreateTemplateParams, TemplateSummary, UpdateTemplateParams};

const TEMPLATES: &str = "/v1/templates";

/// Prompt templates (`/v1/templates`); made by [`Client::templates`].
///
/// Template ids are sent as one encoded path segment, although the official SDKs send them
/// raw: an id can never reach another route.
#[derive(Debug, Clone, Copy)]
pub struct Templates<'a> {
    client: &'a Client,
}

impl<'a> Templates<'a> {
    pub(crate) fn new(client: &'a Client) -> Templates<'a> {
        Templates { client }
    }

    /// `POST /v1/templates`: stores a new template.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::templates::CreateTemplateParams;
    ///
    /// let client = Client::from_env()?;
    /// let template = client.templates().create(
    ///     &CreateTemplateParams::new("pirate-assistant")
    ///         .system("You speak like a pirate. Topic: {{topic}}")
    ///         .model("openai/gpt-4o-mini")
    ///         .variables(["topic"]),
    /// )?;
    /// println!("created {}", template.id);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn create(&self, params: &CreateTemplateParams) -> Result<TemplateSummary, MeshApiError> {
        self.client.json(Method::Post, TEMPLATES, Some(params))
    }

    /// `GET /v1/templates`: the caller's own templates (a bare JSON array, not paged).
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// for template in client.templates().list()? {
    ///     println!("{} {}", template.id, template.name);
    /// }
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn list(&self) -> Result<Vec<TemplateSummary>, MeshApiError> {
        self.client.get(TEMPLATES)
    }

    /// `GET /v1/templates/{template_id}`: one template; an unknown id is a
    /// [`NotFound`](crate::ErrorCode::NotFound) error.
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// let template = client.templates().get("550e8400-e29b-41d4-a716-446655440000")?;
    /// println!("{:?}", template.system);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn get(&self, template_id: &str) -> Result<TemplateSummary, MeshApiError> {
        let path = path::with_id(TEMPLATES, "template id", template_id)?;
        self.client.get(&path)
    }

    /// `PATCH /v1/templates/{template_id}`: changes the fields set in `params`, keeps the rest.
    ///
    /// ```no_run
    /// use meshapi::Client;
    /// use meshapi::types::templates::UpdateTemplateParams;
    ///
    /// let client = Client::from_env()?;
    /// let template = client.templates().update(
    ///     "550e8400-e29b-41d4-a716-446655440000",
    ///     &UpdateTemplateParams::new().model("openai/gpt-4o"),
    /// )?;
    /// println!("updated at {}", template.updated_at);
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn update(
        &self,
        template_id: &str,
        params: &UpdateTemplateParams,
    ) -> Result<TemplateSummary, MeshApiError> {
        let path = path::with_id(TEMPLATES, "template id", template_id)?;
        self.client.json(Method::Patch, &path, Some(params))
    }

    /// `DELETE /v1/templates/{template_id}`: removes a template (the gateway answers 204).
    ///
    /// ```no_run
    /// use meshapi::Client;
    ///
    /// let client = Client::from_env()?;
    /// client.templates().delete("550e8400-e29b-41d4-a716-446655440000")?;
    /// # Ok::<(), meshapi::MeshApiError>(())
    /// ```
    pub fn delete(&self, template_id: &str) -> Result<(), MeshApiError> {
        let path = path::with_id(TEMPLATES, "template id", template_id)?;
        self.client.no_content(Method::Delete, &path)
    }
}
