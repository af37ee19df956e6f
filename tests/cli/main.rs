//! The real `fupin` binary on temporary databases, one module per area.

mod common;
mod county;
mod example;

mod admin;
mod assessments;
mod cadres;
mod clerk;
mod export;
mod export_book;
mod fixtures;
mod hostile;
mod households;
mod import;
mod migrate;
mod monitoring;
mod output;
mod people;
mod places;
mod readme;
mod records;
mod register;
mod report;
mod rollup;
mod rules;
mod tasks;
mod township;
#[cfg(unix)]
mod trust;
mod values;
