//! Network isolation, folded away by default: the release's default deny, and per component
//! who may connect to it (`allowFrom`), with one button that admits the traffic the model sees.

use kubeplay_core::allow_from::admit_known_traffic;
use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{AllowFrom, ReleaseNetworkPolicy};
use kubeplay_core::Values;
use leptos::prelude::*;
use std::sync::Arc;

use super::form::{comma_list, edit_component, field_id, list_input, read, text_input, ComponentMemo};
use crate::state::AppState;

/// The release's switch, and the button that fills every component's `allowFrom`.
#[component]
pub fn NetworkForm(values: Memo<Option<Arc<Values>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let isolated = Memo::new(move |_| values.with(|v| v.as_ref().is_some_and(|v| v.network_policy.is_some())));
    let at = FieldPath::root().key("networkPolicy");
    let controller_at = at.key("ingressControllerNamespace");
    view! {
        <section class="group">
            <details class="network" data-testid="network">
                <summary>"Network isolation"</summary>
                <label class="check">
                    <input type="checkbox" id=field_id(&at) prop:checked=move || isolated.get() on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.edit_values(|v| v.network_policy = on.then(ReleaseNetworkPolicy::default));
                    }/>
                    "Isolate every pod (a default-deny NetworkPolicy): each component takes only what it allows"
                </label>
                <Show when=move || isolated.get()>
                    {text_input("Ingress controller namespace", controller_at.clone(), move || values.with(|v| {
                        v.as_ref().and_then(|v| v.network_policy.as_ref()?.ingress_controller_namespace.clone()).unwrap_or_default()
                    }), move |text| state.edit_values(|v| if let Some(p) = v.network_policy.as_mut() {
                        p.ingress_controller_namespace = (!text.trim().is_empty()).then(|| text.trim().to_string());
                    }))}
                    <button type="button" data-testid="admit-known-traffic" on:click=move |_| state.edit_values(|v| *v = admit_known_traffic(v))>
                        "Allow the traffic the graph shows"
                    </button>
                </Show>
            </details>
        </section>
    }
}

/// One component's `allowFrom`: the other components, the ingress controller, anywhere, and
/// namespaces by name. Any of them set gives the component a policy of its own.
#[component]
pub fn AllowFromForm(
    component: ComponentMemo,
    name: StoredValue<String>,
    base: FieldPath,
    #[prop(into)] others: Signal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let whole = base.key("allowFrom");
    let summary_id = field_id(&whole);
    let at = StoredValue::new(whole);
    let at = move |key: &str| at.with_value(|a| a.key(key));
    let allow = move |f: fn(&AllowFrom) -> bool| read(component, |c| c.allow_from.as_ref().is_some_and(f));
    let edit = move |f: Box<dyn FnOnce(&mut AllowFrom)>| {
        edit_component(state, name, |c| f(c.allow_from.get_or_insert_with(AllowFrom::default)))
    };
    let flag =
        move |label: &'static str, key: &'static str, get: fn(&AllowFrom) -> bool, set: fn(&mut AllowFrom, bool)| {
            view! {
                <label class="check">
                    <input type="checkbox" id=field_id(&at(key)) prop:checked=move || allow(get) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(Box::new(move |a| set(a, on)));
                    }/>
                    {label}
                </label>
            }
        };
    view! {
        <details class="allow-from" data-testid="allow-from">
            <summary id=summary_id>"Who may connect"</summary>
            <div class="checks" id=field_id(&at("components"))>
                <For each=move || others.get() key=|k| k.clone() let:other>
                    {
                        let other = StoredValue::new(other);
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || read(component, |c| c.allow_from.as_ref().is_some_and(|a| a.components.contains(&other.get_value()))) on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let other = other.get_value();
                                    edit(Box::new(move |a| {
                                        a.components.retain(|c| *c != other);
                                        if on { a.components.push(other) }
                                    }));
                                }/>
                                {move || other.get_value()}
                            </label>
                        }
                    }
                </For>
            </div>
            {flag("The ingress controller", "ingressController", |a| a.ingress_controller, |a, on| a.ingress_controller = on)}
            {flag("Anywhere (for a LoadBalancer or NodePort)", "anywhere", |a| a.anywhere, |a, on| a.anywhere = on)}
            {list_input("Namespaces (comma-separated)", at("namespaces"), move || read(component, |c| c.allow_from.as_ref().map(|a| a.namespaces.join(", ")).unwrap_or_default()), move |text| {
                let namespaces = comma_list(&text);
                edit(Box::new(move |a| a.namespaces = namespaces));
            })}
            <Show when=move || read(component, |c| c.allow_from.is_some())>
                <button type="button" on:click=move |_| edit_component(state, name, |c| c.allow_from = None)>"No policy of its own"</button>
            </Show>
        </details>
    }
}
