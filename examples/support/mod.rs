//! What every example shares: which gateway to talk to.

use meshapi::Client;
use meshapi::mock::MockServer;

/// A client for the real gateway when `MESHAPI_TOKEN` is set (`MESHAPI_BASE_URL` is honoured);
/// otherwise the embedded mock gateway is started and the client points at it, which is said
/// on stderr.
///
/// Keep the returned server until the example ends: dropping it stops the mock.
pub fn client() -> Result<(Client, Option<MockServer>), Box<dyn std::error::Error>> {
    if std::env::var_os(meshapi::ENV_TOKEN).is_some() {
        return Ok((Client::from_env()?, None));
    }
    let mock = MockServer::start()?;
    eprintln!(
        "{} is not set: using the embedded mock gateway at {}",
        meshapi::ENV_TOKEN,
        mock.url()
    );
    let client = Client::builder()
        .token("rsk_mock")
        .base_url(mock.url())
        .build()?;
    Ok((client, Some(mock)))
}
