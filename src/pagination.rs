//! Lazy iteration over list endpoints that come in pages.

use std::fmt;

use crate::error::MeshApiError;

/// Where the next page starts, in the style of the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub(crate) fn by_offset(items: Vec<T>, offset: u64, total: u64) -> Page<T> {
        let end = offset + items.len() as u64;
        let next = (end < total).then_some(Cursor::Offset(end));
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

type Fetch<'a, T> = Box<dyn FnMut(&Cursor) -> Result<Page<T>, MeshApiError> + 'a>;

/// The items of a paged list, fetched a page at a time as the iteration reaches them.
///
/// Made by the `paginate` methods of the list endpoints. Each page is one request, with the
/// client's retries. The iterator ends after the last page; after an error it yields nothing
/// more. A server that answers an empty page, or repeats a cursor, ends the iteration rather
/// than looping.
///
/// ```no_run
/// use meshapi::Client;
/// use meshapi::types::batches::BatchListParams;
///
/// let client = Client::from_env()?;
/// for batch in client.batches().paginate(&BatchListParams::new().limit(20)) {
///     let batch = batch?;
///     println!("{} {:?}", batch.id, batch.status);
/// }
/// # Ok::<(), meshapi::MeshApiError>(())
/// ```
pub struct Paginator<'a, T> {
    fetch: Fetch<'a, T>,
    next: Option<Cursor>,
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
        fetch: impl FnMut(&Cursor) -> Result<Page<T>, MeshApiError> + 'a,
    ) -> Paginator<'a, T> {
        Paginator {
            fetch: Box::new(fetch),
            next: Some(Cursor::Start),
            items: Vec::new().into_iter(),
            pages: 0,
        }
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
                    self.pages += 1;
                    self.next = page
                        .next
                        .filter(|next| !page.items.is_empty() && *next != cursor);
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
