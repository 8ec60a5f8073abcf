//! One frame of a spool segment: `length` (u32, little-endian), `crc32` of the payload (u32,
//! little-endian), then `length` payload bytes. The checksum catches a torn or damaged write;
//! a length that runs past the end of the file is a write cut short by a crash.

/// Bytes before the payload.
pub const HEADER_BYTES: usize = 8;

pub fn encode(payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(HEADER_BYTES + payload.len());
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    frame.extend_from_slice(payload);
    frame
}

/// What a reader finds at one position of a segment.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame<'a> {
    Intact(&'a [u8]),
    /// The checksum does not match: this frame is skipped, the next one is read.
    Damaged,
    /// The header or payload runs past the end: nothing after it can be trusted.
    Truncated,
}

/// The frames of a segment's bytes, in order; ends after a truncated frame.
pub fn frames(bytes: &[u8]) -> impl Iterator<Item = Frame<'_>> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let bytes = rest.take().filter(|bytes| !bytes.is_empty())?;
        let Some((header, after)) = bytes.split_at_checked(HEADER_BYTES) else {
            return Some(Frame::Truncated);
        };
        let length = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let Some((payload, next)) = after.split_at_checked(length) else {
            return Some(Frame::Truncated);
        };
        rest = Some(next);
        Some(if crc32fast::hash(payload) == crc {
            Frame::Intact(payload)
        } else {
            Frame::Damaged
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_in_order() {
        let bytes = [encode(b"one"), encode(b""), encode(b"three")].concat();
        let read: Vec<Frame> = frames(&bytes).collect();
        assert_eq!(
            read,
            [
                Frame::Intact(b"one"),
                Frame::Intact(b""),
                Frame::Intact(b"three")
            ]
        );
    }

    #[test]
    fn a_damaged_payload_is_skipped_and_the_next_frame_read() {
        let mut bytes = [encode(b"first"), encode(b"second")].concat();
        bytes[HEADER_BYTES + 1] ^= 0x40;
        let read: Vec<Frame> = frames(&bytes).collect();
        assert_eq!(read, [Frame::Damaged, Frame::Intact(b"second")]);
    }

    #[test]
    fn a_cut_frame_ends_the_segment() {
        let whole = [encode(b"kept"), encode(b"cut short")].concat();
        for cut in [whole.len() - 1, encode(b"kept").len() + 3] {
            let read: Vec<Frame> = frames(&whole[..cut]).collect();
            assert_eq!(
                read,
                [Frame::Intact(b"kept"), Frame::Truncated],
                "cut at {cut}"
            );
        }
    }
}
