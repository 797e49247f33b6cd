//! A component's init containers, folded away by default: each runs to completion, in order,
//! before the app's container starts (a migration, waiting for a dependency).

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::InitContainer;
use leptos::prelude::*;

use super::form::{edit_component, field_id, list_input, read, text_input, ComponentMemo};
use super::process::{words, words_text};
use crate::state::AppState;

#[component]
pub fn InitContainersForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base.key("initContainers"));
    let count = Memo::new(move |_| read(component, |c| c.init_containers.len()));
    let new_name = RwSignal::new(String::new());
    let add = move |_| {
        let init = new_name.get_untracked().trim().to_string();
        if init.is_empty() {
            return;
        }
        edit_component(state, name, |c| {
            let added = c.new_init_container(&init);
            c.init_containers.push(added)
        });
        new_name.set(String::new());
    };
    let row = move |i: usize| {
        let at = move |key: &str| base.with_value(|b| b.index(i).key(key));
        let edit = move |f: Box<dyn FnOnce(&mut InitContainer)>| {
            edit_component(state, name, |c| {
                if let Some(init) = c.init_containers.get_mut(i) {
                    f(init)
                }
            })
        };
        let get = move |f: fn(&InitContainer) -> String| {
            read(component, |c| c.init_containers.get(i).map(f).unwrap_or_default())
        };
        view! {
            <li class="row">
                {text_input("Name", at("name"), move || get(|c| c.name.clone()), move |s| edit(Box::new(move |c| c.name = s)))}
                {text_input("Image", at("image").key("repository"), move || get(|c| c.image.repository.clone()), move |s| edit(Box::new(move |c| c.image.repository = s)))}
                {text_input("Tag", at("image").key("tag"), move || get(|c| c.image.tag.clone()), move |s| edit(Box::new(move |c| c.image.tag = s)))}
                {list_input("Command", at("command"), move || get(|c| words_text(&c.command)), move |text| {
                    if let Some(command) = words(&text) { edit(Box::new(move |c| c.command = command)) }
                })}
                <button type="button" class="remove" on:click=move |_| edit_component(state, name, |c| {
                    if i < c.init_containers.len() { c.init_containers.remove(i); }
                })>"Remove"</button>
            </li>
        }
    };
    view! {
        <details class="init-containers" data-testid="init-containers">
            <summary id=field_id(&base.get_value())>"Init containers"</summary>
            <ol class="rows">
                {move || (0..count.get()).map(row).collect_view()}
            </ol>
            <div class="row">
                <label class="field">
                    <span>"New init container"</span>
                    <input type="text" placeholder="e.g. migrate" prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=add disabled=move || new_name.get().trim().is_empty()>"Add init container"</button>
            </div>
        </details>
    }
}
