//! Lazy iteration over list endpoints that come in pages.

use std::collections::HashSet;
use std::fmt;

use crate::error::MeshApiError;

/// Where the next page starts, in the style of the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The first page: no cursor parameter at all.
    Start,
    /// `after=<id>`: the id of the last item seen (batches, responses).
    After(String),
    /// `offset=<n>`: items to skip (videos, RAG files, model search).
    Offset(u64),
    /// `next_page_token=<token>` (voices).
    Token(String),
}

/// One fetched page: its items and the cursor of the page after it, if there is one.
#[derive(Debug)]
pub(crate) struct Page<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Option<Cursor>,
}

impl<T> Page<T> {
    /// An offset-paged list: the next page starts after these items, until `total` is reached.
    ///
    /// `requested` is the offset this page was asked for, never one the server echoed: an echo
    /// that went back would send the iteration over pages already seen. An offset that would
    /// overflow ends the iteration.
    pub(crate) fn by_offset(items: Vec<T>, requested: u64, total: u64) -> Page<T> {
        let next = u64::try_from(items.len())
            .ok()
            .and_then(|len| requested.checked_add(len))
            .filter(|&end| end < total)
            .map(Cursor::Offset);
        Page { items, next }
    }

    /// A cursor-paged list: the next page starts after `last_id` while `has_more` says so.
    pub(crate) fn by_after(items: Vec<T>, has_more: bool, last_id: Option<String>) -> Page<T> {
        let next = last_id.filter(|_| has_more).map(Cursor::After);
        Page { items, next }
    }

    /// A token-paged list: the next page is the token's, while there is a non-empty one and
    /// `has_more` does not say otherwise.
    pub(crate) fn by_token(
        items: Vec<T>,
        has_more: Option<bool>,
        token: Option<String>,
    ) -> Page<T> {
        let next = token
            .filter(|t| !t.is_empty() && has_more != Some(false))
            .map(Cursor::Token);
        Page { items, next }
    }
}

/// `Send`, so that a paginator can move to a worker thread.
type Fetch<'a, T> = Box<dyn FnMut(&Cursor) -> Result<Page<T>, MeshApiError> + Send + 'a>;

/// The items of a paged list, fetched a page at a time as the iteration reaches them.
///
/// Made by the `paginate` methods of the list endpoints. Each page is one request, with the
/// client's retries. The iterator ends after the last page; after an error it yields nothing
/// more. A server that answers an empty page, or hands out a cursor it handed out before (even
/// pages ago, as in A, B, A), ends the iteration rather than looping.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::types::batches::ListBatchesParams;
///
/// let client = Client::from_env()?;
/// for batch in client.batches().paginate(&ListBatchesParams::new().limit(20)) {
///     let batch = batch?;
///     println!("{} {:?}", batch.id, batch.status);
/// }
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
pub struct Paginator<'a, T> {
    fetch: Fetch<'a, T>,
    next: Option<Cursor>,
    /// Every cursor fetched so far.
    seen: HashSet<Cursor>,
    items: std::vec::IntoIter<T>,
    pages: usize,
}

impl<T> fmt::Debug for Paginator<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("next", &self.next)
            .field("buffered", &self.items.len())
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<'a, T> Paginator<'a, T> {
    /// `fetch` gets the cursor of the page to fetch, starting with [`Cursor::Start`].
    pub(crate) fn new(
        fetch: impl FnMut(&Cursor) -> Result<Page<T>, MeshApiError> + Send + 'a,
    ) -> Paginator<'a, T> {
        Paginator {
            fetch: Box::new(fetch),
            next: Some(Cursor::Start),
            seen: HashSet::new(),
            items: Vec::new().into_iter(),
            pages: 0,
        }
    }

    /// An offset-paged list, counted the same way for every endpoint: `fetch` gets the offset
    /// to ask for (`None` for the first page, asked as the caller's parameters say, whose own
    /// offset is `first`) and returns the page's items and the server's total. The next page
    /// starts at the offset asked for plus the items received.
    pub(crate) fn by_offset(
        first: Option<u64>,
        mut fetch: impl FnMut(Option<u64>) -> Result<(Vec<T>, u64), MeshApiError> + Send + 'a,
    ) -> Paginator<'a, T> {
        Paginator::new(move |cursor| {
            let offset = match cursor {
                Cursor::Offset(n) => Some(*n),
                _ => None,
            };
            let (items, total) = fetch(offset)?;
            Ok(Page::by_offset(items, offset.or(first).unwrap_or(0), total))
        })
    }

    /// How many pages have been fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }
}

