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
            return match b {
                b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' => Step::EndBefore,
                _ => Step::More,
            };
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
                State::Skip => match self.tracker.step(b) {
                    Step::More => {}
                    Step::EndWith => self.state = State::AfterValue,
                    Step::EndBefore => {
                        self.state = State::AfterValue;
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
                State::Element => {
                    let step = self.tracker.step(b);
                    match step {
                        Step::More => {}
                        Step::EndWith | Step::EndBefore => {
                            let end = if matches!(step, Step::EndWith) { i + 1 } else { i };
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
                            if matches!(step, Step::EndBefore) {
                                continue;
                            }
                        }
                    }
                }
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
