//! The runtime client: resolves the endpoint, signs each request with V1, sends it on the
//! shared HTTP client and turns the response into a typed result.

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::{BuildError, ConfigError, DecodeError, ErrorMetadata, SdkError, ServiceError, TransportError};
use crate::operation::{DryRunPassed, Endpoints, Operation, Outcome, Service};
use crate::params::Params;
use crate::signing::v1;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

const USER_AGENT: &str = concat!("alibabacloud-rust-sdk/", env!("CARGO_PKG_VERSION"));
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A client of one service version. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static Service,
    http: reqwest::Client,
    /// `scheme://host[:port]`, without a trailing slash.
    endpoint: Result<String, ConfigError>,
    credentials: Option<Credentials>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("product", &self.inner.service.product)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .finish()
    }
}

impl Client {
    /// A client of `service` with `config`.
    pub fn new(service: &'static Service, config: &Config) -> Self {
        let endpoint = resolve_endpoint(service, config);
        Self {
            inner: Arc::new(Inner {
                service,
                http: config.http.clone(),
                endpoint,
                credentials: config.credentials.clone(),
            }),
        }
    }

    /// The endpoint requests go to, e.g. `https://vpcpeer.aliyuncs.com`.
    pub fn endpoint(&self) -> Result<&str, &ConfigError> {
        self.inner.endpoint.as_deref()
    }

    /// Sends `input` and decodes the response.
    pub async fn send<O: Operation>(&self, input: &O) -> Result<O::Response, SdkError<O::Error>> {
        let (status, body) = self.exchange(input).await?;
        if (200..300).contains(&status) {
            return decode(status, body);
        }
        Err(SdkError::Service(O::Error::from_metadata(ErrorMetadata::from_response(status, body))))
    }

    /// Sends `input` of an operation that supports `DryRun`. When `dry_run` is set, the
    /// service's `DryRunOperation` answer is [`Outcome::DryRunPassed`], not an error.
    pub async fn send_with_dry_run<O: Operation>(
        &self,
        input: &O,
        dry_run: bool,
    ) -> Result<Outcome<O::Response>, SdkError<O::Error>> {
        let (status, body) = self.exchange(input).await?;
        if (200..300).contains(&status) {
            return decode(status, body).map(Outcome::Completed);
        }
        let metadata = ErrorMetadata::from_response(status, body);
        if dry_run && metadata.code() == Some(DryRunPassed::CODE) {
            return Ok(Outcome::DryRunPassed(DryRunPassed::new(metadata)));
        }
        Err(SdkError::Service(O::Error::from_metadata(metadata)))
    }

    /// Signs and sends one request; gives the status and the whole body.
    async fn exchange<O: Operation>(&self, input: &O) -> Result<(u16, Bytes), SdkError<O::Error>> {
        let mut params = Params::default();
        input.write_params(&mut params);
        if let Some(error) = params.error() {
            return Err(BuildError::InvalidValue(error.to_owned()).into());
        }
        let endpoint = self.inner.endpoint.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
        let credentials = self.inner.credentials.as_ref().ok_or_else(|| {
            SdkError::Config(ConfigError(
                "no credentials configured: set them with Config::builder().credentials(..)".into(),
            ))
        })?;
        let signed =
            v1::sign_request(endpoint, self.inner.service.version, O::ACTION, &params, credentials, SystemTime::now());
        let mut request = self.inner.http.post(signed.url).header(reqwest::header::USER_AGENT, USER_AGENT);
        if !signed.body.is_empty() {
            request = request.header(reqwest::header::CONTENT_TYPE, FORM_CONTENT_TYPE).body(signed.body);
        }
        let transport = |e| SdkError::Transport(TransportError::new(endpoint, e));
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        Ok((status, body))
    }
}

fn decode<R: DeserializeOwned, E>(status: u16, body: Bytes) -> Result<R, SdkError<E>> {
    let mut json = serde_json::Deserializer::from_slice(&body);
    let decoded = serde_path_to_error::deserialize(&mut json)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| json.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    decoded.map_err(|(path, e)| SdkError::Decode(DecodeError::new(status, body.clone(), path, e)))
}

fn resolve_endpoint(service: &Service, config: &Config) -> Result<String, ConfigError> {
    if let Some(url) = &config.endpoint {
        return Ok(url.as_str().trim_end_matches('/').to_owned());
    }
    let host = match &service.endpoints {
        Endpoints::Central(host) => (*host).to_owned(),
        Endpoints::Regional(hosts) => {
            let region = config.region.as_deref().ok_or_else(|| {
                ConfigError(format!("{} is a regional service: set a region or an endpoint URL", service.product))
            })?;
            match hosts.binary_search_by(|(r, _)| (*r).cmp(region)) {
                Ok(i) => hosts[i].1.to_owned(),
                Err(_) => format!("{}.{region}.aliyuncs.com", service.product.to_lowercase()),
            }
        }
    };
    Ok(format!("https://{host}"))
}
