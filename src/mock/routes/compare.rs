//! Default answers for `/v1/...` (compare).

use super::State;
use crate::mock::{MockReply, RecordedRequest};

pub(super) fn route(request: &RecordedRequest, state: &State) -> Option<MockReply> {
    let _ = (request, state);
    None
}
