//! The shared test kit: what every connector's tests use.

mod memory_sink;

pub use memory_sink::MemorySink;
