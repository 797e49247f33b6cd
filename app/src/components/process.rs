//! How a component's container starts and stops, folded away by default: its command and
//! arguments, variables from the pod's own fields, a graceful shutdown, and what it may do
//! (capabilities and seccomp).

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{PodField, PreStop};
use leptos::prelude::*;

use super::form::{edit_component, field_id, list_input, read, ComponentMemo};
use crate::state::AppState;

/// Words as a shell would quote them, so a word with spaces survives the round trip.
pub(super) fn words_text(words: &[String]) -> String {
    shlex::try_join(words.iter().map(String::as_str)).unwrap_or_else(|_| words.join(" "))
}

/// The words of a line typed with shell quoting; `None` while a quote is open (half typed).
pub(super) fn words(text: &str) -> Option<Vec<String>> {
    shlex::split(text)
}

#[component]
pub fn ProcessForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base);
    let at = move |key: &str| base.with_value(|b| b.key(key));
    let sleep = move || {
        read(component, |c| match c.pre_stop {
            Some(PreStop::Sleep(n)) => n.to_string(),
            _ => String::new(),
        })
    };
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
            <div class="checks" id=field_id(&at("fieldEnv"))>
                {PodField::ALL.map(|field| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || read(component, |c| c.field_env.values().any(|f| *f == field)) on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit_component(state, name, |c| {
                                c.field_env.retain(|_, f| *f != field);
                                if on { c.field_env.insert(field.conventional_name().to_string(), field); }
                            });
                        }/>
                        {format!("{} = {}", field.conventional_name(), field.as_str())}
                    </label>
                }).collect_view()}
            </div>
            <div class="row">
                <label class="field narrow">
                    <span>"Wait before stopping (s)"</span>
                    <input id=field_id(&at("preStop").key("sleep")) type="number" inputmode="numeric" min="1" prop:value=sleep on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let text = text.trim();
                        if text.is_empty() {
                            edit_component(state, name, |c| if matches!(c.pre_stop, Some(PreStop::Sleep(_))) { c.pre_stop = None });
                        } else if let Ok(n) = text.parse() {
                            edit_component(state, name, |c| c.pre_stop = Some(PreStop::Sleep(n)));
                        }
                    }/>
                </label>
                <label class="field narrow">
                    <span>"Grace period (s)"</span>
                    <input id=field_id(&at("terminationGracePeriodSeconds")) type="number" inputmode="numeric" min="0"
                        prop:value=move || read(component, |c| c.termination_grace_period_seconds.map(|n| n.to_string()).unwrap_or_default())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            let text = text.trim();
                            if text.is_empty() {
                                edit_component(state, name, |c| c.termination_grace_period_seconds = None);
                            } else if let Ok(n) = text.parse() {
                                edit_component(state, name, |c| c.termination_grace_period_seconds = Some(n));
                            }
                        }/>
                </label>
            </div>
            <label class="check">
                <input type="checkbox" id=field_id(&at("securityContext").key("capabilities")) prop:checked=move || read(component, |c| c.security_context.is_restricted()) on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit_component(state, name, |c| {
                        if on {
                            c.security_context.restricted();
                        } else {
                            c.security_context.capabilities = None;
                            c.security_context.seccomp_profile = None;
                        }
                    });
                }/>
                "Drop every capability and use the runtime's seccomp filter (Pod Security restricted asks both)"
            </label>
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
