//! Every diagnostic, grouped by rule (worst first, large groups folded), with severity, message
//! and fix, filtered by severity and by resource or file. Clicking one goes to its place: the
//! form field when the form is open and has one, otherwise the line in the text; its "graph"
//! link shows its resource's node in the graph, with the relationships that break.

use kubeplay_core::diagnostic;
use kubeplay_core::path::FieldPath;
use kubeplay_core::{rules, Diagnostic, Severity};
use leptos::prelude::*;

use crate::browser;
use crate::components::form::field_id;
use crate::components::graph::Reveal;
use crate::components::LeftTab;
use crate::state::{AppState, Mode, MANIFESTS_FILE, VALUES_FILE};

/// The list is built only while its tab is shown (`active`): a real app's dozens of findings
/// are not rebuilt on every keystroke for a hidden pane.
#[component]
pub fn ProblemsList(#[prop(into, default = Signal::stored(true))] active: Signal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let go = go_to_place();
    let severity = RwSignal::new(SeverityFilter::All);
    let search = RwSignal::new(String::new());
    let groups = move || {
        let needle = search.get().to_ascii_lowercase();
        let least = severity.get().least();
        state.computed.with(|c| {
            let shown: Vec<Diagnostic> = c
                .analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity >= least && (needle.is_empty() || searched(d).contains(&needle)))
                .cloned()
                .collect();
            // A finding about a resource the graph draws links to its node there (the nodes
            // gathered once: a big paste has thousands of findings and nodes).
            let mut drawn: Vec<&str> = c.analysis.graph.nodes.iter().map(|n| &*n.id).collect();
            drawn.sort_unstable();
            let node = |d: &Diagnostic| {
                let id = d.resource.as_ref()?.to_string();
                drawn.binary_search(&id.as_str()).is_ok().then_some(id)
            };
            diagnostic::by_rule(&shown)
                .into_iter()
                .map(|group| {
                    let summary = rules::find(group.rule).map(|r| r.summary).unwrap_or_default();
                    let count = group.findings.len();
                    let rows = group.findings.into_iter().map(|d| problem_row(d, node(d), go)).collect_view();
                    // A rule with many findings (a namespace missing from every object) is one
                    // line until opened, so the few that differ stay in view.
                    view! {
                        <details class=format!("rule-group {}", group.severity) data-group=group.rule open=count <= GROUP_OPEN_UP_TO>
                            <summary>
                                <span class="sev">{group.severity.to_string()}</span>
                                <code class="rule">{group.rule}</code>
                                <span class="count" title="findings">{count}</span>
                                <span class="rule-summary">{rich(summary)}</span>
                            </summary>
                            <ul class="problems">{rows}</ul>
                        </details>
                    }
                })
                .collect_view()
        })
    };
    let totals = move || {
        state.computed.with(|c| {
            let count = |s| c.analysis.diagnostics.iter().filter(|d| d.severity == s).count();
            let counted = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
            format!(
                "{}, {}, {}",
                counted(count(Severity::Error), "error"),
                counted(count(Severity::Warning), "warning"),
                counted(count(Severity::Info), "note")
            )
        })
    };
    view! {
        <Show
            when=move || state.computed.with(|c| !c.analysis.diagnostics.is_empty())
            fallback=|| view! { <p class="empty ok" data-testid="no-problems">"No problems found."</p> }
        >
            <div class="problem-filters">
                <span class="totals" data-testid="problem-totals">{totals}</span>
                <label class="field inline">
                    <span>"Show"</span>
                    <select id="problem-severity" on:change=move |ev| severity.set(SeverityFilter::parse(&event_target_value(&ev)))>
                        {SeverityFilter::ALL.iter().map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                    </select>
                </label>
                <input type="search" id="problem-search" placeholder="Filter by resource or file" aria-label="Filter problems by resource or file"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <div data-testid="problems">{move || active.get().then(groups)}</div>
        </Show>
    }
}

