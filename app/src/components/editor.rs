//! The YAML text editor: a textarea with line numbers, problem markers in the gutter and the
//! errors listed with their line under it. Used for values.yaml and for pasted manifests.

use kubeplay_core::manifest::looks_like_manifests;
use kubeplay_core::{source, Severity, SourceFile};
use leptos::html::{Pre, Textarea};
use leptos::prelude::*;
use std::fmt::Write;

use crate::state::{AppState, Mode, MANIFESTS_FILE, VALUES_FILE};

/// Most errors listed under the editor; the problems pane has them all.
const MAX_LISTED: usize = 20;

#[component]
pub fn TextEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let textarea: NodeRef<Textarea> = NodeRef::new();
    let gutter: NodeRef<Pre> = NodeRef::new();
    let file = move || if state.mode.get() == Mode::Values { VALUES_FILE } else { MANIFESTS_FILE };
    let text =
        move || if state.mode.get() == Mode::Values { state.values_text.get() } else { state.manifests_text.get() };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        match state.mode.get_untracked() {
            Mode::Values => state.values_text.set(value),
            Mode::Manifests => state.manifests_text.set(value),
        }
    };
    // Problems located in this text: (line, severity, message), in order.
    let located = Memo::new(move |_| {
        let file = file();
        state.computed.with(|c| {
            c.analysis
                .diagnostics
                .iter()
                .filter_map(|d| {
                    d.location
                        .as_ref()
                        .filter(|l| l.file == file)
                        .map(|l| (l.line, l.column, d.severity, d.rule, d.message.clone()))
                })
                .collect::<Vec<_>>()
        })
    });
    // Memos, so a keystroke that keeps the line count and the problems leaves the gutter's
    // markup (a thousand lines for a real app) alone instead of setting and laying it out again.
    let lines = Memo::new(move |_| {
        let count = |t: &String| t.lines().count().max(1) + usize::from(t.ends_with('\n'));
        match state.mode.get() {
            Mode::Values => state.values_text.with(count),
            Mode::Manifests => state.manifests_text.with(count),
        }
    });
    let gutter_html = Memo::new(move |_| located.with(|located| gutter_markup(lines.get(), located)));
    // The text goes into the textarea only when it differs from what is there (a preset
    // picked, a form edit): writing back what was just typed would lay out the whole text again.
    Effect::new(move |_| {
        let Some(area) = textarea.get() else { return };
        let differs = |t: &String| area.value() != *t;
        let stale = match state.mode.get() {
            Mode::Values => state.values_text.with(differs),
            Mode::Manifests => state.manifests_text.with(differs),
        };
        if stale {
            area.set_value(&text());
        }
    });
    let sync_scroll = move |_| {
        if let (Some(t), Some(g)) = (textarea.get_untracked(), gutter.get_untracked()) {
            g.set_scroll_top(t.scroll_top());
        }
    };
    Effect::new(move |_| {
        let Some(line) = state.goto_line.get() else { return };
        // Wait a frame: the text tab may have just been unhidden, and hidden fields take no focus.
        request_animation_frame(move || {
            if let Some(t) = textarea.get_untracked() {
                select_line(&t, line);
            }
        });
    });
    let errors = move || {
        located.with(|located| {
            located
                .iter()
                .filter(|(_, _, s, _, _)| *s == Severity::Error)
                .take(MAX_LISTED)
                .map(|(line, column, _, rule, message)| {
                    let line = *line;
                    view! {
                        <li>
                            <button type="button" class="link" on:click=move |_| state.goto_line.set(Some(line))>
                                {format!("Line {line}, column {column}")}
                            </button>
                            ": " {super::problems::rich(message)} " " <code class="rule">{*rule}</code>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let looks_like_manifests = move || {
        state.mode.get() == Mode::Values
            && !state.computed.with(|c| c.values_ok())
            && state.values_text.with(|t| {
                source::parse(&SourceFile::new(VALUES_FILE, t.as_str())).is_ok_and(|docs| looks_like_manifests(&docs))
            })
    };
    let switch_to_manifests = move |_| {
        state.manifests_text.set(state.values_text.get_untracked());
        state.values_text.set(crate::state::preset_text(&state.preset.get_untracked()));
        state.mode.set(Mode::Manifests);
    };
    view! {
        <div class="editor-head">
            <label for="editor" class="file-name">{file}</label>
            <span class="hint">{move || if state.mode.get() == Mode::Values {
                "The whole values file. Tab indents; Ctrl+Z undoes."
            } else {
                "Paste Kubernetes YAML (several documents separated by ---)."
            }}</span>
        </div>
        <Show when=looks_like_manifests>
            <p class="banner info" role="status">
                "This looks like Kubernetes manifests, not values. "
                <button type="button" on:click=switch_to_manifests>"Check it as manifests"</button>
            </p>
        </Show>
        <div class="editor">
            <pre class="gutter" aria-hidden="true" node_ref=gutter inner_html=gutter_html></pre>
            <textarea
                id="editor"
                node_ref=textarea
                spellcheck="false"
                autocomplete="off"
                wrap="off"
                aria-describedby="editor-errors"
                on:input=on_input
                on:scroll=sync_scroll
                on:keydown=move |ev| indent_on_tab(&ev, textarea)
            ></textarea>
        </div>
        <ul id="editor-errors" class="editor-errors" data-testid="editor-errors" aria-live="polite">{errors}</ul>
    }
}

/// Line numbers, marked where a problem points (worst severity wins), with the first message as
/// a tooltip.
fn gutter_markup(lines: usize, located: &[(usize, usize, Severity, &'static str, String)]) -> String {
    let mut marks: Vec<Option<(Severity, &str)>> = vec![None; lines + 1];
    for (line, _, severity, _, message) in located {
        if let Some(slot) = marks.get_mut(*line) {
            if slot.is_none_or(|(s, _)| s < *severity) {
                *slot = Some((*severity, message));
            }
        }
    }
    let mut out = String::with_capacity(lines * 8);
    for (n, mark) in marks.iter().enumerate().skip(1) {
        match mark {
            Some((severity, message)) => {
                let _ = writeln!(out, "<span class=\"mark {severity}\" title=\"{}\">{n}</span>", escape(message));
            }
            None => {
                let _ = writeln!(out, "{n}");
            }
        }
    }
    out
}

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Select a 1-based line and scroll it into view. Offsets are UTF-16 units, as the DOM counts.
fn select_line(textarea: &web_sys::HtmlTextAreaElement, line: usize) {
    let text = textarea.value();
    let mut start = 0u32;
    let mut end = 0u32;
    for (i, content) in text.split('\n').enumerate() {
        let width = content.encode_utf16().count() as u32;
        if i + 1 == line {
            end = start + width;
            break;
        }
        start += width + 1;
        end = start;
    }
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(start, end);
    // One line is about 1.5em of 13px; centre it roughly.
    let line_height = 19.5;
    let top = (line.saturating_sub(1) as f64) * line_height - f64::from(textarea.client_height()) / 3.0;
    textarea.set_scroll_top(top.max(0.0) as i32);
}

/// Tab inserts two spaces (YAML indentation) instead of leaving the field; Escape then Tab
/// still moves focus on, so the editor is no keyboard trap.
fn indent_on_tab(ev: &leptos::ev::KeyboardEvent, textarea: NodeRef<Textarea>) {
    let Some(t) = textarea.get_untracked() else { return };
    let plain = !(ev.shift_key() || ev.ctrl_key() || ev.alt_key() || ev.meta_key());
    match ev.key().as_str() {
        "Escape" => {
            let _ = t.dataset().set("escaped", "1");
        }
        "Tab" if plain && t.dataset().get("escaped").is_none() => {
            ev.prevent_default();
            // The browser's own text insertion keeps Ctrl+Z working and fires the input event.
            let document =
                t.owner_document().and_then(|d| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDocument>(d).ok());
            if let Some(document) = document {
                let _ = document.exec_command_with_show_ui_and_value("insertText", false, "  ");
            }
        }
        _ => t.dataset().delete("escaped"),
    }
}
