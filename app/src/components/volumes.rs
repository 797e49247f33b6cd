//! A component's volumes and where its container mounts them, folded away by default: each
//! volume's name, source and the source's settings (a size, a claim's class and access modes,
//! which keys become which files), and its mount (path, read-only, sub path).

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{
    AccessMode, Claim, Component, EmptyDirMedium, EmptyDirVolume, KeyFiles, Volume, VolumeMount, DEFAULT_STORAGE_CLASS,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

use super::form::{
    add_named, edit_component, field_id, list_input, moving_text_input, optional_text_input, read, text_input,
    ComponentMemo, Edit,
};
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
fn mount_path(c: &Component, volume: &str) -> String {
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
    let add = move |volume: String| {
        edit_component(state, name, |c| {
            c.volumes.entry(volume.clone()).or_insert_with(|| Volume::of_source("emptyDir"));
            set_mount_path(c, &volume, format!("/mnt/{volume}"));
        })
    };
    view! {
        <details class="volumes" data-testid="volumes">
            <summary>{move || format!("Volumes ({})", names.with(Vec::len))}</summary>
            <ul class="rows">
                <For each=move || names.get() key=|v| v.clone() let:volume>
                    <VolumeRow component name volume base=base.get_value()/>
                </For>
            </ul>
            {add_named("New volume", "e.g. cache", "Add volume", |_| true, add)}
        </details>
    }
}

/// One volume: its source, the source's settings, and where the container mounts it.
#[component]
fn VolumeRow(component: ComponentMemo, name: StoredValue<String>, volume: String, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = StoredValue::new(base.key("volumes").key(&volume));
    let volume = StoredValue::new(volume);
    // A memo, so an edit that keeps the source does not re-create the settings' inputs (focus).
    let source = Memo::new(move |_| {
        read(component, |c| c.volumes.get(&volume.get_value()).map(Volume::source_name).unwrap_or("emptyDir"))
    });
    let edit_volume = move |f: Edit<Volume>| {
        edit_component(state, name, |c| {
            if let Some(v) = c.volumes.get_mut(&volume.get_value()) {
                f(v)
            }
        })
    };
    let current = move || read(component, |c| c.volumes.get(&volume.get_value()).cloned());
    let settings = move || {
        let source = source.get();
        let at = at.with_value(|a| a.key(source));
        match source {
            "persistentVolumeClaim" => view! {
                <ClaimFields at
                    claim=Signal::derive(move || match current() { Some(Volume::PersistentVolumeClaim(c)) => Some(c), _ => None })
                    edit={move |f: Edit<Claim>| edit_volume(Box::new(move |v| if let Volume::PersistentVolumeClaim(c) = v { f(c) }))}/>
            }
            .into_any(),
            "configMap" | "secret" => view! {
                <KeyFilesFields at
                    files=Signal::derive(move || match current() { Some(Volume::ConfigMap(f) | Volume::Secret(f)) => Some(f), _ => None })
                    edit={move |f: Edit<KeyFiles>| edit_volume(Box::new(move |v| if let Volume::ConfigMap(k) | Volume::Secret(k) = v { f(k) }))}/>
            }
            .into_any(),
            _ => view! {
                <EmptyDirFields at
                    dir=Signal::derive(move || match current() { Some(Volume::EmptyDir(d)) => Some(d), _ => None })
                    edit={move |f: Edit<EmptyDirVolume>| edit_volume(Box::new(move |v| if let Volume::EmptyDir(d) = v { f(d) }))}/>
            }
            .into_any(),
        }
    };
    view! {
        <li class="row volume" data-volume=volume.get_value()>
            <strong>{volume.get_value()}</strong>
            <label class="field">
                <span>"Source"</span>
                <select id=field_id(&at.get_value()) prop:value=move || source.get() on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    edit_volume(Box::new(move |v| *v = Volume::of_source(&chosen)));
                }>
                    {Volume::SOURCES.map(|value| view! { <option value=value>{source_label(value)}</option> }).collect_view()}
                </select>
            </label>
            {settings}
            <MountOptions component name volume base=base.clone()/>
            <button type="button" class="remove" aria-label=move || format!("Remove volume {}", volume.get_value())
                on:click=move |_| edit_component(state, name, |c| {
                    let v = volume.get_value();
                    c.volumes.remove(&v);
                    c.volume_mounts.retain(|m| m.name != v);
                })>"✕"</button>
        </li>
    }
}

/// Scratch space: how much it may hold, and whether it lives in memory.
#[component]
fn EmptyDirFields(
    at: FieldPath,
    #[prop(into)] dir: Signal<Option<EmptyDirVolume>>,
    edit: impl Fn(Edit<EmptyDirVolume>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let get = move |f: fn(&EmptyDirVolume) -> Option<String>| dir.with(|d| d.as_ref().and_then(f).unwrap_or_default());
    view! {
        {text_input("Size limit", at.key("sizeLimit"), move || get(|d| d.size_limit.clone()), move |text| {
            let text = text.trim().to_string();
            edit(Box::new(move |d| d.size_limit = (!text.is_empty()).then_some(text)))
        })}
        <label class="check">
            <input type="checkbox" id=field_id(&at.key("medium")) prop:checked=move || dir.with(|d| d.as_ref().is_some_and(|d| d.medium.is_some()))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit(Box::new(move |d| d.medium = on.then_some(EmptyDirMedium::Memory)))
                }/>
            "In memory (tmpfs, counted as the container's memory)"
        </label>
    }
}

