//! gzip (RFC 1952) for part bodies: one deflate state reused across entries, so a batch of
//! small entries pays for one set of compressor tables, and a gunzip that stops at a bound,
//! so a small hostile part cannot make the collector allocate without limit.

use std::io::Read;

use flate2::read::MultiGzDecoder;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// Magic, CM = deflate, no flags, MTIME = 0, XFL = 0, OS = unknown.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// A gzip writer that keeps its deflate state between entries.
pub(crate) struct Gzip {
    deflate: Compress,
}

impl Gzip {
    pub fn new() -> Gzip {
        // Raw deflate: the gzip header and trailer are written here, not by zlib.
        Gzip {
            deflate: Compress::new(Compression::fast(), false),
        }
    }

    pub fn compress(&mut self, data: &[u8]) -> Vec<u8> {
        self.deflate.reset();
        let mut out = Vec::with_capacity(HEADER.len() + data.len() / 2 + 64);
        out.extend_from_slice(&HEADER);
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(data.len() / 4 + 64);
            }
            let consumed = self.deflate.total_in() as usize;
            let status = self
                .deflate
                .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
                .expect("deflate of an in-memory buffer cannot fail");
            if status == Status::StreamEnd {
                break;
            }
        }
        let mut crc = Crc::new();
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        // ISIZE is the length modulo 2^32 by definition.
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
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

/// Inflates `data`, reading at most one byte past `limit` whatever it claims to hold.
pub(crate) fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, GunzipError> {
    let mut out = Vec::new();
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
        let mut gzip = Gzip::new();
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
        let packed = Gzip::new().compress(b"{\"message\":\"hello hello hello\"}");
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
