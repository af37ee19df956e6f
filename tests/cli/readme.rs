//! README's tour, run as a newcomer would: every command of the section
//! "A tour of the commands", in order, on one fresh file. A command shown
//! with an `error:` under it must fail; every other one must succeed, and
//! the single lines README prints under a command must be in its output.

use std::path::Path;
use std::process::Command;

/// One command of the tour, and what README says it prints.
struct Step {
    command: String,
    fails: bool,
    prints: Vec<String>,
}

fn tour() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find("\n## A tour of the commands")
        .expect("the tour section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// A command's line without its trailing comment (none of the tour's
/// commands holds a `#` of its own).
fn without_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(at) => line[..at].trim_end(),
        None => line.trim_end(),
    }
}

fn steps(section: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut block: Option<&str> = None;
    let mut pending = String::new();
    for line in section.lines() {
        if let Some(kind) = line.strip_prefix("```") {
            block = match block {
                None => Some(if kind.is_empty() { "text" } else { kind }),
                Some(_) => None,
            };
            continue;
        }
        match block {
            Some("sh") => {
                let line = without_comment(line);
                if line.is_empty() {
                    continue;
                }
                if let Some(head) = line.strip_suffix('\\') {
                    pending.push_str(head);
                    continue;
                }
                pending.push_str(line);
                steps.push(Step {
                    command: std::mem::take(&mut pending),
                    fails: false,
                    prints: Vec::new(),
                });
            }
            Some("console") => {
                if let Some(command) = line.strip_prefix("$ ") {
                    steps.push(Step {
                        command: without_comment(command).to_string(),
                        fails: false,
                        prints: Vec::new(),
                    });
                } else if let Some(step) = steps.last_mut() {
                    if line.starts_with("error:") {
                        step.fails = true;
                    }
                    // Single lines, not tables, not cut short, not dated today.
                    let table = line.starts_with(['┌', '│', '╞', '└', '…']);
                    if !table && !line.contains("after today") && !line.trim().is_empty() {
                        step.prints.push(line.trim().to_string());
                    }
                }
            }
            _ => {}
        }
    }
    steps
}

#[test]
fn the_tour_runs_in_order_on_a_fresh_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = Path::new(env!("CARGO_BIN_EXE_fupin"))
        .parent()
        .expect("binary folder")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let steps = steps(&tour());
    assert!(steps.len() > 30, "the tour has {} commands", steps.len());
    let mut ran = 0;
    for step in &steps {
        // Shown on the example county, not on the tour's file.
        if step.command.contains("zhongshan.db") {
            continue;
        }
        let out = Command::new("sh")
            .arg("-c")
            .arg(&step.command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("FUPIN_DB", "tour.db")
            .env("USER", "tester")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("COLUMNS")
            .output()
            .expect("sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            !out.status.success(),
            step.fails,
            "README: `{}` {} ({:?})\n{stdout}\n{stderr}",
            step.command,
            if step.fails {
                "should fail"
            } else {
                "should succeed"
            },
            out.status.code()
        );
        for line in &step.prints {
            assert!(
                stdout.contains(line.as_str()) || stderr.contains(line.as_str()),
                "README: `{}` should print `{line}`\n{stdout}\n{stderr}",
                step.command
            );
        }
        ran += 1;
    }
    assert!(ran > 30, "{ran} commands ran");
}
