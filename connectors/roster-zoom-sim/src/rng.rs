//! A tiny deterministic generator: the same `(seed, index, salt)` always gives the same user.

/// SplitMix64 over a mixed key.
pub(crate) struct Mix(u64);

impl Mix {
    pub(crate) fn new(parts: &[u64]) -> Self {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for p in parts {
            state = splitmix(state ^ p.wrapping_mul(0xBF58_476D_1CE4_E5B9));
        }
        Mix(state)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix(self.0)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A number in `lo..hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below(hi.saturating_sub(lo).max(1) as u64) as i64
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `len` characters of base64url-like text, as Zoom's ids look.
    pub(crate) fn id(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::Mix;

    #[test]
    fn deterministic_and_spread() {
        assert_eq!(Mix::new(&[1, 2]).next(), Mix::new(&[1, 2]).next());
        assert_ne!(Mix::new(&[1, 2]).next(), Mix::new(&[2, 1]).next());
        let mut m = Mix::new(&[7]);
        let hits = (0..10_000).filter(|_| m.below(4) == 0).count();
        assert!((2000..3000).contains(&hits), "{hits}");
        assert_eq!(Mix::new(&[3]).id(22).len(), 22);
    }
}