/// Keys as files: which key goes to which file (none: every key, by its name) and the files'
/// permission bits, typed in octal as `chmod` takes them.
#[component]
fn KeyFilesFields(
    at: FieldPath,
    #[prop(into)] files: Signal<Option<KeyFiles>>,
    edit: impl Fn(Edit<KeyFiles>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        {list_input("Files (KEY=path, by commas; empty: every key)", at.key("items"), move || files.with(|f| {
            f.as_ref().map(|f| f.items.iter().map(|(key, path)| format!("{key}={path}")).collect::<Vec<_>>().join(", ")).unwrap_or_default()
        }), move |text| {
            if let Some(items) = key_paths(&text) { edit(Box::new(move |f| f.items = items)) }
        })}
        {list_input("File mode (octal, e.g. 0440)", at.key("defaultMode"), move || files.with(|f| {
            f.as_ref().and_then(|f| f.default_mode).map(|m| format!("{m:04o}")).unwrap_or_default()
        }), move |text| {
            let text = text.trim();
            if text.is_empty() {
                edit(Box::new(|f| f.default_mode = None))
            } else if let Ok(mode) = i32::from_str_radix(text, 8) {
                edit(Box::new(move |f| f.default_mode = Some(mode)))
            }
        })}
    }
}

/// `KEY=path` pairs typed by commas; `None` while one has no `=` (half typed).
fn key_paths(text: &str) -> Option<BTreeMap<String, String>> {
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map(|(key, path)| (key.trim().to_string(), path.trim().to_string())))
        .collect()
}

/// A claim's size, storage class and access modes: a claim volume's and a claim template's.
#[component]
pub(super) fn ClaimFields(
    at: FieldPath,
    #[prop(into)] claim: Signal<Option<Claim>>,
    edit: impl Fn(Edit<Claim>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let has = move |mode: AccessMode| claim.with(|c| c.as_ref().is_some_and(|c| c.access_modes.contains(&mode)));
    view! {
        {text_input("Size", at.key("size"), move || claim.with(|c| c.as_ref().map(|c| c.size.clone()).unwrap_or_default()), move |s| {
            let s = s.trim().to_string();
            edit(Box::new(move |c| c.size = s))
        })}
        // Empty is the model's default class, shown as the placeholder.
        {optional_text_input("Storage class", at.key("storageClassName"), DEFAULT_STORAGE_CLASS,
            move || claim.with(|c| c.as_ref().and_then(|c| c.storage_class_name.clone())),
            move |class| edit(Box::new(move |c| c.storage_class_name = class)))}
        <div class="checks" id=field_id(&at.key("accessModes")) role="group" aria-label="Access modes">
            {AccessMode::ALL.map(|mode| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || has(mode) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(Box::new(move |c| {
                            c.access_modes.retain(|m| *m != mode);
                            if on { c.access_modes.push(mode) }
                        }))
                    }/>
                    {mode.as_str()}
                </label>
            }).collect_view()}
        </div>
    }
}

/// Where the container mounts `volume` (its first mount; emptied, none), and, while it is
/// mounted, whether it may write to it and which part of it it sees.
#[component]
pub(super) fn MountOptions(
    component: ComponentMemo,
    name: StoredValue<String>,
    volume: StoredValue<String>,
    base: FieldPath,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mounts = StoredValue::new(base.key("volumeMounts"));
    // Its place in the list names the inputs; a memo, so typing does not re-create them.
    let index =
        Memo::new(move |_| read(component, |c| c.volume_mounts.iter().position(|m| m.name == volume.get_value())));
    let edit = move |f: Edit<VolumeMount>| {
        edit_component(state, name, |c| {
            if let Some(m) = c.volume_mounts.iter_mut().find(|m| m.name == volume.get_value()) {
                f(m)
            }
        })
    };
    let get = move |i: usize, f: fn(&VolumeMount) -> Option<String>| {
        read(component, |c| c.volume_mounts.get(i).and_then(f).unwrap_or_default())
    };
    let options = move || {
        index.get().map(|i| {
            let at = move |key: &str| mounts.with_value(|m| m.index(i).key(key));
            view! {
                <label class="check">
                    <input type="checkbox" id=field_id(&at("readOnly")) prop:checked=move || read(component, |c| c.volume_mounts.get(i).and_then(|m| m.read_only).unwrap_or(false))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(Box::new(move |m| m.read_only = on.then_some(true)))
                        }/>
                    "Read-only"
                </label>
                {text_input("Sub path (one file or folder of it)", at("subPath"), move || get(i, |m| m.sub_path.clone()), move |s| {
                    let s = s.trim().to_string();
                    edit(Box::new(move |m| m.sub_path = (!s.is_empty()).then_some(s)))
                })}
            }
        })
    };
    view! {
        // Named by its place in the list once mounted; one input throughout, so focus stays.
        {moving_text_input("Mount path", move || index.get().map(|i| mounts.with_value(|m| m.index(i).key("mountPath"))),
            move || read(component, |c| mount_path(c, &volume.get_value())),
            move |path| edit_component(state, name, |c| set_mount_path(c, &volume.get_value(), path.trim().to_string())))}
        {options}
    }
}
