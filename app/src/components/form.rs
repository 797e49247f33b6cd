//! The values form: every field a user tunes, per component. Edits are applied to the typed
//! values and written back as the text (`Values::to_yaml`), so the text stays the one source.
//! Inputs read their value reactively but are never re-created while typing, so focus stays.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{
    Component, ContainerPort, KindField, PortRef, PullPolicy, SecurityContext, ServiceSpec, ServiceType,
};
use kubeplay_core::Values;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::state::AppState;

/// The id of the input that edits `path`, so a problem can focus it.
pub fn field_id(path: &FieldPath) -> String {
    format!("f-{path}")
}

fn path(keys: &[&str]) -> FieldPath {
    keys.iter().fold(FieldPath::root(), |p, k| p.key(k))
}

type ValuesMemo = Memo<Option<Arc<Values>>>;
pub(super) type ComponentMemo = Memo<Option<Component>>;
/// One change to a part of the values, handed to whoever owns that part to apply in its edit.
pub(super) type Edit<T> = Box<dyn FnOnce(&mut T)>;
/// Key/value entries as the values hold them (config, secrets, a component's env).
pub(super) type Entries = BTreeMap<String, String>;
pub(super) type EntriesEdit = Edit<Entries>;

#[component]
pub fn ValuesForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Compared by pointer: the same values (pasted manifests keep the last ones) notify no
    // field, and no deep comparison of a large app runs on every edit.
    let values: ValuesMemo = Memo::new_with_compare(
        move |_| state.computed.with(|c| c.last_valid.clone()),
        |a, b| match (a, b) {
            (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
            (Some(a), Some(b)) => a.is_some() != b.is_some(),
            _ => true,
        },
    );
    let broken = move || !state.computed.with(|c| c.values_ok());
    let names = Memo::new(move |_| {
        values.with(|v| v.as_ref().map(|v| v.components.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let first_error_line = move || {
        state.computed.with(|c| {
            c.analysis
                .diagnostics
                .iter()
                .find_map(|d| d.location.as_ref().filter(|l| l.file == crate::state::VALUES_FILE).map(|l| l.line))
        })
    };
    let new_component = RwSignal::new(String::new());
    let add_component = move |_| {
        let name = new_component.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        let Some(component) = Component::with_image(&name) else { return };
        state.edit_values(|v| {
            v.components.entry(name).or_insert(component);
        });
        new_component.set(String::new());
    };
    let can_add = move || {
        let name = new_component.get();
        let name = name.trim();
        !name.is_empty() && values.with(|v| v.as_ref().is_some_and(|v| !v.components.contains_key(name)))
    };
    view! {
        <Show when=broken>
            <p class="banner warning" role="alert" data-testid="form-banner">
                "values.yaml has an error, so the form shows the last valid values and is read-only until it is fixed. "
                {move || first_error_line().map(|line| view! {
                    <button type="button" class="link" on:click=move |_| state.goto_line.set(Some(line))>{format!("Go to line {line}")}</button>
                })}
            </p>
        </Show>
        <Show when=move || values.with(Option::is_none)>
            <p class="banner info">"No valid values yet: fix the text to use the form."</p>
        </Show>
        <fieldset class="form" disabled=broken>
            <legend class="sr-only">"Values"</legend>
            <section class="group">
                <h2>"Application"</h2>
                <div class="row">
                    {text_input("App name", path(&["appName"]), move || read_values(values, |v| v.app_name.clone()), move |s| state.edit_values(|v| v.app_name = s))}
                    {text_input("Namespace", path(&["namespace"]), move || read_values(values, |v| v.namespace.clone()), move |s| state.edit_values(|v| v.namespace = s))}
                </div>
                <details class="common-labels" data-testid="common-labels">
                    <summary id=field_id(&path(&["commonLabels"]))>"Labels on every resource"</summary>
                    <KeyValueList
                        title="Common labels (not on selectors)"
                        base=path(&["commonLabels"])
                        secret=false
                        placeholder="e.g. team"
                        entries=Signal::derive(move || read_values(values, |v| v.common_labels.clone()))
                        write={move |f: EntriesEdit| state.edit_values(|v| f(&mut v.common_labels))}
                    />
                </details>
            </section>
            <For each=move || names.get() key=|name| name.clone() let:name>
                <ComponentForm name values/>
            </For>
            <super::ingress::IngressForm values/>
            <super::network::NetworkForm values/>
            <section class="group add">
                <h2>"Add a component"</h2>
                <div class="row">
                    <label class="field">
                        <span>"Name"</span>
                        <input id="new-component" type="text" placeholder="e.g. worker" prop:value=move || new_component.get() on:input=move |ev| new_component.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" on:click=add_component disabled=move || !can_add()>"Add component"</button>
                </div>
            </section>
            <KeyValueList
                title="Config (ConfigMap data)"
                base=path(&["config"])
                secret=false
                entries=Signal::derive(move || read_values(values, |v| v.config.clone()))
                write={move |f: EntriesEdit| state.edit_values(|v| f(&mut v.config))}
            />
            <KeyValueList
                title="Secrets (keys; leave values empty in files)"
                base=path(&["secrets"])
                secret=true
                entries=Signal::derive(move || read_values(values, |v| v.secrets.clone()))
                write={move |f: EntriesEdit| state.edit_values(|v| f(&mut v.secrets))}
            />
        </fieldset>
    }
}

fn read_values<T: Default>(values: ValuesMemo, f: impl FnOnce(&Values) -> T) -> T {
    values.with(|v| v.as_deref().map(f).unwrap_or_default())
}

pub(super) fn read<T: Default>(component: ComponentMemo, f: impl FnOnce(&Component) -> T) -> T {
    component.with(|c| c.as_ref().map(f).unwrap_or_default())
}

// Each helper below is generic for its callers' closures but boxes them and builds its view in
// one non-generic function: the view is then compiled once, not once per field of the form.

/// What a field shows, read again when the values change.
type Shown<T> = Box<dyn Fn() -> T + Send + Sync>;
/// What an edit of a field does with what was typed.
type OnInput<T> = Box<dyn Fn(T)>;

/// A labelled text input bound to one values path.
pub(super) fn text_input(
    label: &'static str,
    path: FieldPath,
    value: impl Fn() -> String + Send + Sync + 'static,
    on_edit: impl Fn(String) + 'static,
) -> AnyView {
    let id = field_id(&path);
    text_field(label, Box::new(move || Some(id.clone())), None, Box::new(value), Box::new(on_edit))
}

/// A labelled text input whose values path moves (a mount's place in its list): its id follows,
/// and it has none while the path does not exist yet.
pub(super) fn moving_text_input(
    label: &'static str,
    path: impl Fn() -> Option<FieldPath> + Send + Sync + 'static,
    value: impl Fn() -> String + Send + Sync + 'static,
    on_edit: impl Fn(String) + 'static,
) -> AnyView {
    text_field(label, Box::new(move || path().map(|p| field_id(&p))), None, Box::new(value), Box::new(on_edit))
}

/// A labelled text input of an optional setting: emptied (or blank) it unsets the field, and
/// `default`, what then applies (core's), shows as the placeholder.
pub(super) fn optional_text_input(
    label: &'static str,
    path: FieldPath,
    default: &'static str,
    value: impl Fn() -> Option<String> + Send + Sync + 'static,
    on_edit: impl Fn(Option<String>) + 'static,
) -> AnyView {
    let id = field_id(&path);
    text_field(
        label,
        Box::new(move || Some(id.clone())),
        Some(default),
        Box::new(move || value().unwrap_or_default()),
        Box::new(move |text: String| {
            let text = text.trim();
            on_edit((!text.is_empty()).then(|| text.to_string()))
        }),
    )
}

fn text_field(
    label: &'static str,
    id: Shown<Option<String>>,
    placeholder: Option<&'static str>,
    value: Shown<String>,
    on_edit: OnInput<String>,
) -> AnyView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input id=id type="text" spellcheck="false" placeholder=placeholder prop:value=value on:input=move |ev| on_edit(event_target_value(&ev))/>
        </label>
    }
    .into_any()
}

/// A labelled select of one of `options` (each choice and its label; its value is `name`, as
/// the values spell it). `unset`, when given, labels a first option that unsets the field.
pub(super) fn choice_select<T: Copy + Send + Sync + 'static>(
    label: &'static str,
    path: FieldPath,
    unset: Option<&'static str>,
    options: impl IntoIterator<Item = (T, &'static str)>,
    name: fn(T) -> &'static str,
    value: impl Fn() -> Option<T> + Send + Sync + 'static,
    on_edit: impl Fn(Option<T>) + 'static,
) -> AnyView {
    let options: Vec<(T, &'static str)> = options.into_iter().collect();
    let named: Vec<(&'static str, &'static str)> = options.iter().map(|(c, label)| (name(*c), *label)).collect();
    let choices: Vec<T> = options.iter().map(|(choice, _)| *choice).collect();
    // The select speaks in names; the choice is found again by its name, and `""` unsets.
    let edit = move |text: String| match choices.iter().copied().find(|c| name(*c) == text) {
        Some(choice) => on_edit(Some(choice)),
        None if unset.is_some() && text.is_empty() => on_edit(None),
        None => {}
    };
    select_field(label, field_id(&path), unset, named, Box::new(move || value().map_or("", name)), Box::new(edit))
}

fn select_field(
    label: &'static str,
    id: String,
    unset: Option<&'static str>,
    options: Vec<(&'static str, &'static str)>,
    value: Shown<&'static str>,
    on_edit: OnInput<String>,
) -> AnyView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select id=id prop:value=value on:change=move |ev| on_edit(event_target_value(&ev))>
                {unset.map(|label| view! { <option value="">{label}</option> })}
                {options.into_iter().map(|(name, label)| view! { <option value=name>{label}</option> }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

/// An image's pull policy, the app container's or an init container's; unset is Kubernetes' default.
pub(super) fn pull_policy_select(
    path: FieldPath,
    value: impl Fn() -> Option<PullPolicy> + Send + Sync + 'static,
    on_edit: impl Fn(Option<PullPolicy>) + 'static,
) -> AnyView {
    let options = PullPolicy::ALL.map(|p| (p, p.as_str()));
    choice_select("Pull policy", path, Some("(Kubernetes default)"), options, PullPolicy::as_str, value, on_edit)
}

/// A labelled text input for a list typed on one line (words, names by commas): written when
/// the user commits it (Enter or leaving the field), since rewriting the line while typing
/// would swallow the separator just typed.
pub(super) fn list_input(
    label: &'static str,
    path: FieldPath,
    value: impl Fn() -> String + Send + Sync + 'static,
    on_commit: impl Fn(String) + 'static,
) -> AnyView {
    list_field(label, field_id(&path), Box::new(value), Box::new(on_commit))
}

fn list_field(label: &'static str, id: String, value: Shown<String>, on_commit: OnInput<String>) -> AnyView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input id=id type="text" spellcheck="false" prop:value=value on:change=move |ev| on_commit(event_target_value(&ev))/>
        </label>
    }
    .into_any()
}

/// A name to type and the button that adds what it names (trimmed), which then empties the
/// name; the button waits for a name that is not blank and that `accepts` (not taken).
pub(super) fn add_named(
    label: &'static str,
    placeholder: &'static str,
    button: &'static str,
    accepts: impl Fn(&str) -> bool + Send + Sync + 'static,
    add: impl Fn(String) + 'static,
) -> AnyView {
    add_named_field(label, placeholder, button, std::sync::Arc::new(accepts), Box::new(add))
}

fn add_named_field(
    label: &'static str,
    placeholder: &'static str,
    button: &'static str,
    accepts: std::sync::Arc<dyn Fn(&str) -> bool + Send + Sync>,
    add: OnInput<String>,
) -> AnyView {
    let typed = RwSignal::new(String::new());
    let ready = move |name: &str| !name.is_empty() && accepts(name);
    let ready_to_add = ready.clone();
    view! {
        <div class="row">
            <label class="field">
                <span>{label}</span>
                <input type="text" spellcheck="false" placeholder=placeholder prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <button type="button" disabled=move || !typed.with(|t| ready(t.trim())) on:click=move |_| {
                let name = typed.get_untracked().trim().to_string();
                if ready_to_add(&name) {
                    add(name);
                    typed.set(String::new());
                }
            }>{button}</button>
        </div>
    }
    .into_any()
}

/// The names of a list typed by commas (namespaces, hosts), blanks dropped.
pub(super) fn comma_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
}

/// A labelled whole-number input; text that is not a number (half typed) changes nothing,
/// and an emptied one unsets the field.
pub(super) fn number_input<N: std::str::FromStr + ToString + 'static>(
    label: &'static str,
    path: FieldPath,
    value: impl Fn() -> Option<N> + Send + Sync + 'static,
    on_edit: impl Fn(Option<N>) + 'static,
) -> AnyView {
    let shown = move || value().map(|n| n.to_string()).unwrap_or_default();
    let edit = move |text: String| {
        if text.trim().is_empty() {
            on_edit(None)
        } else if let Ok(n) = text.trim().parse() {
            on_edit(Some(n))
        }
    };
    number_field(label, field_id(&path), Box::new(shown), Box::new(edit))
}

fn number_field(label: &'static str, id: String, value: Shown<String>, on_edit: OnInput<String>) -> AnyView {
    view! {
        <label class="field narrow">
            <span>{label}</span>
            <input id=id type="number" inputmode="numeric" prop:value=value on:input=move |ev| on_edit(event_target_value(&ev))/>
        </label>
    }
    .into_any()
}

/// A labelled checkbox for a yes/no field.
pub(super) fn check_input(
    label: &'static str,
    path: FieldPath,
    value: impl Fn() -> bool + Send + Sync + 'static,
    on_edit: impl Fn(bool) + 'static,
) -> AnyView {
    check_field(label, field_id(&path), Box::new(value), Box::new(on_edit))
}

fn check_field(label: &'static str, id: String, value: Shown<bool>, on_edit: OnInput<bool>) -> AnyView {
    view! {
        <label class="check">
            <input type="checkbox" id=id prop:checked=value on:change=move |ev| on_edit(event_target_checked(&ev))/>
            {label}
        </label>
    }
    .into_any()
}

/// A port given by number or name, as typed.
pub(super) fn port_ref(text: &str) -> PortRef {
    match text.trim().parse() {
        Ok(n) => PortRef::Number(n),
        Err(_) => PortRef::Name(text.trim().to_string()),
    }
}

pub(super) fn port_text(port: &PortRef) -> String {
    match port {
        PortRef::Number(n) => n.to_string(),
        PortRef::Name(s) => s.clone(),
    }
}

/// Config or secret entries: key (renamed on change, so typing does not reorder rows) and value.
#[component]
pub(super) fn KeyValueList(
    title: &'static str,
    base: FieldPath,
    secret: bool,
    /// An example of a new key.
    #[prop(default = "e.g. LOG_LEVEL")]
    placeholder: &'static str,
    #[prop(into)] entries: Signal<Entries>,
    write: impl Fn(EntriesEdit) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let keys = Memo::new(move |_| entries.with(|e| e.keys().cloned().collect::<Vec<_>>()));
    let base = StoredValue::new(base);
    view! {
        <section class="group">
            <h2>{title}</h2>
            <ul class="rows">
                <For each=move || keys.get() key=|k| k.clone() let:key>
                    {
                        let key = StoredValue::new(key);
                        let id = field_id(&base.get_value().key(&key.get_value()));
                        view! {
                            <li class="row">
                                <label class="field">
                                    <span>"Key"</span>
                                    <input type="text" spellcheck="false" prop:value=move || key.get_value() on:change=move |ev| {
                                        let renamed = event_target_value(&ev).trim().to_string();
                                        let old = key.get_value();
                                        if !renamed.is_empty() && renamed != old {
                                            write(Box::new(move |map| {
                                                if let Some(v) = map.remove(&old) { map.insert(renamed, v); }
                                            }));
                                        }
                                    }/>
                                </label>
                                <label class="field">
                                    <span>"Value"</span>
                                    <input id=id type=if secret { "password" } else { "text" } spellcheck="false" autocomplete="off"
                                        prop:value=move || entries.with(|e| e.get(&key.get_value()).cloned().unwrap_or_default())
                                        on:input=move |ev| {
                                            let value = event_target_value(&ev);
                                            let key = key.get_value();
                                            write(Box::new(move |map| { map.insert(key, value); }));
                                        }/>
                                </label>
                                <button type="button" class="remove" aria-label=move || format!("Remove {}", key.get_value())
                                    on:click=move |_| { let key = key.get_value(); write(Box::new(move |map| { map.remove(&key); })) }>"✕"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {add_named("New key", placeholder, "Add key", |_| true, move |key| write(Box::new(move |map| {
                map.entry(key).or_default();
            })))}
        </section>
    }
}

pub(super) fn edit_component(state: AppState, name: StoredValue<String>, f: impl FnOnce(&mut Component)) {
    let name = name.get_value();
    state.edit_values(|v| {
        if let Some(c) = v.components.get_mut(&name) {
            f(c)
        }
    });
}

/// The port a new probe or Service points at: the component's first port, by name when it has one.
pub(super) fn first_port(c: &Component) -> PortRef {
    match c.ports.first() {
        Some(p) if !p.name.is_empty() => PortRef::Name(p.name.clone()),
        Some(p) => PortRef::Number(p.container_port),
        None => PortRef::Number(0),
    }
}

#[component]
fn ComponentForm(name: String, values: ValuesMemo) -> impl IntoView {
    let state = expect_context::<AppState>();
    let component: ComponentMemo = {
        let name = name.clone();
        Memo::new(move |_| values.with(|v| v.as_ref().and_then(|v| v.components.get(&name).cloned())))
    };
    let base = path(&["components", &name]);
    let at = move |keys: &[&str]| keys.iter().fold(base.clone(), |p, k| p.key(k));
    let title = name.clone();
    let name = StoredValue::new(name);
    let port_count = Memo::new(move |_| read(component, |c| c.ports.len()));
    let has_service = move || read(component, |c| c.service.is_some());
    // Fields only some kinds use show for those kinds, and while set, so a finding can focus them.
    let scaled = Memo::new(move |_| read(component, |c| c.shows(&[KindField::Replicas])));
    let served = Memo::new(move |_| read(component, |c| c.shows(&[KindField::Service])));
    // The release's keys, which any of its containers may take.
    let release_config = Signal::derive(move || read_values(values, |v| v.config.keys().cloned().collect::<Vec<_>>()));
    let release_secrets =
        Signal::derive(move || read_values(values, |v| v.secrets.keys().cloned().collect::<Vec<_>>()));
    let replicas_path = StoredValue::new(at(&["replicas"]));
    let ports_path = StoredValue::new(at(&["ports"]));
    let env_path = StoredValue::new(at(&["env"]));
    let service_path = StoredValue::new(at(&["service"]));
    view! {
        <section class="group component" aria-label=format!("Component {title}") data-component=title.clone()>
            <div class="component-head">
                <h2>{title.clone()}</h2>
                <button type="button" class="remove" on:click=move |_| { let n = name.get_value(); state.edit_values(|v| { v.components.remove(&n); }) }>
                    {format!("Remove {title}")}
                </button>
            </div>
            <div class="row">
                {text_input("Image", at(&["image", "repository"]), move || read(component, |c| c.image.repository.clone()), move |s| edit_component(state, name, |c| c.image.repository = s))}
                {text_input("Tag", at(&["image", "tag"]), move || read(component, |c| c.image.tag.clone()), move |s| edit_component(state, name, |c| c.image.tag = s))}
                {pull_policy_select(at(&["image", "pullPolicy"]), move || read(component, |c| c.image.pull_policy),
                    move |policy| edit_component(state, name, |c| c.image.pull_policy = policy))}
                <Show when=move || scaled.get()>
                    {number_input("Replicas", replicas_path.get_value(), move || read(component, |c| c.replicas), move |n| if let Some(n) = n { edit_component(state, name, |c| c.replicas = Some(n)) })}
                </Show>
            </div>

            <h3>"Ports"</h3>
            <ul class="rows">
                <For each=move || 0..port_count.get() key=|i| *i let:i>
                    <li class="row">
                        {text_input("Port name", ports_path.get_value().index(i).key("name"), move || read(component, |c| c.ports.get(i).map(|p| p.name.clone()).unwrap_or_default()),
                            move |s| edit_component(state, name, |c| if let Some(p) = c.ports.get_mut(i) { p.name = s }))}
                        {number_input("Container port", ports_path.get_value().index(i).key("containerPort"), move || read(component, |c| c.ports.get(i).map(|p| p.container_port)),
                            move |n| if let Some(n) = n { edit_component(state, name, |c| if let Some(p) = c.ports.get_mut(i) { p.container_port = n }) })}
                        <button type="button" class="remove" aria-label=format!("Remove port {}", i + 1) on:click=move |_| edit_component(state, name, |c| { if i < c.ports.len() { c.ports.remove(i); } })>"✕"</button>
                    </li>
                </For>
            </ul>
            <button type="button" on:click=move |_| edit_component(state, name, |c| c.ports.push(ContainerPort { name: String::new(), container_port: 0 }))>"Add port"</button>

            <h3 hidden=move || !served.get()>
                <label class="check">
                    <input type="checkbox" id=field_id(&service_path.get_value()) prop:checked=has_service on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit_component(state, name, |c| {
                            c.service = on.then(|| ServiceSpec {
                                type_: ServiceType::ClusterIP,
                                port: c.ports.first().map(|p| p.container_port).unwrap_or(0),
                                target_port: first_port(c),
                                node_port: None,
                            });
                        });
                    }/>
                    "Service"
                </label>
            </h3>
            <Show when=has_service>
                <div class="row">
                    {choice_select("Type", service_path.get_value().key("type"), None, ServiceType::ALL.map(|t| (t, t.as_str())), ServiceType::as_str,
                        move || read(component, |c| c.service.as_ref().map(|s| s.type_)),
                        move |kind| if let Some(kind) = kind { edit_component(state, name, |c| if let Some(s) = c.service.as_mut() { s.type_ = kind }) })}
                    {number_input("Service port", service_path.get_value().key("port"), move || read(component, |c| c.service.as_ref().map(|s| s.port)),
                        move |n| if let Some(n) = n { edit_component(state, name, |c| if let Some(s) = c.service.as_mut() { s.port = n }) })}
                    {text_input("Target port (number or name)", service_path.get_value().key("targetPort"), move || read(component, |c| c.service.as_ref().map(|s| port_text(&s.target_port)).unwrap_or_default()),
                        move |t| edit_component(state, name, |c| if let Some(s) = c.service.as_mut() { s.target_port = port_ref(&t) }))}
                    // Only NodePort and LoadBalancer Services open node ports (shown while set, for its finding).
                    <Show when=move || read(component, |c| c.service.as_ref().is_some_and(|s| s.type_.opens_node_ports() || s.node_port.is_some()))>
                        {number_input("Node port (empty: Kubernetes picks)", service_path.get_value().key("nodePort"), move || read(component, |c| c.service.as_ref().and_then(|s| s.node_port)),
                            move |n| edit_component(state, name, |c| if let Some(s) = c.service.as_mut() { s.node_port = n }))}
                    </Show>
                </div>
            </Show>

            <super::probes::ProbesForm component name base=at(&[])/>

            <h3>"Resources"</h3>
            <div class="row">
                {resource_input("CPU request", at(&["resources", "requests", "cpu"]), component, state, name, |c| &mut c.resources.requests.cpu, |c| c.resources.requests.cpu.clone())}
                {resource_input("Memory request", at(&["resources", "requests", "memory"]), component, state, name, |c| &mut c.resources.requests.memory, |c| c.resources.requests.memory.clone())}
                {resource_input("CPU limit", at(&["resources", "limits", "cpu"]), component, state, name, |c| &mut c.resources.limits.cpu, |c| c.resources.limits.cpu.clone())}
                {resource_input("Memory limit", at(&["resources", "limits", "memory"]), component, state, name, |c| &mut c.resources.limits.memory, |c| c.resources.limits.memory.clone())}
            </div>

            <KeyValueList
                title="Environment variables"
                base=env_path.get_value()
                secret=false
                entries=Signal::derive(move || read(component, |c| c.env.clone()))
                write={move |f: EntriesEdit| edit_component(state, name, |c| f(&mut c.env))}
            />

            <super::volumes::VolumesForm component name base=at(&[])/>
            <super::process::ProcessForm component name base=at(&[])/>
            <super::security::SecurityForm base=at(&["securityContext"])
                context=Signal::derive(move || read(component, |c| c.security_context.clone()))
                edit={move |f: Edit<SecurityContext>| edit_component(state, name, |c| f(&mut c.security_context))}/>
            <super::init_containers::InitContainersForm component name base=at(&[]) release_config release_secrets/>
            <super::workload_kind::KindForm component name base=at(&[])/>
            <super::scaling::ScalingForm component name base=at(&[])/>
            <super::network::AllowFromForm component name base=at(&[]) others=Signal::derive(move || {
                read_values(values, |v| v.components.keys().cloned().collect::<Vec<_>>())
            })/>

            <h3>"Config keys it takes"</h3>
            <KeyChecks path=at(&["configKeys"]) release=release_config taken=Signal::derive(move || read(component, |c| c.config_keys.clone()))
                edit={move |f: Edit<Vec<String>>| edit_component(state, name, |c| f(&mut c.config_keys))}/>
            <h3>"Secret keys it takes"</h3>
            <KeyChecks path=at(&["secretKeys"]) release=release_secrets taken=Signal::derive(move || read(component, |c| c.secret_keys.clone()))
                edit={move |f: Edit<Vec<String>>| edit_component(state, name, |c| f(&mut c.secret_keys))}/>
        </section>
    }
}

/// A CPU or memory quantity; empty means unset.
fn resource_input(
    label: &'static str,
    path: FieldPath,
    component: ComponentMemo,
    state: AppState,
    name: StoredValue<String>,
    slot: fn(&mut Component) -> &mut Option<String>,
    get: fn(&Component) -> Option<String>,
) -> impl IntoView {
    text_input(
        label,
        path,
        move || read(component, |c| get(c).unwrap_or_default()),
        move |s| {
            let s = s.trim().to_string();
            edit_component(state, name, |c| *slot(c) = (!s.is_empty()).then_some(s));
        },
    )
}

/// Which of the release's ConfigMap (or Secret) keys a container takes, each as a variable of
/// its name: a checkbox per key. Keys it takes that the release lacks stay listed, so a finding
/// on one can be fixed here.
#[component]
pub(super) fn KeyChecks(
    path: FieldPath,
    #[prop(into)] release: Signal<Vec<String>>,
    #[prop(into)] taken: Signal<Vec<String>>,
    edit: impl Fn(Edit<Vec<String>>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let keys = Memo::new(move |_| {
        let mut keys = release.get();
        for k in taken.get() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys
    });
    view! {
        <div class="checks" id=field_id(&path)>
            <For each=move || keys.get() key=|k| k.clone() let:key>
                {
                    let key = StoredValue::new(key);
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || taken.with(|t| t.contains(&key.get_value())) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let key = key.get_value();
                                edit(Box::new(move |keys| {
                                    keys.retain(|k| *k != key);
                                    if on { keys.push(key) }
                                }));
                            }/>
                            {move || key.get_value()}
                        </label>
                    }
                }
            </For>
        </div>
    }
}
