//! The HTTP/1.1 server: accepts connections on the listener, serves each with hyper, and can
//! close a connection without answering (dropped-connection faults) or stop everything when
//! the emulator shuts down.

use crate::errors::ApiError;
use crate::gateway::{Gateway, Incoming, Reply};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as IncomingBody;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Largest request body read.
const MAX_BODY: usize = 1 << 20;

/// Accepts and serves connections until `shutdown` turns true.
pub(crate) async fn serve(listener: TcpListener, gateway: Arc<Gateway>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let gateway = gateway.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let service_kill = kill.clone();
            let service = hyper::service::service_fn(move |request| {
                let (gateway, kill) = (gateway.clone(), service_kill.clone());
                async move { respond(&gateway, request, &kill).await }
            });
            let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = kill.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}

async fn respond(
    gateway: &Gateway,
    request: Request<IncomingBody>,
    kill: &Notify,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            let error = ApiError::invalid_parameter(
                "request body",
                format_args!("it could not be read ({e}); at most {MAX_BODY} bytes are accepted"),
            );
            return match gateway.reject(&parts.headers, &error) {
                Reply::Respond(response) => Ok(response),
                Reply::Drop => {
                    kill.notify_one();
                    std::future::pending().await
                }
            };
        }
    };
    let incoming = Incoming { method: &parts.method, uri: &parts.uri, headers: &parts.headers, body: &bytes };
    match gateway.handle(incoming).await {
        Reply::Respond(response) => Ok(response),
        Reply::Drop => {
            kill.notify_one();
            std::future::pending().await
        }
    }
}
