//! A component's probes: each one's path (none: a TCP connection) and port, and its timings
//! folded away, since the defaults suit most apps until a slow start or a busy pod says not.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{ProbeSpec, Probes};
use leptos::prelude::*;

use super::form::{
    edit_component, field_id, first_port, number_input, port_ref, port_text, read, text_input, ComponentMemo,
};
use crate::state::AppState;

const PROBES: [(&str, &str); 3] = [("liveness", "Liveness"), ("readiness", "Readiness"), ("startup", "Startup")];

fn probe_slot<'a>(probes: &'a mut Probes, kind: &str) -> &'a mut Option<ProbeSpec> {
    match kind {
        "liveness" => &mut probes.liveness,
        "readiness" => &mut probes.readiness,
        _ => &mut probes.startup,
    }
}

fn probe_of<'a>(probes: &'a Probes, kind: &str) -> Option<&'a ProbeSpec> {
    match kind {
        "liveness" => probes.liveness.as_ref(),
        "readiness" => probes.readiness.as_ref(),
        _ => probes.startup.as_ref(),
    }
}

/// One timing of a probe: its label, its values name, how to read and write it.
type Timing = (&'static str, &'static str, fn(&ProbeSpec) -> Option<i32>, fn(&mut ProbeSpec, Option<i32>));

/// A probe's timings: what a slow start or a busy pod needs tuned.
const TIMINGS: [Timing; 4] = [
    ("Delay (s)", "initialDelaySeconds", |p| p.initial_delay_seconds, |p, n| p.initial_delay_seconds = n),
    ("Every (s)", "periodSeconds", |p| p.period_seconds, |p, n| p.period_seconds = n),
    ("Timeout (s)", "timeoutSeconds", |p| p.timeout_seconds, |p, n| p.timeout_seconds = n),
    ("Failures", "failureThreshold", |p| p.failure_threshold, |p, n| p.failure_threshold = n),
];

#[component]
pub fn ProbesForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base.key("probes"));
    let edit = move |kind: &'static str, f: Box<dyn FnOnce(&mut ProbeSpec)>| {
        edit_component(state, name, |c| {
            if let Some(p) = probe_slot(&mut c.probes, kind) {
                f(p)
            }
        })
    };
    view! {
        <h3>"Probes"</h3>
        {PROBES.map(|(kind, label)| {
            let at = move |key: &str| base.with_value(|b| b.key(kind).key(key));
            let present = move || read(component, |c| probe_of(&c.probes, kind).is_some());
            let timing = move |(label, key, get, set): Timing| {
                number_input(label, at(key), move || read(component, |c| probe_of(&c.probes, kind).and_then(get)),
                    move |n| edit(kind, Box::new(move |p| set(p, n))))
            };
            view! {
                <div class="row probe">
                    <label class="check">
                        <input type="checkbox" id=field_id(&base.with_value(|b| b.key(kind))) prop:checked=present on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit_component(state, name, |c| {
                                let port = first_port(c);
                                *probe_slot(&mut c.probes, kind) = on.then(|| ProbeSpec {
                                    path: Some("/".into()), port, initial_delay_seconds: None, period_seconds: None, timeout_seconds: None, failure_threshold: None,
                                });
                            });
                        }/>
                        {label}
                    </label>
                    <Show when=present>
                        // An empty path makes the probe a TCP connection (for servers that speak no HTTP).
                        {text_input("Path (empty: TCP connect)", at("path"), move || read(component, |c| probe_of(&c.probes, kind).and_then(|p| p.path.clone()).unwrap_or_default()),
                            move |s| edit(kind, Box::new(move |p| p.path = (!s.is_empty()).then_some(s))))}
                        {text_input("Port", at("port"), move || read(component, |c| probe_of(&c.probes, kind).map(|p| port_text(&p.port)).unwrap_or_default()),
                            move |s| edit(kind, Box::new(move |p| p.port = port_ref(&s))))}
                        <details class="probe-timings" data-testid=format!("{kind}-timings")>
                            <summary>"Timings"</summary>
                            <div class="row">{TIMINGS.map(timing).collect_view()}</div>
                        </details>
                    </Show>
                </div>
            }
        }).collect_view()}
    }
}
