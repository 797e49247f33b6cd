//! How a component's container starts and stops, folded away by default: its command and
//! arguments, variables from the pod's own fields, and a graceful shutdown (a sleep or a
//! command before stopping, and the grace period).

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{PodField, PreStop};
use leptos::prelude::*;
use std::collections::BTreeMap;

use super::form::{edit_component, field_id, list_input, number_input, read, ComponentMemo, Edit};
use crate::state::AppState;

/// Words as a shell would quote them, so a word with spaces survives the round trip.
pub(super) fn words_text(words: &[String]) -> String {
    shlex::try_join(words.iter().map(String::as_str)).unwrap_or_else(|_| words.join(" "))
}

/// The words of a line typed with shell quoting; `None` while a quote is open (half typed).
pub(super) fn words(text: &str) -> Option<Vec<String>> {
    shlex::split(text)
}

/// Which of the pod's own fields a container takes as variables, each under its conventional
/// name: a checkbox per field.
#[component]
pub(super) fn FieldEnvChecks(
    path: FieldPath,
    #[prop(into)] env: Signal<BTreeMap<String, PodField>>,
    edit: impl Fn(Edit<BTreeMap<String, PodField>>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="checks" id=field_id(&path)>
            {PodField::ALL.map(|field| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || env.with(|e| e.values().any(|f| *f == field)) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(Box::new(move |e| {
                            e.retain(|_, f| *f != field);
                            if on { e.insert(field.conventional_name().to_string(), field); }
                        }));
                    }/>
                    {format!("{} = {}", field.conventional_name(), field.as_str())}
                </label>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn ProcessForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base);
    let at = move |key: &str| base.with_value(|b| b.key(key));
    view! {
        <details class="process" data-testid="process">
            <summary>"Start and stop"</summary>
            <div class="row">
                {list_input("Command (instead of the image's entrypoint)", at("command"), move || read(component, |c| words_text(&c.command)), move |text| {
                    if let Some(command) = words(&text) { edit_component(state, name, |c| c.command = command) }
                })}
                {list_input("Arguments", at("args"), move || read(component, |c| words_text(&c.args)), move |text| {
                    if let Some(args) = words(&text) { edit_component(state, name, |c| c.args = args) }
                })}
            </div>
            <h3>"Variables from the pod"</h3>
            <FieldEnvChecks path=at("fieldEnv") env=Signal::derive(move || read(component, |c| c.field_env.clone()))
                edit={move |f: Edit<BTreeMap<String, PodField>>| edit_component(state, name, |c| f(&mut c.field_env))}/>
            <div class="row">
                // One action only: a sleep replaces a command and a command a sleep.
                {number_input("Wait before stopping (s)", at("preStop").key("sleep"), move || read(component, |c| match c.pre_stop {
                    Some(PreStop::Sleep(n)) => Some(n),
                    _ => None,
                }), move |n| edit_component(state, name, |c| match n {
                    Some(n) => c.pre_stop = Some(PreStop::Sleep(n)),
                    None => if matches!(c.pre_stop, Some(PreStop::Sleep(_))) { c.pre_stop = None },
                }))}
                {list_input("Or run before stopping (command)", at("preStop").key("exec"), move || read(component, |c| match &c.pre_stop {
                    Some(PreStop::Exec(command)) => words_text(command),
                    _ => String::new(),
                }), move |text| {
                    let Some(command) = words(&text) else { return };
                    edit_component(state, name, |c| if !command.is_empty() {
                        c.pre_stop = Some(PreStop::Exec(command));
                    } else if matches!(c.pre_stop, Some(PreStop::Exec(_))) {
                        c.pre_stop = None;
                    });
                })}
                {number_input("Grace period (s)", at("terminationGracePeriodSeconds"), move || read(component, |c| c.termination_grace_period_seconds),
                    move |n| edit_component(state, name, |c| c.termination_grace_period_seconds = n))}
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_with_their_quotes() {
        let typed = vec!["sh".to_string(), "-c".to_string(), "exec uvicorn app:main".to_string()];
        assert_eq!(words(&words_text(&typed)), Some(typed));
        assert_eq!(words("sh -c 'half"), None, "an open quote changes nothing yet");
    }
}
