//! A component's init containers, folded away by default: each runs to completion, in order,
//! before the app's container starts (a migration, waiting for a dependency). Each has the
//! app container's inputs for what it runs, its environment and its security settings.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{InitContainer, PodField, SecurityContext};
use leptos::prelude::*;
use std::collections::BTreeMap;

use super::form::{
    add_named, edit_component, field_id, list_input, pull_policy_select, read, text_input, ComponentMemo, Edit,
    EntriesEdit, KeyChecks, KeyValueList,
};
use super::process::{words, words_text, FieldEnvChecks};
use super::security::SecurityForm;
use crate::state::AppState;

/// One part of init container `i`, read reactively (its default while there is none).
fn part<T: Default + Send + Sync + 'static>(
    component: ComponentMemo,
    i: usize,
    f: fn(&InitContainer) -> T,
) -> Signal<T> {
    Signal::derive(move || read(component, |c| c.init_containers.get(i).map(f).unwrap_or_default()))
}

/// `release_config` and `release_secrets`: the release's keys, which an init container may take.
#[component]
pub fn InitContainersForm(
    component: ComponentMemo,
    name: StoredValue<String>,
    base: FieldPath,
    #[prop(into)] release_config: Signal<Vec<String>>,
    #[prop(into)] release_secrets: Signal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base.key("initContainers"));
    let count = Memo::new(move |_| read(component, |c| c.init_containers.len()));
    let row = move |i: usize| {
        let at = move |key: &str| base.with_value(|b| b.index(i).key(key));
        let edit = move |f: Edit<InitContainer>| {
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
                {pull_policy_select(at("image").key("pullPolicy"), move || read(component, |c| c.init_containers.get(i).and_then(|c| c.image.pull_policy)),
                    move |policy| edit(Box::new(move |c| c.image.pull_policy = policy)))}
                {list_input("Command", at("command"), move || get(|c| words_text(&c.command)), move |text| {
                    if let Some(command) = words(&text) { edit(Box::new(move |c| c.command = command)) }
                })}
                {list_input("Arguments", at("args"), move || get(|c| words_text(&c.args)), move |text| {
                    if let Some(args) = words(&text) { edit(Box::new(move |c| c.args = args)) }
                })}
                <details class="init-env" data-testid="init-env">
                    <summary>"Environment"</summary>
                    <KeyValueList title="Environment variables" base=at("env") secret=false entries=part(component, i, |c| c.env.clone())
                        write={move |f: EntriesEdit| edit(Box::new(move |c| f(&mut c.env)))}/>
                    <h3>"Config keys it takes"</h3>
                    <KeyChecks path=at("configKeys") release=release_config taken=part(component, i, |c| c.config_keys.clone())
                        edit={move |f: Edit<Vec<String>>| edit(Box::new(move |c| f(&mut c.config_keys)))}/>
                    <h3>"Secret keys it takes"</h3>
                    <KeyChecks path=at("secretKeys") release=release_secrets taken=part(component, i, |c| c.secret_keys.clone())
                        edit={move |f: Edit<Vec<String>>| edit(Box::new(move |c| f(&mut c.secret_keys)))}/>
                    <h3>"Variables from the pod"</h3>
                    <FieldEnvChecks path=at("fieldEnv") env=part(component, i, |c| c.field_env.clone())
                        edit={move |f: Edit<BTreeMap<String, PodField>>| edit(Box::new(move |c| f(&mut c.field_env)))}/>
                </details>
                <SecurityForm base=at("securityContext") context=part(component, i, |c| c.security_context.clone())
                    edit={move |f: Edit<SecurityContext>| edit(Box::new(move |c| f(&mut c.security_context)))}/>
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
            {add_named("New init container", "e.g. migrate", "Add init container", |_| true, move |init| edit_component(state, name, |c| {
                let added = c.new_init_container(&init);
                c.init_containers.push(added)
            }))}
        </details>
    }
}
