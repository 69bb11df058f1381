//! A streaming reader for Workato's list envelope `{"data": [...], "total": N}`.
//!
//! `/api/members` returns every collaborator in one response, so a large
//! workspace is a body of tens of megabytes. [`EnvelopeScanner`] is fed the
//! body chunk by chunk, as it arrives, and hands out each element of `data`
//! as soon as its last byte is in. It holds one element at a time, never the
//! body. Keys may come in any order; unknown keys are skipped. It checks
//! structure only; each element is parsed by serde afterwards.

/// What the envelope said besides its elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeSummary {
    /// The `total` field, if it was present and a non-negative integer.
    pub total: Option<u64>,
    /// Elements handed out.
    pub elements: u64,
}

/// Why a body is not a complete envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the body is not a json object")]
    NotAnObject,
    #[error("the json is malformed at byte {0}")]
    Malformed(u64),
    #[error("the body ended before the json document was complete")]
    Truncated,
    #[error("the body has data after the json document")]
    TrailingData,
    #[error("the body has no `data` array")]
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeObject,
    KeyOrEnd,
    Key,
    InKey,
    Colon,
    Value,
    Skip,
    Total,
    DataElementOrEnd,
    DataElement,
    Element,
    DataAfterElement,
    AfterValue,
    Done,
}

/// Where a value being tracked ends.
#[derive(Debug, Clone, Copy, Default)]
struct Tracker {
    nest: u32,
    in_str: bool,
    esc: bool,
    bare: bool,
}

enum Step {
    More,
    /// The value ended with this byte.
    EndWith,
    /// The value ended before this byte, which belongs to the parent.
    EndBefore,
}

impl Tracker {
    fn start(b: u8) -> (Self, Step) {
        match b {
            b'{' | b'[' => (Tracker { nest: 1, ..Tracker::default() }, Step::More),
            b'"' => (Tracker { in_str: true, ..Tracker::default() }, Step::More),
            _ => (Tracker { bare: true, ..Tracker::default() }, Step::More),
        }
    }

    #[inline]
    fn step(&mut self, b: u8) -> Step {
        if self.in_str {
            if self.esc {
                self.esc = false;
            } else if b == b'\\' {
                self.esc = true;
            } else if b == b'"' {
                self.in_str = false;
                if self.nest == 0 {
                    return Step::EndWith;
                }
            }
            return Step::More;
        }
        if self.bare {
            return if is_bare_end(b) { Step::EndBefore } else { Step::More };
        }
        match b {
            b'"' => self.in_str = true,
            b'{' | b'[' => self.nest += 1,
            b'}' | b']' => {
                self.nest -= 1;
                if self.nest == 0 {
                    return Step::EndWith;
                }
            }
            _ => {}
        }
        Step::More
    }

    /// Steps through `bytes` as [`Tracker::step`] would, byte by byte, but
    /// jumps over the bytes that cannot change the state: inside a string
    /// to the next `"` or `\\`, outside one to the next `"{}[]`. Returns
    /// where the value ended and how, or `None` if it goes on past `bytes`.
    #[inline]
    fn scan(&mut self, bytes: &[u8]) -> Option<(usize, Step)> {
        if self.bare {
            return bytes.iter().position(|&b| is_bare_end(b)).map(|p| (p, Step::EndBefore));
        }
        let mut i = 0;
        loop {
            if self.in_str {
                if self.esc {
                    if i >= bytes.len() {
                        return None;
                    }
                    self.esc = false;
                    i += 1;
                }
                i += find_in_string(&bytes[i..])?;
                if bytes[i] == b'\\' {
                    self.esc = true;
                    i += 1;
                    continue;
                }
                self.in_str = false;
                if self.nest == 0 {
                    return Some((i, Step::EndWith));
                }
            } else {
                i += bytes[i..].iter().position(|&b| STRUCTURAL[b as usize])?;
                match bytes[i] {
                    b'"' => self.in_str = true,
                    b'{' | b'[' => self.nest += 1,
                    _ => {
                        self.nest -= 1;
                        if self.nest == 0 {
                            return Some((i, Step::EndWith));
                        }
                    }
                }
            }
            i += 1;
        }
    }
}

