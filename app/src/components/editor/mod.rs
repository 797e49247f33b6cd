//! The YAML text editor: a textarea over a coloured copy of its text (YAML colours from core,
//! a squiggle under each finding's span), with line numbers and problem marks in the gutter,
//! the finding under the caret or pointer told, F8 / Shift+F8 to the next or previous one, and
//! the errors listed with their line under it. Used for values.yaml and for pasted manifests.

mod backdrop;
mod findings;

use findings::Finding;
use kubeplay_core::manifest::looks_like_manifests;
use kubeplay_core::{source, Severity, SourceFile};
use leptos::html::{Pre, Span, Textarea};
use leptos::prelude::*;
use std::fmt::Write;
use std::ops::Range;

use crate::state::{AppState, Mode, MANIFESTS_FILE, VALUES_FILE};

/// Most errors listed under the editor; the problems pane has them all.
const MAX_LISTED: usize = 20;
/// One line's height and the text's inset, in CSS pixels, as `.editor` in styles.css sets them
/// for the textarea, its gutter and its backdrop: scroll offsets and lines convert exactly.
const LINE_HEIGHT: f64 = 20.0;
const TEXT_INSET: f64 = 8.0;
/// The backdrop is built for a window of lines that moves a chunk at a time while scrolling;
/// three chunks cover the tallest editor.
const CHUNK: usize = 32;

