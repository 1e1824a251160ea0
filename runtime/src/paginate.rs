//! Paginators: a request sent page after page, each time with the `NextToken` of the page
//! before, until a page has none.

use crate::error::{PaginationError, SdkError};
use std::collections::HashSet;
use std::future::Future;

/// A request builder that can be sent more than once (it is cloned for each call). The
/// generator implements it for the operations that have paginators or waiters.
pub trait Repeatable: Clone + Send + Sized {
    /// What one call gives.
    type Output: Send;
    /// The operation's typed service error.
    type Error: Send;

    /// Sends this request once.
    fn send_once(self) -> impl Future<Output = Result<Self::Output, SdkError<Self::Error>>> + Send;
}

/// A request of an operation that pages its results with `NextToken`. The generator
/// implements it for the request builders of those operations; call `into_pages()` on one.
pub trait Paginate: Repeatable {
    /// The `NextToken` of `page`; `None` or empty on the last page.
    fn next_token_of(page: &Self::Output) -> Option<&str>;

    /// This request, asking for the page after `token`.
    fn with_next_token(self, token: String) -> Self;
}

/// The pages of a request, fetched one at a time as they are asked for:
///
/// ```no_run
/// # async fn pages<R: alibabacloud_runtime::Paginate>(mut pages: alibabacloud_runtime::Pages<R>)
/// # -> Result<(), alibabacloud_runtime::SdkError<R::Error>> {
/// while let Some(page) = pages.next().await {
///     let page = page?;
/// }
/// # Ok(())
/// # }
/// ```
///
/// A service that answers a token it gave before would make this loop forever: the page that
/// carries it is still given, then [`SdkError::Pagination`], and the pages end. They also end
/// after any other error. A `next()` that is dropped before it finishes (a timeout around it)
/// loses nothing: the next call asks for the same page.
#[derive(Debug)]
pub struct Pages<R> {
    next: Option<R>,
    tokens_seen: HashSet<String>,
    /// A token answered twice, reported by the call after the page that carried it.
    repeated: Option<String>,
}

impl<R: Paginate> Pages<R> {
    /// The pages of `request`, starting with the page it asks for.
    pub fn new(request: R) -> Self {
        Self { next: Some(request), tokens_seen: HashSet::new(), repeated: None }
    }

    /// The next page; `None` after the last page or after an error.
    pub async fn next(&mut self) -> Option<Result<R::Output, SdkError<R::Error>>> {
        if let Some(token) = self.repeated.take() {
            return Some(Err(SdkError::Pagination(PaginationError::repeated(&token))));
        }
        // The request stays until its answer is in, so that a dropped call loses no page.
        let page = match self.next.clone()?.send_once().await {
            Ok(page) => page,
            Err(error) => {
                self.next = None;
                return Some(Err(error));
            }
        };
        let request = self.next.take()?;
        if let Some(token) = R::next_token_of(&page).filter(|token| !token.is_empty()) {
            if self.tokens_seen.insert(token.to_owned()) {
                self.next = Some(request.with_next_token(token.to_owned()));
            } else {
                self.repeated = Some(token.to_owned());
            }
        }
        Some(Ok(page))
    }
}
