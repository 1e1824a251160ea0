//! Paginators: a request sent page after page, each time with the `NextToken` of the page
//! before, until a page has none; and the items of those pages, one at a time.

use crate::error::{PaginationError, SdkError};
use std::collections::{HashSet, VecDeque};
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

/// A paginated request whose pages hold one list of results (e.g. `VpcPeerConnects`). The
/// generator implements it where the response has exactly one list field; call
/// `into_pages().items()` on one.
pub trait PaginateItems: Paginate {
    /// One result.
    type Item: Send;

    /// The results on `page`, in order.
    fn items_of(page: Self::Output) -> Vec<Self::Item>;
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
#[derive(Clone, Debug)]
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

impl<R: PaginateItems> Pages<R> {
    /// The results of every page, one at a time, fetching each page when the one before is
    /// used up:
    ///
    /// ```no_run
    /// # async fn items<R: alibabacloud_runtime::PaginateItems>(pages: alibabacloud_runtime::Pages<R>)
    /// # -> Result<(), alibabacloud_runtime::SdkError<R::Error>> {
    /// let mut items = pages.items();
    /// while let Some(item) = items.next().await {
    ///     let item = item?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(self) -> Items<R> {
        Items { pages: self, buffered: VecDeque::new() }
    }
}

/// The results of a request's pages, one at a time ([`Pages::items`]). An error ends them, as
/// it ends the pages.
#[derive(Debug)]
pub struct Items<R: PaginateItems> {
    pages: Pages<R>,
    buffered: VecDeque<R::Item>,
}

impl<R: PaginateItems> Items<R> {
    /// The next result; `None` after the last one or after an error.
    pub async fn next(&mut self) -> Option<Result<R::Item, SdkError<R::Error>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffered.extend(R::items_of(page)),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}