/// What a click on a finding does: focus its form field when the form is open and has one (or
/// the nearest enclosing field that has), otherwise select its line in the text.
pub(crate) fn go_to_place() -> impl Fn(&Diagnostic) + Copy + 'static {
    let state = expect_context::<AppState>();
    let left_tab = expect_context::<RwSignal<LeftTab>>();
    move |d: &Diagnostic| {
        let file = if state.mode.get_untracked() == Mode::Values { VALUES_FILE } else { MANIFESTS_FILE };
        if left_tab.get_untracked() == LeftTab::Form && state.mode.get_untracked() == Mode::Values {
            if let Some(path) = &d.path {
                let mut path = FieldPath::parse(path);
                loop {
                    if browser::focus_id(&field_id(&path)) {
                        return;
                    }
                    if !path.pop() {
                        break;
                    }
                }
            }
        }
        if let Some(line) = d.location.as_ref().filter(|l| l.file == file).map(|l| l.line) {
            state.goto_line.set(Some(line));
        }
    }
}

/// Groups of up to this many findings start open.
const GROUP_OPEN_UP_TO: usize = 3;

/// One finding: severity, rule, message (its `code` set as code), place and fix; a click goes to
/// its place, and its "graph" link to its resource's node (`node`) in the graph.
pub(crate) fn problem_row(
    d: &Diagnostic,
    node: Option<String>,
    go: impl Fn(&Diagnostic) + Copy + 'static,
) -> impl IntoView {
    let summary = rules::find(d.rule).map(|r| r.summary).unwrap_or_default();
    let diagnostic = d.clone();
    let reveal = use_context::<Reveal>();
    let graph_link = node.zip(reveal).map(|(id, Reveal(request))| {
        let label = format!("Show {id} in the graph");
        view! { " · " <button type="button" class="link graph-link" aria-label=label on:click=move |_| request.set(Some(id.clone()))>"graph"</button> }
    });
    view! {
        <li class=format!("problem {}", d.severity) data-rule=d.rule>
            <button type="button" class="problem-go" on:click=move |_| go(&diagnostic) title=summary>
                <span class="sev">{d.severity.to_string()}</span>
                <code class="rule">{d.rule}</code>
                <span class="message">{rich(&d.message)}</span>
            </button>
            <div class="where">
                {place(d)}
                {d.location.as_ref().and(d.resource.as_ref()).map(|r| format!(" · {r}"))}
                {d.path.clone().map(|p| view! { " · " <code>{p}</code> })}
                {graph_link}
            </div>
            {d.help.clone().map(|h| view! { <p class="help">"Fix: " {rich(&h)}</p> })}
        </li>
    }
}

/// Text with its backticked parts as code.
pub(crate) fn rich(text: &str) -> impl IntoView {
    diagnostic::code_spans(text)
        .into_iter()
        .map(
            |(part, code)| {
                if code {
                    view! { <code>{part.to_string()}</code> }.into_any()
                } else {
                    part.to_string().into_any()
                }
            },
        )
        .collect_view()
}

/// What the filter box matches: the place and the resource, lowercase (names are ASCII; no
/// Unicode case tables in the page for this).
fn searched(d: &Diagnostic) -> String {
    let resource = d.resource.as_ref().map(|r| r.to_string()).unwrap_or_default();
    format!("{} {resource}", place(d)).to_ascii_lowercase()
}

/// Where a finding is: file, line and column, or the resource and field.
fn place(d: &Diagnostic) -> String {
    match (&d.location, &d.resource, &d.field) {
        (Some(l), _, _) => format!("{}:{}:{}", l.file, l.line, l.column),
        (None, Some(r), Some(f)) => format!("{r} {f}"),
        (None, Some(r), None) => r.to_string(),
        _ => String::new(),
    }
}

/// Which severities the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeverityFilter {
    All,
    WarningsUp,
    Errors,
}

impl SeverityFilter {
    const ALL: [SeverityFilter; 3] = [SeverityFilter::All, SeverityFilter::WarningsUp, SeverityFilter::Errors];
    fn as_str(self) -> &'static str {
        match self {
            SeverityFilter::All => "all",
            SeverityFilter::WarningsUp => "warnings",
            SeverityFilter::Errors => "errors",
        }
    }
    fn label(self) -> &'static str {
        match self {
            SeverityFilter::All => "everything",
            SeverityFilter::WarningsUp => "errors and warnings",
            SeverityFilter::Errors => "errors only",
        }
    }
    fn parse(value: &str) -> SeverityFilter {
        SeverityFilter::ALL.into_iter().find(|f| f.as_str() == value).unwrap_or(SeverityFilter::All)
    }
    /// The least severity shown.
    fn least(self) -> Severity {
        match self {
            SeverityFilter::All => Severity::Info,
            SeverityFilter::WarningsUp => Severity::Warning,
            SeverityFilter::Errors => Severity::Error,
        }
    }
}
