//! The real `fupin` binary on temporary databases, one module per area.

mod common;
mod county;

mod export;
mod import;
mod records;
mod report;