#[component]
pub fn TextEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let textarea: NodeRef<Textarea> = NodeRef::new();
    let gutter: NodeRef<Pre> = NodeRef::new();
    let backdrop: NodeRef<Pre> = NodeRef::new();
    let measure: NodeRef<Span> = NodeRef::new();
    let file = move || if state.mode.get() == Mode::Values { VALUES_FILE } else { MANIFESTS_FILE };
    let text =
        move || if state.mode.get() == Mode::Values { state.values_text.get() } else { state.manifests_text.get() };
    // The edited text, borrowed: tracked or not.
    let with_text = move |read: &mut dyn FnMut(&str)| match state.mode.get() {
        Mode::Values => state.values_text.with(|t| read(t)),
        Mode::Manifests => state.manifests_text.with(|t| read(t)),
    };
    let with_text_untracked = move |read: &mut dyn FnMut(&str)| match state.mode.get_untracked() {
        Mode::Values => state.values_text.with_untracked(|t| read(t)),
        Mode::Manifests => state.manifests_text.with_untracked(|t| read(t)),
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        match state.mode.get_untracked() {
            Mode::Values => state.values_text.set(value),
            Mode::Manifests => state.manifests_text.set(value),
        }
    };
    let findings = Memo::new(move |_| state.computed.with(|c| findings::in_file(&c.analysis, file())));
    // Memos, so a keystroke that keeps the line count and the problems leaves the gutter's
    // markup (a thousand lines for a real app) alone instead of setting and laying it out again.
    let lines = Memo::new(move |_| {
        let mut count = 0;
        with_text(&mut |t| count = t.lines().count().max(1) + usize::from(t.ends_with('\n')));
        count
    });
    let gutter_html = Memo::new(move |_| findings.with(|found| gutter_markup(lines.get(), found)));
    // Scroll offsets (top, left) of the textarea, which the gutter and the backdrop follow.
    let scroll = RwSignal::new((0, 0));
    let window = Memo::new(move |_| {
        // The first line any part of which shows: the text starts below the inset.
        let first = ((f64::from(scroll.get().0) - TEXT_INSET).max(0.0) / LINE_HEIGHT) as usize / CHUNK * CHUNK;
        first..first + 3 * CHUNK
    });
    let backdrop_html = Memo::new(move |_| {
        let mut html = String::new();
        findings.with(|found| with_text(&mut |t| html = backdrop::markup(t, window.get(), found)));
        html
    });
    // The window's lines sit where the textarea shows them: moved, not rebuilt, per scroll.
    Effect::new(move |_| {
        let (top, left) = scroll.get();
        let Some(pre) = backdrop.get() else { return };
        let y = window.get().start as f64 * LINE_HEIGHT - f64::from(top);
        let _ = web_sys::HtmlElement::style(&pre).set_property("transform", &format!("translate({}px, {y}px)", -left));
    });
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
    let on_scroll = move |_| {
        let Some(t) = textarea.get_untracked() else { return };
        if let Some(g) = gutter.get_untracked() {
            g.set_scroll_top(t.scroll_top());
        }
        scroll.set((t.scroll_top(), t.scroll_left()));
    };
    // The caret's byte offset in the text, read when it may have moved.
    let caret = RwSignal::new(None::<usize>);
    let read_caret = move || {
        let Some(units) = textarea.get_untracked().and_then(|t| t.selection_start().ok().flatten()) else { return };
        let mut byte = 0;
        with_text_untracked(&mut |t| byte = findings::byte_of(t, units));
        if caret.get_untracked() != Some(byte) {
            caret.set(Some(byte));
        }
    };
    let go_to_finding = move |backwards: bool| {
        let Some(t) = textarea.get_untracked() else { return };
        // From the selection as it is now (set by a script or a touch handle, too).
        read_caret();
        let here = caret.get_untracked().unwrap_or(0);
        let Some(span) =
            findings.with_untracked(|found| findings::next(found, here, backwards).map(|f| f.span.clone()))
        else {
            return;
        };
        with_text_untracked(&mut |text| select(&t, text, span.clone()));
        caret.set(Some(span.start));
    };
    Effect::new(move |_| {
        let Some(line) = state.goto_line.get() else { return };
        // Wait a frame: the text tab may have just been unhidden, and hidden fields take no focus.
        request_animation_frame(move || {
            if let Some(t) = textarea.get_untracked() {
                with_text_untracked(&mut |text| select(&t, text, line_span(text, line)));
                read_caret();
            }
        });
    });
    // The pointer over a squiggle: its findings as the textarea's tooltip.
    let on_pointer = move |ev: leptos::ev::MouseEvent| {
        let (Some(t), Some(measure)) = (textarea.get_untracked(), measure.get_untracked()) else { return };
        let char_width = measure.get_bounding_client_rect().width() / 10.0;
        let area = t.get_bounding_client_rect();
        let x = f64::from(ev.client_x()) - area.left() - TEXT_INSET + f64::from(t.scroll_left());
        let y = f64::from(ev.client_y()) - area.top() - TEXT_INSET + f64::from(t.scroll_top());
        let mut offset = None;
        if x >= 0.0 && y >= 0.0 && char_width > 0.0 {
            with_text_untracked(&mut |text| {
                offset = findings::offset_of(text, (y / LINE_HEIGHT) as usize, (x / char_width) as usize)
            });
        }
        let title = offset.map_or_else(String::new, |offset| {
            findings.with_untracked(|found| {
                findings::at(found, offset).iter().map(|f| f.message.replace('`', "")).collect::<Vec<_>>().join("\n")
            })
        });
        if t.title() != title {
            t.set_title(&title);
        }
    };
    let errors = move || {
        findings.with(|found| {
            found
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .take(MAX_LISTED)
                .map(|f| {
                    let line = f.line;
                    view! {
                        <li>
                            <button type="button" class="link" on:click=move |_| state.goto_line.set(Some(line))>
                                {format!("Line {line}, column {}", f.column)}
                            </button>
                            ": " {super::problems::rich(&f.message)} " " <code class="rule">{f.rule}</code>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // A memo: the status is a live region, said again only when the finding changes.
    let under_caret = Memo::new(move |_| {
        let offset = caret.get()?;
        findings.with(|found| findings::at(found, offset).first().map(|f| (*f).clone()))
    });
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
    let no_findings = move || findings.with(Vec::is_empty);
    view! {
        <div class="editor-head">
            <label for="editor" class="file-name">{file}</label>
            <span class="hint">{move || if state.mode.get() == Mode::Values {
                "The whole values file. Tab indents; Ctrl+Z undoes."
            } else {
                "Paste Kubernetes YAML (several documents separated by ---)."
            }}</span>
            <span class="problem-steps">
                <button type="button" id="previous-problem" aria-keyshortcuts="Shift+F8" title="Previous problem (Shift+F8)"
                    disabled=no_findings on:click=move |_| go_to_finding(true)>"Previous problem"</button>
                <button type="button" id="next-problem" aria-keyshortcuts="F8" title="Next problem (F8)"
                    disabled=no_findings on:click=move |_| go_to_finding(false)>"Next problem"</button>
            </span>
        </div>
        <Show when=looks_like_manifests>
            <p class="banner info" role="status">
                "This looks like Kubernetes manifests, not values. "
                <button type="button" on:click=switch_to_manifests>"Check it as manifests"</button>
            </p>
        </Show>
        <div class="editor">
            <pre class="gutter" aria-hidden="true" node_ref=gutter inner_html=gutter_html></pre>
            <div class="editor-text">
                <div class="backdrop" aria-hidden="true">
                    <pre node_ref=backdrop inner_html=backdrop_html></pre>
                    <span class="measure" node_ref=measure>"0123456789"</span>
                </div>
                <textarea
                    id="editor"
                    node_ref=textarea
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    aria-describedby="editor-status editor-errors"
                    on:input=move |ev| {
                        on_input(ev);
                        read_caret();
                    }
                    on:scroll=on_scroll
                    on:keyup=move |_| read_caret()
                    on:mouseup=move |_| read_caret()
                    on:select=move |_| read_caret()
                    on:focus=move |_| read_caret()
                    on:mousemove=on_pointer
                    on:keydown=move |ev| {
                        match ev.key().as_str() {
                            "F8" => {
                                ev.prevent_default();
                                go_to_finding(ev.shift_key());
                            }
                            _ => indent_on_tab(&ev, textarea),
                        }
                    }
                ></textarea>
            </div>
        </div>
        <p id="editor-status" class="editor-status" data-testid="editor-status" aria-live="polite">
            {move || under_caret.get().map(|f| view! {
                <span class=format!("badge {}", f.severity)>{f.severity.to_string()}</span>
                " " {format!("Line {}, column {}: ", f.line, f.column)} {super::problems::rich(&f.message)}
                " " <code class="rule">{f.rule}</code>
            })}
        </p>
        <ul id="editor-errors" class="editor-errors" data-testid="editor-errors" aria-live="polite">{errors}</ul>
    }
}

/// Line numbers, marked where a problem points (worst severity wins), with the first message as
/// a tooltip.
fn gutter_markup(lines: usize, found: &[Finding]) -> String {
    let mut marks: Vec<Option<(Severity, &str)>> = vec![None; lines + 1];
    for f in found {
        if let Some(slot) = marks.get_mut(f.line) {
            if slot.is_none_or(|(s, _)| s < f.severity) {
                *slot = Some((f.severity, &f.message));
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

/// The bytes of 1-based line `line` of `text` (an empty span at the end past the last line).
fn line_span(text: &str, line: usize) -> Range<usize> {
    source::LineIndex::new(text).line_span(text, line).unwrap_or(text.len()..text.len())
}

/// Select bytes `span` of the textarea's `text` and scroll their line into view (a third down
/// when it was out of view).
fn select(textarea: &web_sys::HtmlTextAreaElement, text: &str, span: Range<usize>) {
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(findings::utf16_of(text, span.start), findings::utf16_of(text, span.end));
    let line = text.as_bytes()[..span.start.min(text.len())].iter().filter(|&&b| b == b'\n').count();
    let top = line as f64 * LINE_HEIGHT;
    let shown =
        f64::from(textarea.scroll_top())..f64::from(textarea.scroll_top() + textarea.client_height()) - LINE_HEIGHT;
    if !shown.contains(&top) {
        textarea.set_scroll_top((top - f64::from(textarea.client_height()) / 3.0).max(0.0) as i32);
    }
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
