//! Eight bytes at a time in a plain `u64` ("SIMD within a register"): which bytes of a word
//! equal a byte, or fall below one. Safe code, no branches per byte; the scanner uses it where
//! a call into `memchr` costs more than the few bytes it would search (a tag name, the
//! indentation between two tags, a short value).
//!
//! Every mask has the high bit of each matching byte set and nothing else, so
//! `mask.trailing_zeros() / 8` is the index of the first match.

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at` as one little-endian word, if there are eight.
#[inline(always)]
pub fn word(b: &[u8], at: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// The bytes of `w` that equal `c`. Exact: `(x & 0x7F) + 0x7F` carries into the high bit of
/// every byte but zero, and never out of the byte.
#[inline(always)]
pub fn eq(w: u64, c: u8) -> u64 {
    let x = w ^ (LOW * u64::from(c));
    !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
}

/// The bytes of `w` below `n` (`n` at most 0x80; bytes of 0x80 and above never match).
#[inline(always)]
pub fn below(w: u64, n: u8) -> u64 {
    debug_assert!(n <= 0x80);
    !(((w & !HIGH).wrapping_add(LOW * u64::from(0x80 - n))) | w) & HIGH
}

/// The first `len` bytes (at most 8) of a word.
#[inline(always)]
pub fn first_bytes(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1_u64 << (8 * len)) - 1
    }
}

/// Index of the first byte a mask marks (8 when none).
#[inline(always)]
pub fn first(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes_of(mask: u64) -> Vec<usize> {
        (0..8).filter(|i| mask >> (8 * i + 7) & 1 == 1).collect()
    }

    #[test]
    fn masks_mark_exactly_the_matching_bytes_for_every_byte_value() {
        for c in [b'<', b'>', b'&', b'/', 0, 0x7F, 0x80, 0xFF] {
            for v in 0..=255_u8 {
                let w = u64::from_le_bytes([v, c, 0x80, 0xFF, v, 0, 0x7F, v ^ c]);
                let want: Vec<usize> = w
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == c)
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(bytes_of(eq(w, c)), want, "eq {c:#x} in {w:#x}");
            }
        }
        for n in [0x21, 0x22, 0x28, 0x80] {
            for v in 0..=255_u8 {
                let w = u64::from_le_bytes([v, 0x20, 0x21, 0x7F, 0x80, v, 0, 0xFF]);
                let want: Vec<usize> = w
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b < n)
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(bytes_of(below(w, n)), want, "below {n:#x} in {w:#x}");
            }
        }
    }

    #[test]
    fn words_first_bytes_and_first_match() {
        assert_eq!(
            word(b"<BELNR>4500", 0),
            Some(u64::from_le_bytes(*b"<BELNR>4"))
        );
        assert_eq!(word(b"<BELNR>", 0), None);
        assert_eq!(word(b"<BELNR>4", usize::MAX), None);
        assert_eq!(first_bytes(0), 0);
        assert_eq!(first_bytes(3), 0xFF_FFFF);
        assert_eq!(first_bytes(8), u64::MAX);
        let w = word(b"BELNR>45", 0).unwrap();
        assert_eq!(first(eq(w, b'>')), 5);
        assert_eq!(first(eq(w, b'<')), 8);
    }
}
