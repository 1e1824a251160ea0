//! The names a generated operation module uses, so that it imports them with one line:
//! `use alibabacloud_runtime::prelude::*;`. Its own items take precedence over these.

pub use crate::{
    BuildError, ErrorMetadata, Location, Operation, Outcome, OutcomeResult, Pages, Paginate, PaginateItems, Params,
    Repeatable, RequiredFields, SdkError, SendResult, ServiceError, Style, Wait, Waiter, missing_item,
};
pub use serde::Deserialize;