impl<T> Iterator for Paginator<'_, T> {
    type Item = Result<T, MeshApiError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let cursor = self.next.take()?;
            match (self.fetch)(&cursor) {
                Ok(page) => {
                    self.pages = self.pages.saturating_add(1);
                    self.seen.insert(cursor);
                    self.next = page
                        .next
                        .filter(|next| !page.items.is_empty() && !self.seen.contains(next));
                    self.items = page.items.into_iter();
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn offsets(total: u64, size: u64) -> (Vec<u64>, usize) {
        let mut seen = Vec::new();
        let mut pager = Paginator::new(|cursor| {
            let offset = match cursor {
                Cursor::Start => 0,
                Cursor::Offset(n) => *n,
                other => panic!("unexpected cursor {other:?}"),
            };
            let items: Vec<u64> = (offset..total.min(offset + size)).collect();
            Ok(Page::by_offset(items, offset, total))
        });
        for item in pager.by_ref() {
            seen.push(item.unwrap());
        }
        (seen, pager.pages_fetched())
    }

    #[test]
    fn offset_pages_are_fetched_lazily_until_the_total() {
        assert_eq!(offsets(5, 2), ((0..5).collect(), 3));
        assert_eq!(offsets(4, 2), ((0..4).collect(), 2));
        assert_eq!(offsets(0, 2), (vec![], 1));
    }

    #[test]
    fn nothing_is_fetched_before_the_first_item_is_asked_for() {
        let mut calls = 0;
        let pager = Paginator::new(|_| -> Result<Page<u8>, MeshApiError> {
            calls += 1;
            Ok(Page::by_offset(vec![1], 0, 1))
        });
        drop(pager);
        assert_eq!(calls, 0);
    }

    #[test]
    fn after_cursors_follow_the_last_id_while_has_more() {
        let pages = [(vec!["a", "b"], true), (vec!["c"], false)];
        let mut cursors = Vec::new();
        let items: Vec<&str> = Paginator::new(|cursor| {
            cursors.push(cursor.clone());
            let (items, more) = pages[cursors.len() - 1].clone();
            let last = items.last().map(|s| s.to_string());
            Ok(Page::by_after(items, more, last))
        })
        .map(Result::unwrap)
        .collect();
        assert_eq!(items, ["a", "b", "c"]);
        assert_eq!(cursors, [Cursor::Start, Cursor::After("b".into())]);
    }

    #[test]
    fn a_server_that_never_advances_cannot_loop_forever() {
        let mut calls = 0;
        let repeated: Vec<u8> = Paginator::new(|_| {
            calls += 1;
            Ok(Page::by_after(vec![1], true, Some("same".into())))
        })
        .map(Result::unwrap)
        .collect();
        assert_eq!(repeated, [1, 1]);
        assert_eq!(calls, 2);

        let empty: Vec<u8> =
            Paginator::new(|_| Ok(Page::by_token(vec![], Some(true), Some("t".into()))))
                .map(Result::unwrap)
                .collect();
        assert!(empty.is_empty());
    }

    #[test]
    fn a_server_that_alternates_cursors_cannot_loop_forever() {
        let mut calls = 0;
        let items: Vec<u32> = Paginator::new(|cursor| {
            calls += 1;
            assert!(calls <= 10, "still fetching after {calls} pages");
            let next = match cursor {
                Cursor::Start | Cursor::Token(_) if calls % 2 == 1 => "A",
                _ => "B",
            };
            Ok(Page::by_token(vec![calls], Some(true), Some(next.into())))
        })
        .map(Result::unwrap)
        .collect();
        // Start → A → B → A (seen): three pages.
        assert_eq!(items, [1, 2, 3]);
    }

    #[test]
    fn offsets_count_from_the_request_and_stop_before_overflowing() {
        let page = Page::by_offset(vec![1, 2], 10, 100);
        assert_eq!(page.next, Some(Cursor::Offset(12)));
        assert_eq!(
            Page::by_offset(vec![1, 2], u64::MAX - 1, u64::MAX).next,
            None
        );
        assert_eq!(Page::by_offset(vec![1], u64::MAX, u64::MAX).next, None);
        assert_eq!(Page::by_offset(vec![1], 4, 5).next, None);
        // Offsets that go back are never seen: the next one comes from what was requested.
        let mut requested = Vec::new();
        let items: Vec<u64> = Paginator::new(|cursor| {
            let offset = match cursor {
                Cursor::Offset(n) => *n,
                _ => 0,
            };
            requested.push(offset);
            assert!(requested.len() <= 10, "looping: {requested:?}");
            Ok(Page::by_offset(vec![offset], offset, 3))
        })
        .map(Result::unwrap)
        .collect();
        assert_eq!(items, [0, 1, 2]);
        assert_eq!(requested, [0, 1, 2]);
    }

    #[test]
    fn tokens_end_when_absent_empty_or_has_more_is_false() {
        assert_eq!(
            Page::by_token(vec![1], None, Some("t".into())).next,
            Some(Cursor::Token("t".into()))
        );
        assert_eq!(
            Page::by_token(vec![1], Some(false), Some("t".into())).next,
            None
        );
        assert_eq!(
            Page::by_token(vec![1], Some(true), Some(String::new())).next,
            None
        );
        assert_eq!(Page::by_token(vec![1], Some(true), None).next, None);
    }

    #[test]
    fn an_error_ends_the_iteration() {
        let mut pager = Paginator::new(|cursor| match cursor {
            Cursor::Start => Ok(Page::by_offset(vec![1u8], 0, 10)),
            _ => Err(MeshApiError::new(ErrorCode::InternalError, "boom")),
        });
        assert_eq!(pager.next().unwrap().unwrap(), 1);
        assert!(pager.next().unwrap().is_err());
        assert!(pager.next().is_none());
    }
}
