//! A tiny deterministic generator (SplitMix64), so generated data depends only on its
//! inputs (seed, index, salt) and never on generation order.

/// The finalizer of SplitMix64: a good 64-bit mixing function.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 stream seeded from several parts (`[seed, index, salt]`, say).
#[derive(Clone, Debug)]
pub struct Mix(u64);

impl Mix {
    pub fn new(parts: &[u64]) -> Self {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for part in parts {
            state = mix64(state ^ mix64(part.wrapping_add(0x2545_F491_4F6C_DD1D)));
        }
        Mix(state)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (0 when `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi.abs_diff(lo)) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64;
        unit < p
    }

    /// One element of a non-empty slice (callers pass constant, non-empty tables).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len() as u64) as usize;
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// An index chosen according to integer weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut roll = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// `len` characters of base64url text, as many vendors' opaque ids look.
    pub fn id(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// `len` lowercase hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0')).collect()
    }

    /// A version-4-shaped GUID (`8-4-4-4-12` lowercase hex), as Microsoft's object ids look.
    pub fn guid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_bounded() {
        let mut a = Mix::new(&[1, 2]);
        let mut b = Mix::new(&[1, 2]);
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(Mix::new(&[1, 2]).next_u64(), Mix::new(&[2, 1]).next_u64());
        for _ in 0..1000 {
            assert!(a.below(7) < 7);
            let r = a.range(-5, 5);
            assert!((-5..5).contains(&r));
            assert!(a.weighted(&[1, 0, 3]) != 1);
        }
        assert_eq!(a.below(0), 0);
        assert_eq!(a.range(3, 3), 3);
        let mut m = Mix::new(&[7]);
        let hits = (0..10_000).filter(|_| m.below(4) == 0).count();
        assert!((2000..3000).contains(&hits), "{hits}");
        assert_eq!(Mix::new(&[3]).id(22).len(), 22);
        let guid = Mix::new(&[3]).guid();
        assert_eq!(guid.len(), 36);
        assert_eq!(guid.matches('-').count(), 4);
    }
}
