//! Request bodies, read within a size and a time limit, and gunzipped within the same size.

use std::io::Read;
use std::time::Duration;

use flate2::read::MultiGzDecoder;
use http_body_util::BodyExt;
use hyper::body::Incoming;

/// How long a client may take to send a body.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How much of a body the collector will not use it still reads and discards, so a client that
/// is still sending can read the answer instead of seeing the connection reset under it.
const DISCARD_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    TimedOut,
    Unreadable,
    BadGzip,
}

/// Reads the whole body if it has at most `limit` bytes.
pub async fn read(body: Incoming, limit: usize) -> Result<Vec<u8>, BodyError> {
    tokio::time::timeout(READ_TIMEOUT, collect(body, limit))
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

async fn collect(mut body: Incoming, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut data = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Unreadable)?;
        if let Some(chunk) = frame.data_ref() {
            if chunk.len() > limit - data.len() {
                skip(body).await;
                return Err(BodyError::TooLarge);
            }
            data.extend_from_slice(chunk);
        }
    }
    Ok(data)
}

/// Reads and drops a body the collector answers without looking at.
pub async fn discard(body: Incoming) {
    // Running out of time only means the client may see a reset; there is nothing to report.
    let _ = tokio::time::timeout(READ_TIMEOUT, skip(body)).await;
}

/// `answer`, given before the body was read, once the body is read and dropped as
/// [`discard`] does: a client still sending then reads the answer, where closing the
/// connection under it would leave it a reset and no reason.
pub async fn answer_unread<T>(body: Incoming, answer: T) -> T {
    discard(body).await;
    answer
}

async fn skip(mut body: Incoming) {
    let mut budget = DISCARD_LIMIT;
    while let Some(Ok(frame)) = body.frame().await {
        let Some(chunk) = frame.data_ref() else {
            continue;
        };
        match budget.checked_sub(chunk.len()) {
            Some(left) => budget = left,
            None => return,
        }
    }
}

/// Gunzips `data`, refusing output over `limit` bytes without ever holding more than that, so
/// a small bomb that inflates to gigabytes costs only `limit` bytes of memory.
pub fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    MultiGzDecoder::new(data)
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|_| BodyError::BadGzip)?;
    if out.len() > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gunzip_is_bounded() {
        let text = b"{\"api_key\":\"k\",\"logs\":[]}";
        assert_eq!(gunzip(&gzip(text), text.len()).unwrap(), text);
        assert_eq!(
            gunzip(&gzip(text), text.len() - 1),
            Err(BodyError::TooLarge)
        );
        assert_eq!(
            gunzip(&gzip(&vec![0; 1 << 20]), 1000),
            Err(BodyError::TooLarge)
        );
        assert_eq!(gunzip(b"not gzip", 1000), Err(BodyError::BadGzip));
        let truncated = gzip(text);
        assert_eq!(
            gunzip(&truncated[..truncated.len() - 4], 1000),
            Err(BodyError::BadGzip)
        );
    }

    #[test]
    fn concatenated_members_are_one_body() {
        let mut two = gzip(b"{\"api_key\":");
        two.extend(gzip(b"\"k\",\"logs\":[]}"));
        assert_eq!(
            gunzip(&two, 1000).unwrap(),
            b"{\"api_key\":\"k\",\"logs\":[]}"
        );
    }
}
