//! The kit over real HTTP, through a toy vendor.

mod faults;
mod gate;
mod toy;
