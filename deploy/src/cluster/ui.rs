//! Where the cluster verbs write: stdout/stderr in the CLI or buffers in tests, with a live
//! progress view (indicatif) when stderr is a terminal and plain lines when it is not.
//!
//! Everything a cluster verb prints passes through here, so this is where secret values are
//! redacted: a value the verb was given (as given, base64 as in a Secret's `data`, and
//! JSON-escaped as in a request body an admission webhook quotes back) becomes `***` in every
//! line, whatever printed it.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a captured [`Ui`] received.
#[cfg(test)]
#[derive(Debug, Default, Clone)]
pub struct Captured {
    /// Results (diff, status).
    pub out: String,
    /// Progress, warnings, diagnoses.
    pub err: String,
}

#[derive(Clone)]
enum Sink {
    Std,
    /// Tests only: the binary always writes to the terminal.
    #[cfg(test)]
    Captured(Arc<Mutex<Captured>>),
}

/// What replaces a secret value in output.
pub const REDACTED: &str = "***";

/// Values shorter than this are not redacted: `***` in place of every `a` would make the
/// output unreadable and hide nothing worth hiding.
const SHORTEST_REDACTED: usize = 4;

/// The output of one verb.
#[derive(Clone)]
pub struct Ui {
    sink: Sink,
    /// stderr is a terminal: draw live progress.
    live: bool,
    /// The forms of the secret values to redact, longest first (shared by every clone: the
    /// retry layer's notes print through a clone made before the values are known).
    secrets: Arc<Mutex<Vec<String>>>,
}

impl Ui {
    /// stdout and stderr of the process.
    pub fn terminal() -> Ui {
        Ui { sink: Sink::Std, live: std::io::stderr().is_terminal(), secrets: Arc::default() }
    }

    /// Buffers, for tests; never live.
    #[cfg(test)]
    pub fn capture() -> (Ui, Arc<Mutex<Captured>>) {
        let captured = Arc::new(Mutex::new(Captured::default()));
        (Ui { sink: Sink::Captured(captured.clone()), live: false, secrets: Arc::default() }, captured)
    }

    /// Never print `value`: as given, base64 (standard, as in a Secret's `data`) or JSON-escaped.
    pub fn redact(&self, value: &str) {
        use base64::Engine;
        if value.len() < SHORTEST_REDACTED {
            return;
        }
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = json.trim_start_matches('"').trim_end_matches('"').to_string();
        let base64 = base64::engine::general_purpose::STANDARD.encode(value);
        let mut secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        for form in [value.to_string(), json, base64] {
            if !secrets.contains(&form) {
                secrets.push(form);
            }
        }
        // Longest first: a value that contains another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every secret value replaced by [`REDACTED`].
    pub fn redacted(&self, text: &str) -> String {
        let secrets = self.secrets.lock().unwrap_or_else(|e| e.into_inner());
        let mut text = text.to_string();
        for secret in secrets.iter() {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        text
    }

    /// One line on stderr.
    pub fn say(&self, line: &str) {
        let line = &self.redacted(line);
        match &self.sink {
            // Nowhere to report a failed write to stderr.
            Sink::Std => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            #[cfg(test)]
            Sink::Captured(c) => {
                let mut c = c.lock().unwrap_or_else(|e| e.into_inner());
                c.err.push_str(line);
                c.err.push('\n');
            }
        }
    }

    /// Text on stdout, as is (but for secret values).
    pub fn print(&self, text: &str) {
        let text = &self.redacted(text);
        match &self.sink {
            Sink::Std => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            }
            #[cfg(test)]
            Sink::Captured(c) => c.lock().unwrap_or_else(|e| e.into_inner()).out.push_str(text),
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            ui: self.clone(),
            live: self.live.then(MultiProgress::new),
            bars: BTreeMap::new(),
            last: BTreeMap::new(),
        }
    }
}

/// One line per tracked thing (a Deployment, a pod), updated in place on a terminal; printed
/// again only when it changes otherwise.
pub struct Progress {
    ui: Ui,
    live: Option<MultiProgress>,
    bars: BTreeMap<String, ProgressBar>,
    last: BTreeMap<String, String>,
}

impl Progress {
    /// Show `line` for `key`.
    pub fn update(&mut self, key: &str, line: &str) {
        let line = &self.ui.redacted(line);
        if self.last.get(key).is_some_and(|l| l == line) {
            return;
        }
        self.last.insert(key.to_string(), line.to_string());
        match &self.live {
            Some(multi) => {
                let bar = self.bars.entry(key.to_string()).or_insert_with(|| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                        bar.set_style(style);
                    }
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                });
                bar.set_message(line.to_string());
            }
            None => self.ui.say(line),
        }
    }

    /// Show `line` for `key` as its last word (the spinner stops).
    pub fn finish(&mut self, key: &str, line: &str) {
        self.update(key, line);
        if let Some(bar) = self.bars.get(key) {
            bar.finish_with_message(self.ui.redacted(line));
        }
    }

    /// A line above the progress view.
    pub fn say(&self, line: &str) {
        match &self.live {
            Some(multi) => {
                let _ = multi.println(self.ui.redacted(line));
            }
            None => self.ui.say(line),
        }
    }

    /// Stop every spinner, leaving the last lines on screen.
    pub fn close(&mut self) {
        for bar in self.bars.values() {
            if !bar.is_finished() {
                bar.abandon();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_progress_prints_a_line_only_when_it_changes() {
        let (ui, captured) = Ui::capture();
        let mut progress = ui.progress();
        progress.update("web", "waiting 0/1");
        progress.update("web", "waiting 0/1");
        progress.finish("web", "done");
        ui.print("result\n");
        let c = captured.lock().unwrap();
        assert_eq!(c.err, "waiting 0/1\ndone\n");
        assert_eq!(c.out, "result\n");
    }

    #[test]
    fn secret_values_are_redacted_in_every_form_on_every_channel() {
        let (ui, captured) = Ui::capture();
        let note = ui.clone();
        ui.redact("pa\"ss\\word");
        ui.redact("abc");
        // cGEic3Ncd29yZA== is base64 of the value; the JSON form escapes the quote and backslash.
        note.say("webhook: {\"data\":{\"K\":\"cGEic3Ncd29yZA==\"},\"s\":\"pa\\\"ss\\\\word\"} abc");
        ui.print("value pa\"ss\\word\n");
        let mut progress = ui.progress();
        progress.update("k", "pa\"ss\\word");
        let c = captured.lock().unwrap();
        assert_eq!(c.err, "webhook: {\"data\":{\"K\":\"***\"},\"s\":\"***\"} abc\n***\n");
        assert_eq!(c.out, "value ***\n");
    }
}
