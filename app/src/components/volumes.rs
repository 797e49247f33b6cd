//! A component's volumes and where its container mounts them, folded away by default: each
//! volume's name, source and the source's settings (a size, a claim's class and access modes,
//! which keys become which files), and each of its mounts (path, read-only, sub path).

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

#[component]
pub fn VolumesForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| read(component, |c| c.volumes.keys().cloned().collect::<Vec<_>>()));
    let base = StoredValue::new(base);
    let add = move |volume: String| {
        edit_component(state, name, |c| {
            c.volumes.entry(volume.clone()).or_insert_with(|| Volume::of_source("emptyDir"));
            // A new volume is mounted once (core's path); one named again keeps its mounts.
            if !c.volume_mounts.iter().any(|m| m.name == volume) {
                c.mount_new(&volume)
            }
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

/// Every mount of `volume` (one volume may be mounted at several paths, or by parts through
/// sub paths), and a button for one more.
#[component]
pub(super) fn MountOptions(
    component: ComponentMemo,
    name: StoredValue<String>,
    volume: StoredValue<String>,
    base: FieldPath,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mounts = StoredValue::new(base.key("volumeMounts"));
    let count = Memo::new(move |_| {
        read(component, |c| volume.with_value(|v| c.volume_mounts.iter().filter(|m| m.name == *v).count()))
    });
    view! {
        <ul class="rows mounts">
            // Keyed by the mount's place among the volume's own, so a row (and its focus) stays
            // while other volumes' mounts come and go before it.
            <For each=move || 0..count.get() key=|nth| *nth let:nth>
                <MountRow component name volume nth mounts=mounts.get_value()/>
            </For>
        </ul>
        <button type="button" on:click=move |_| edit_component(state, name, |c| c.mount_new(&volume.get_value()))>
            "Add mount"
        </button>
    }
}

/// The place in the component's `volumeMounts` of `volume`'s `nth` mount.
fn nth_mount(c: &Component, volume: &str, nth: usize) -> Option<usize> {
    c.volume_mounts.iter().enumerate().filter(|(_, m)| m.name == volume).nth(nth).map(|(i, _)| i)
}

/// `volume`'s `nth` mount: its path, whether the container may write to it, and which part of
/// the volume it sees.
#[component]
fn MountRow(
    component: ComponentMemo,
    name: StoredValue<String>,
    volume: StoredValue<String>,
    nth: usize,
    mounts: FieldPath,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mounts = StoredValue::new(mounts);
    // Its place in the list names the inputs; it moves when an earlier mount goes, so the ids
    // follow it rather than the inputs being made again.
    let index = Memo::new(move |_| read(component, |c| volume.with_value(|v| nth_mount(c, v, nth))));
    let at = move |key: &'static str| move || index.get().map(|i| mounts.with_value(|m| m.index(i).key(key)));
    // A memo: typing in another row does not touch this one.
    let mount = Memo::new(move |_| {
        read(component, |c| volume.with_value(|v| nth_mount(c, v, nth)).map(|i| c.volume_mounts[i].clone()))
    });
    let get = move |f: fn(&VolumeMount) -> Option<String>| mount.with(|m| m.as_ref().and_then(f).unwrap_or_default());
    let edit = move |f: Edit<VolumeMount>| {
        edit_component(state, name, |c| {
            if let Some(i) = volume.with_value(|v| nth_mount(c, v, nth)) {
                f(&mut c.volume_mounts[i])
            }
        })
    };
    view! {
        <li class="row mount">
            // Emptied, the path stays empty (a mount goes only by its button, so typing never
            // drops the row).
            {moving_text_input("Mount path", at("mountPath"), move || get(|m| Some(m.mount_path.clone())), move |path| {
                let path = path.trim().to_string();
                edit(Box::new(move |m| m.mount_path = path))
            })}
            <label class="check">
                <input type="checkbox" id=move || at("readOnly")().map(|p| field_id(&p))
                    prop:checked=move || mount.with(|m| m.as_ref().and_then(|m| m.read_only).unwrap_or(false))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(Box::new(move |m| m.read_only = on.then_some(true)))
                    }/>
                "Read-only"
            </label>
            {moving_text_input("Sub path (one file or folder of it)", at("subPath"), move || get(|m| m.sub_path.clone()), move |s| {
                let s = s.trim().to_string();
                edit(Box::new(move |m| m.sub_path = (!s.is_empty()).then_some(s)))
            })}
            <button type="button" class="remove" aria-label=move || format!("Remove mount {} of {}", nth + 1, volume.get_value())
                on:click=move |_| edit_component(state, name, |c| {
                    if let Some(i) = volume.with_value(|v| nth_mount(c, v, nth)) {
                        c.volume_mounts.remove(i);
                    }
                })>"Remove mount"</button>
        </li>
    }
}
