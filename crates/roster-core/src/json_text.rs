//! Text inside a JSON string, eight bytes at a time.
//!
//! The one scan both ends of a sync run on every string of every user: the
//! connector reading a record (where does this string's plain text end?) and
//! the store writing one (does this text need escapes?).

/// How many bytes at the start of `bytes` are plain JSON string text: up to
/// the first quote, backslash or control character (below 0x20), or all of
/// them. Eight bytes at a time, with the "has a zero byte" and "has a byte
/// less than n" word tricks; the lowest flagged byte is always a true one.
pub fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let v = u64::from_le_bytes(w);
        let controls = v.wrapping_sub(ONES * 0x20) & !v & HIGH;
        let found = controls | zeros(v ^ (ONES * u64::from(b'"'))) | zeros(v ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..].iter().position(|&b| special(b)).unwrap_or(bytes.len() - i)
}

fn special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_len_stops_at_the_first_quote_backslash_or_control() {
        let naive = |s: &[u8]| s.iter().position(|&b| special(b)).unwrap_or(s.len());
        let filler = [b'a', 0xC3, 0xA9, 0xA2, 0xDC, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0xFF];
        for len in 0..40 {
            for at in 0..=len {
                for mark in 0..=255u8 {
                    let mut s: Vec<u8> = (0..len).map(|i| filler[i % filler.len()]).collect();
                    if at < len {
                        s[at] = mark;
                    }
                    assert_eq!(plain_len(&s), naive(&s), "len {len}, at {at}, mark {mark:#x}");
                }
            }
        }
        assert_eq!(plain_len("Björn Müller 🎉 <x@y.z>".as_bytes()), "Björn Müller 🎉 <x@y.z>".len());
    }
}
