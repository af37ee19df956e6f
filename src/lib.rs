//! fupin: records and reports of a county's poverty-alleviation campaign.

pub mod cli;
pub mod cmd;
pub mod console;
pub mod csv_io;
pub mod db;
pub mod export;
pub mod export_book;
pub mod files;
pub mod guard;
pub mod help;
pub mod import;
pub mod input;
pub mod lang;
pub mod model;
pub mod output;
pub mod present;
pub mod record;
pub mod register;
pub mod report;
pub mod rules;
pub mod standards;
pub mod values;
