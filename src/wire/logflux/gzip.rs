//! gzip (RFC 1952) for part bodies: one deflate state reused across entries, so a batch of
//! small entries pays for one set of compressor tables, and a gunzip that stops at a bound,
//! so a small hostile part cannot make the collector allocate without limit.

use std::io::Read;

use flate2::bufread::MultiGzDecoder;
use flate2::{Compress, Compression, FlushCompress, Status};

/// deflate's largest window: entries may reach 1 MiB. A smaller one would not make small
/// entries cheaper: zlib-rs's hash table, whose clearing is most of the cost of a reset, has
/// the same 64 Ki slots at every window size.
const WINDOW_BITS: u8 = 15;

/// A gzip writer that keeps its deflate state between entries.
pub(crate) struct Gzip {
    deflate: Compress,
}

impl Gzip {
    /// zlib writes the header (MTIME 0, no name) and the CRC-32 and length trailer itself.
    pub fn new(level: Compression) -> Gzip {
        Gzip {
            deflate: Compress::new_gzip(level, WINDOW_BITS),
        }
    }

    /// Appends one complete gzip member of `data` to `out`.
    pub fn compress_into(&mut self, data: &[u8], out: &mut Vec<u8>) {
        self.deflate.reset();
        out.reserve(data.len() / 2 + 64);
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(data.len() / 4 + 64);
            }
            let consumed = self.deflate.total_in() as usize;
            let status = self
                .deflate
                .compress_vec(&data[consumed..], out, FlushCompress::Finish)
                .expect("deflate of an in-memory buffer cannot fail");
            if status == Status::StreamEnd {
                break;
            }
        }
    }

    #[cfg(test)]
    pub fn compress(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.compress_into(data, &mut out);
        out
    }
}

/// Why a gzip body was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GunzipError {
    Invalid,
    /// It inflates to more than the bound.
    TooLarge,
}

/// Decoders sniff rather than trust the payload-type label (spec §8).
pub(crate) fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b])
}

/// Inflates `data`, reading at most one byte past `limit` whatever it claims to hold. The
/// slice is read in place (no 32 KiB read buffer per part), into room for a typical JSON
/// ratio, so that a small part costs the collector a few allocations, not a dozen.
pub(crate) fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, GunzipError> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(limit + 1));
    MultiGzDecoder::new(data)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| GunzipError::Invalid)?;
    if out.len() > limit {
        return Err(GunzipError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;

    use super::*;
    use crate::wire::logflux::vectors::{hex_bytes, section, text};

    #[test]
    fn reused_compressor_output_inflates_back() {
        let mut gzip = Gzip::new(Compression::fast());
        let large: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for data in [&b"{\"a\":1}"[..], b"", &large, b"{\"a\":1}"] {
            let packed = gzip.compress(data);
            assert!(is_gzip(&packed));
            assert_eq!(gunzip(&packed, data.len()).unwrap(), data);
        }
        assert_eq!(gzip.compress(b"same"), gzip.compress(b"same"));
    }

    #[test]
    fn members_append_after_what_is_there() {
        let mut out = b"prefix".to_vec();
        Gzip::new(Compression::fast()).compress_into(b"{\"a\":1}", &mut out);
        assert!(out.starts_with(b"prefix"));
        assert_eq!(gunzip(&out[6..], 100).unwrap(), b"{\"a\":1}");
    }

    #[test]
    fn the_level_reaches_the_compressor() {
        let json: Vec<u8> = (0..400)
            .flat_map(|i| {
                format!(
                    "{{\"request_id\":\"{i}\",\"route\":\"/api/orders/{}\"}}",
                    i % 7
                )
                .into_bytes()
            })
            .collect();
        let fast = Gzip::new(Compression::new(1)).compress(&json);
        let best = Gzip::new(Compression::new(9)).compress(&json);
        assert!(best.len() < fast.len(), "{} vs {}", best.len(), fast.len());
        // The header's XFL byte says which end of the scale compressed it.
        assert_eq!((fast[8], best[8]), (4, 2));
        for packed in [fast, best] {
            assert_eq!(gunzip(&packed, json.len()).unwrap(), json);
        }
    }

    #[test]
    fn vector_gzip_inflates_to_the_json() {
        let v = section("aes_gcm_gzip");
        let json = text(&section("aes_gcm_plain"), "plaintext_utf8").to_owned();
        assert_eq!(
            gunzip(&hex_bytes(&v, "gzip_of_plaintext_hex"), 1 << 20).unwrap(),
            json.as_bytes()
        );
    }

    #[test]
    fn a_bomb_stops_at_the_bound() {
        let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
        for _ in 0..64 {
            bomb.write_all(&[0; 1 << 20]).unwrap();
        }
        let bomb = bomb.finish().unwrap();
        assert!(bomb.len() < 100_000);
        assert_eq!(gunzip(&bomb, 1 << 20), Err(GunzipError::TooLarge));
    }

    #[test]
    fn broken_gzip_is_invalid() {
        let packed =
            Gzip::new(Compression::fast()).compress(b"{\"message\":\"hello hello hello\"}");
        let mut bad_crc = packed.clone();
        let crc_at = bad_crc.len() - 8;
        bad_crc[crc_at] ^= 1;
        for bad in [
            &packed[..packed.len() - 5],
            &bad_crc,
            &[0x1f, 0x8b],
            &[0x1f, 0x8b, 8, 0, 1],
        ] {
            assert_eq!(gunzip(bad, 1 << 20), Err(GunzipError::Invalid));
        }
    }
}