/// The bytes that change a [`Tracker`] outside a string.
static STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t
};

/// Where the next `"` or `\\` is. Most strings of a member are short (a
/// key, a time, an email), where memchr's setup costs more than the search:
/// the first 64 bytes are searched eight at a time in a register (a byte
/// equal to the quote or the backslash XORs to zero, and the lowest flagged
/// byte of the "has a zero byte" trick is always a true one), the rest by
/// memchr.
#[inline]
fn find_in_string(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_le_bytes([b'\\'; 8]);
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let head = bytes.len().min(64);
    let mut i = 0;
    while i + 8 <= head {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[i..i + 8]);
        let v = u64::from_le_bytes(word);
        let found = zeros(v ^ QUOTES) | zeros(v ^ BACKSLASHES);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if let Some(p) = bytes[i..head].iter().position(|&b| b == b'"' || b == b'\\') {
        return Some(i + p);
    }
    memchr::memchr2(b'"', b'\\', &bytes[head..]).map(|p| head + p)
}

fn is_bare_end(b: u8) -> bool {
    matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Incremental scanner; see the module docs.
#[derive(Debug)]
pub struct EnvelopeScanner {
    state: State,
    tracker: Tracker,
    key: Vec<u8>,
    key_esc: bool,
    scalar: Vec<u8>,
    element: Vec<u8>,
    offset: u64,
    total: Option<u64>,
    saw_data: bool,
    elements: u64,
}

impl Default for EnvelopeScanner {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvelopeScanner {
    pub fn new() -> Self {
        Self {
            state: State::BeforeObject,
            tracker: Tracker::default(),
            key: Vec::new(),
            key_esc: false,
            scalar: Vec::new(),
            element: Vec::new(),
            offset: 0,
            total: None,
            saw_data: false,
            elements: 0,
        }
    }

    /// Feeds the next chunk. `on_element` gets each complete element's bytes.
    pub fn feed(&mut self, chunk: &[u8], mut on_element: impl FnMut(&[u8])) -> Result<(), EnvelopeError> {
        let mut i = 0;
        // Start of the current element within this chunk, while in `Element`.
        let mut element_start: Option<usize> = if self.state == State::Element { Some(0) } else { None };
        while i < chunk.len() {
            let b = chunk[i];
            match self.state {
                State::BeforeObject => {
                    if b == b'{' {
                        self.state = State::KeyOrEnd;
                    } else if !(is_ws(b) || (self.offset + (i as u64) < 3 && matches!(b, 0xEF | 0xBB | 0xBF)))
                    {
                        return Err(EnvelopeError::NotAnObject);
                    }
                }
                State::KeyOrEnd | State::Key => {
                    if b == b'"' {
                        self.key.clear();
                        self.key_esc = false;
                        self.state = State::InKey;
                    } else if b == b'}' && self.state == State::KeyOrEnd {
                        self.state = State::Done;
                    } else if !is_ws(b) {
                        return Err(self.malformed(i));
                    }
                }
                State::InKey => {
                    if self.key_esc {
                        self.key_esc = false;
                        self.key.push(b);
                    } else if b == b'\\' {
                        self.key_esc = true;
                        self.key.push(b);
                    } else if b == b'"' {
                        self.state = State::Colon;
                    } else if self.key.len() < 64 {
                        self.key.push(b);
                    }
                }
                State::Colon => {
                    if b == b':' {
                        self.state = State::Value;
                    } else if !is_ws(b) {
                        return Err(self.malformed(i));
                    }
                }
                State::Value => {
                    if !is_ws(b) {
                        if matches!(b, b'}' | b']' | b',' | b':') {
                            return Err(self.malformed(i));
                        }
                        match self.key.as_slice() {
                            b"data" if b == b'[' => {
                                self.saw_data = true;
                                self.state = State::DataElementOrEnd;
                            }
                            b"total" => {
                                // Tracked like any value, so that a total that is
                                // not a number (a string with commas, an array)
                                // is skipped whole instead of misread.
                                let (t, _) = Tracker::start(b);
                                self.tracker = t;
                                self.scalar.clear();
                                self.scalar.push(b);
                                self.state = State::Total;
                            }
                            key => {
                                if key == b"data" {
                                    // `"data": null` is documented as possible: no members.
                                    self.saw_data = true;
                                }
                                let (t, _) = Tracker::start(b);
                                self.tracker = t;
                                self.state = State::Skip;
                            }
                        }
                    }
                }
                State::Skip => match self.tracker.scan(&chunk[i..]) {
                    None => break,
                    Some((at, step)) => {
                        self.state = State::AfterValue;
                        i += if matches!(step, Step::EndWith) { at + 1 } else { at };
                        continue;
                    }
                },
                State::Total => {
                    let step = self.tracker.step(b);
                    // A u64 has at most 20 digits: a longer value is never one.
                    if !matches!(step, Step::EndBefore) && self.scalar.len() < 32 {
                        self.scalar.push(b);
                    }
                    if !matches!(step, Step::More) {
                        self.total = std::str::from_utf8(&self.scalar).ok().and_then(|s| s.parse().ok());
                        self.state = State::AfterValue;
                        if matches!(step, Step::EndBefore) {
                            continue;
                        }
                    }
                }
                State::DataElementOrEnd | State::DataElement => {
                    if b == b']' && self.state == State::DataElementOrEnd {
                        self.state = State::AfterValue;
                    } else if !is_ws(b) {
                        if matches!(b, b']' | b',' | b'}' | b':') {
                            return Err(self.malformed(i));
                        }
                        let (t, _) = Tracker::start(b);
                        self.tracker = t;
                        self.element.clear();
                        element_start = Some(i);
                        self.state = State::Element;
                    }
                }
                State::Element => match self.tracker.scan(&chunk[i..]) {
                    // The element goes on into the next chunk; the tail of
                    // this one is kept below.
                    None => break,
                    Some((at, step)) => {
                        let end = i + if matches!(step, Step::EndWith) { at + 1 } else { at };
                        let start = element_start.take().unwrap_or(0);
                        if self.element.is_empty() {
                            on_element(&chunk[start..end]);
                        } else {
                            self.element.extend_from_slice(&chunk[start..end]);
                            on_element(&self.element);
                            self.element.clear();
                        }
                        self.elements += 1;
                        self.state = State::DataAfterElement;
                        i = end;
                        continue;
                    }
                },
                State::DataAfterElement => {
                    if b == b',' {
                        self.state = State::DataElement;
                    } else if b == b']' {
                        self.state = State::AfterValue;
                    } else if !is_ws(b) {
                        return Err(self.malformed(i));
                    }
                }
                State::AfterValue => {
                    if b == b',' {
                        self.state = State::Key;
                    } else if b == b'}' {
                        self.state = State::Done;
                    } else if !is_ws(b) {
                        return Err(self.malformed(i));
                    }
                }
                State::Done => {
                    if !is_ws(b) {
                        return Err(EnvelopeError::TrailingData);
                    }
                }
            }
            i += 1;
        }
        if let (State::Element, Some(start)) = (self.state, element_start) {
            self.element.extend_from_slice(&chunk[start..]);
        }
        self.offset += chunk.len() as u64;
        Ok(())
    }

    /// Ends the body. Fails unless a whole envelope with `data` was read.
    pub fn finish(self) -> Result<EnvelopeSummary, EnvelopeError> {
        if self.state != State::Done {
            return Err(if self.offset == 0 { EnvelopeError::NotAnObject } else { EnvelopeError::Truncated });
        }
        if !self.saw_data {
            return Err(EnvelopeError::NoData);
        }
        Ok(EnvelopeSummary { total: self.total, elements: self.elements })
    }

    fn malformed(&self, i: usize) -> EnvelopeError {
        EnvelopeError::Malformed(self.offset + i as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_in_string_finds_the_first_quote_or_backslash_anywhere() {
        let naive = |s: &[u8]| s.iter().position(|&b| b == b'"' || b == b'\\');
        for len in 0..140 {
            for at in 0..=len {
                for (mark, other) in [(b'"', b'\\'), (b'\\', b'"'), (b'"', b'a')] {
                    let filler = [b'a', 0xC3, 0xA9, 0xA2, 0x23, 0xDC, 0x5D, 0x5B, 0x21, 0x00];
                    let mut s: Vec<u8> = (0..len).map(|i| filler[i % filler.len()]).collect();
                    if at < len {
                        s[at] = mark;
                        if at + 3 < len {
                            s[at + 3] = other;
                        }
                    }
                    assert_eq!(find_in_string(&s), naive(&s), "len {len}, at {at}");
                }
            }
        }
    }

    /// Scans `body` cut at `cuts`, returning the elements and how it ended.
    fn scan_cut(body: &[u8], cuts: &[usize]) -> (Vec<Vec<u8>>, Result<EnvelopeSummary, EnvelopeError>) {
        let mut s = EnvelopeScanner::new();
        let mut out = Vec::new();
        let mut prev = 0;
        for &c in cuts.iter().chain([body.len()].iter()) {
            if let Err(e) = s.feed(&body[prev..c], |e| out.push(e.to_vec())) {
                return (out, Err(e));
            }
            prev = c;
        }
        (out, s.finish())
    }

    /// The same answer whole, byte by byte and split at every one or two points.
    fn same_however_split(body: &[u8]) -> (Vec<Vec<u8>>, Result<EnvelopeSummary, EnvelopeError>) {
        let whole = scan_cut(body, &[]);
        let bytes: Vec<usize> = (1..body.len()).collect();
        assert_eq!(scan_cut(body, &bytes), whole, "byte by byte");
        for i in 0..=body.len() {
            assert_eq!(scan_cut(body, &[i]), whole, "split at {i}");
            for j in (i..=body.len()).step_by(7) {
                assert_eq!(scan_cut(body, &[i, j]), whole, "split at {i},{j}");
            }
        }
        whole
    }

    #[test]
    fn long_strings_with_escapes_and_brackets_split_anywhere() {
        let long = "x".repeat(100);
        let el1 = format!(r#"{{"a":"{long}\\\"{long}\\\\","b{{":"[}}]{{\"\\","c":["\\\\",{{}},"]"]}}"#);
        let el2 = format!(r#"{{"name":"Björn \"B\" Müller \\","s":"{long}}}]\\"}}"#);
        let body = format!(
            r#"{{"skip":{{"k":"{long}\"}}]\\","n":[1,"]"]}},"data":[{el1} , {el2},"{long}\\\"",7],"total":4}}"#
        );
        let (els, end) = same_however_split(body.as_bytes());
        let els: Vec<String> = els.into_iter().map(|e| String::from_utf8(e).unwrap()).collect();
        assert_eq!(els, [el1, el2, format!(r#""{long}\\\"""#), "7".to_owned()]);
        assert_eq!(end, Ok(EnvelopeSummary { total: Some(4), elements: 4 }));
        for el in &els {
            serde_json::from_str::<serde_json::Value>(el).unwrap();
        }
    }

    #[test]
    fn escaped_backslash_before_quote_ends_the_string() {
        // `\\"` is an escaped backslash then the closing quote; `\\\"` is
        // an escaped backslash then an escaped quote.
        let body = br#"{"data":[{"a":"\\"},{"b":"\\\"}\\"},"\\\\"]}"#;
        let (els, end) = same_however_split(body);
        assert_eq!(els, [&br#"{"a":"\\"}"#[..], br#"{"b":"\\\"}\\"}"#, br#""\\\\""#]);
        assert_eq!(end, Ok(EnvelopeSummary { total: None, elements: 3 }));
    }

    #[test]
    fn errors_after_fast_skipped_values_keep_their_offsets() {
        let body = br#"{"x":{"s":"}]{["},"data":[{"a":"]"}}],"total":1}"#;
        let (els, end) = same_however_split(body);
        assert_eq!(els, [br#"{"a":"]"}"#]);
        assert_eq!(end, Err(EnvelopeError::Malformed(35)));
        assert_eq!(body[35], b'}');
        let (_, end) = same_however_split(br#"{"data":[{"a":"}"}]"#);
        assert_eq!(end, Err(EnvelopeError::Truncated));
    }
}
