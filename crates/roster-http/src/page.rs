//! Pagination as a `Stream`, in the manner of octocrab's `Page::into_stream`.

use std::future::Future;

use futures_util::Stream;
use futures_util::stream::{self, TryStreamExt};

/// Turns a page fetcher into a stream of items. `fetch(cursor)` returns one
/// page's items and the cursor of the next page, or `None` after the last.
/// Only one page is held at a time.
pub fn paginate<T, C, E, F, Fut>(first: C, fetch: F) -> impl Stream<Item = Result<T, E>>
where
    F: FnMut(C) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<C>), E>>,
{
    stream::try_unfold((Some(first), fetch), |(cursor, mut fetch)| async move {
        let Some(cursor) = cursor else {
            return Ok(None);
        };
        let (items, next) = fetch(cursor).await?;
        Ok(Some((stream::iter(items.into_iter().map(Ok)), (next, fetch))))
    })
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    #[tokio::test]
    async fn pages_are_flattened_in_order() {
        let s = paginate(0u32, |cursor| async move {
            let items: Vec<u32> = (cursor * 3..cursor * 3 + 3).collect();
            Ok::<_, String>((items, (cursor < 2).then_some(cursor + 1)))
        });
        let all: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(all, (0..9).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let s = paginate(0u32, |cursor| async move {
            if cursor == 1 { Err("boom".to_string()) } else { Ok((vec![cursor], Some(cursor + 1))) }
        });
        let got: Vec<Result<u32, String>> = s.collect().await;
        assert_eq!(got, vec![Ok(0), Err("boom".to_string())]);
    }
}
