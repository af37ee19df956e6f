//! The real `fupin` binary on temporary databases, one module per area.

mod common;

mod export;
mod import;
mod records;
mod report;
