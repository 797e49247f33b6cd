//! A component's volumes and where its container mounts them, folded away by default: each
//! volume's name, source (and the source's size or class), and its mount path.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{Component, Volume, VolumeMount};
use leptos::prelude::*;

use super::form::{edit_component, field_id, read, text_input, ComponentMemo};
use crate::state::AppState;

/// What the form shows for each source of `Volume::SOURCES`.
fn source_label(source: &str) -> &'static str {
    match source {
        "configMap" => "Config keys as files",
        "secret" => "Secret keys as files",
        "persistentVolumeClaim" => "Persistent storage (claim)",
        _ => "Scratch space (emptyDir)",
    }
}

/// The mount path of `volume`'s first mount; empty when the container does not mount it.
pub(super) fn mount_path(c: &Component, volume: &str) -> String {
    c.volume_mounts.iter().find(|m| m.name == volume).map(|m| m.mount_path.clone()).unwrap_or_default()
}

/// Mount `volume` at `path` (its first mount), or stop mounting it when `path` is empty.
pub(super) fn set_mount_path(c: &mut Component, volume: &str, path: String) {
    match c.volume_mounts.iter().position(|m| m.name == volume) {
        Some(i) if path.is_empty() => {
            c.volume_mounts.remove(i);
        }
        Some(i) => c.volume_mounts[i].mount_path = path,
        None if path.is_empty() => {}
        None => {
            c.volume_mounts.push(VolumeMount { name: volume.into(), mount_path: path, read_only: None, sub_path: None })
        }
    }
}

#[component]
pub fn VolumesForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| read(component, |c| c.volumes.keys().cloned().collect::<Vec<_>>()));
    let base = StoredValue::new(base);
    let new_volume = RwSignal::new(String::new());
    let add = move |_| {
        let volume = new_volume.get_untracked().trim().to_string();
        if volume.is_empty() {
            return;
        }
        edit_component(state, name, |c| {
            c.volumes.entry(volume.clone()).or_insert_with(|| Volume::of_source("emptyDir"));
            set_mount_path(c, &volume, format!("/mnt/{volume}"));
        });
        new_volume.set(String::new());
    };
    view! {
        <details class="volumes" data-testid="volumes">
            <summary>{move || format!("Volumes ({})", names.with(Vec::len))}</summary>
            <ul class="rows">
                <For each=move || names.get() key=|v| v.clone() let:volume>
                    <VolumeRow component name volume base=base.get_value()/>
                </For>
            </ul>
            <div class="row">
                <label class="field">
                    <span>"New volume"</span>
                    <input type="text" spellcheck="false" placeholder="e.g. cache" prop:value=move || new_volume.get() on:input=move |ev| new_volume.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=add disabled=move || new_volume.with(|v| v.trim().is_empty())>"Add volume"</button>
            </div>
        </details>
    }
}

/// One volume: its source, the source's one setting, and where the container mounts it.
#[component]
fn VolumeRow(component: ComponentMemo, name: StoredValue<String>, volume: String, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = base.key("volumes").key(&volume);
    let volume = StoredValue::new(volume);
    // A memo, so an edit that keeps the source does not re-create the setting's input (focus).
    let source = Memo::new(move |_| {
        read(component, |c| c.volumes.get(&volume.get_value()).map(Volume::source_name).unwrap_or("emptyDir"))
    });
    let edit_volume = move |f: Box<dyn FnOnce(&mut Volume)>| {
        edit_component(state, name, |c| {
            if let Some(v) = c.volumes.get_mut(&volume.get_value()) {
                f(v)
            }
        })
    };
    let setting = move || match source.get() {
        "emptyDir" => Some(("Size limit", "sizeLimit")),
        "persistentVolumeClaim" => Some(("Size", "size")),
        _ => None,
    };
    view! {
        <li class="row volume" data-volume=volume.get_value()>
            <strong>{volume.get_value()}</strong>
            <label class="field">
                <span>"Source"</span>
                <select id=field_id(&at) prop:value=move || source.get() on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    edit_volume(Box::new(move |v| *v = Volume::of_source(&chosen)));
                }>
                    {Volume::SOURCES.map(|value| view! { <option value=value>{source_label(value)}</option> }).collect_view()}
                </select>
            </label>
            {move || setting().map(|(label, key)| {
                let path = at.key(source.get_untracked()).key(key);
                text_input(label, path, move || read(component, |c| match c.volumes.get(&volume.get_value()) {
                    Some(Volume::EmptyDir(d)) => d.size_limit.clone().unwrap_or_default(),
                    Some(Volume::PersistentVolumeClaim(claim)) => claim.size.clone(),
                    _ => String::new(),
                }), move |text| {
                    let text = text.trim().to_string();
                    edit_volume(Box::new(move |v| match v {
                        Volume::EmptyDir(d) => d.size_limit = (!text.is_empty()).then_some(text),
                        Volume::PersistentVolumeClaim(claim) => claim.size = text,
                        _ => {}
                    }));
                })
            })}
            {text_input("Mount path", base.key("volumeMounts").key(&volume.get_value()), move || read(component, |c| mount_path(c, &volume.get_value())),
                move |path| edit_component(state, name, |c| set_mount_path(c, &volume.get_value(), path.trim().to_string())))}
            <button type="button" class="remove" aria-label=move || format!("Remove volume {}", volume.get_value())
                on:click=move |_| edit_component(state, name, |c| {
                    let v = volume.get_value();
                    c.volumes.remove(&v);
                    c.volume_mounts.retain(|m| m.name != v);
                })>"✕"</button>
        </li>
    }
}
