//! A component's workload kind, folded away by default: what runs its pods (a Deployment, a
//! StatefulSet with its claim templates, a DaemonSet, a Job or a CronJob) and the fields only
//! that kind uses.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{Claim, Component, ComponentKind, ConcurrencyPolicy, JobRestartPolicy, KindField, Volume};
use leptos::prelude::*;

use super::form::{
    add_named, check_input, choice_select, edit_component, field_id, number_input, read, text_input, ComponentMemo,
    Edit,
};
use super::volumes::{ClaimFields, MountOptions};
use crate::state::AppState;

fn restart_label(policy: JobRestartPolicy) -> &'static str {
    match policy {
        JobRestartPolicy::Never => "Retry in a new pod (Never)",
        JobRestartPolicy::OnFailure => "Restart in the same pod (OnFailure)",
    }
}

/// A new claim with the model's defaults (core's, as a new claim volume gets them).
fn new_claim() -> Option<Claim> {
    match Volume::of_source("persistentVolumeClaim") {
        Volume::PersistentVolumeClaim(claim) => Some(claim),
        _ => None,
    }
}

#[component]
pub fn KindForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base);
    let at = move |key: &str| base.with_value(|b| b.key(key));
    let kind = Memo::new(move |_| read(component, |c| c.kind));
    // A field shows for the kinds that use it, and while it is set, so a finding on it can focus
    // it. Memos: typing in a field must not re-create it (focus).
    let shown = move |fields: &'static [KindField]| Memo::new(move |_| read(component, |c| c.shows(fields)));
    let hook = shown(&[KindField::Hook]);
    // Asked only of a hook (or while set, so a finding on it can focus it).
    let after_install = Memo::new(move |_| {
        read(component, |c| c.shows(&[KindField::HookAfterInstall]) && (c.hook || c.hook_after_install))
    });
    let retries = shown(&[KindField::BackoffLimit, KindField::RestartPolicy]);
    let cron = shown(&[
        KindField::Schedule,
        KindField::ConcurrencyPolicy,
        KindField::SuccessfulJobsHistoryLimit,
        KindField::FailedJobsHistoryLimit,
    ]);
    let claims = shown(&[KindField::VolumeClaimTemplates]);
    let history = move |label: &'static str,
                        key: &'static str,
                        get: fn(&Component) -> Option<i32>,
                        set: fn(&mut Component, Option<i32>)| {
        number_input(label, at(key), move || read(component, get), move |n| edit_component(state, name, |c| set(c, n)))
    };
    view! {
        <details class="workload-kind" data-testid="workload-kind">
            <summary>{move || format!("Kind: {}", kind.get().as_str())}</summary>
            <div class="row">
                <label class="field">
                    <span>"What runs the pods"</span>
                    <select id=field_id(&at("kind")) prop:value=move || kind.get().as_str() on:change=move |ev| {
                        let Some(chosen) = ComponentKind::parse(&event_target_value(&ev)) else { return };
                        edit_component(state, name, |c| c.set_kind(chosen));
                    }>
                        {ComponentKind::ALL.map(|k| view! { <option value=k.as_str()>{k.as_str()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || hook.get()>
                {check_input("Run before the release, on every install and upgrade (a Helm pre-install/pre-upgrade hook: migrations)",
                    at("hook"), move || read(component, |c| c.hook), move |on| edit_component(state, name, |c| c.hook = on))}
            </Show>
            <Show when=move || after_install.get()>
                {check_input("On the first install, run after the release's objects are ready instead (post-install): for a database the release itself runs",
                    at("hookAfterInstall"), move || read(component, |c| c.hook_after_install),
                    move |on| edit_component(state, name, |c| c.hook_after_install = on))}
            </Show>
            <Show when=move || retries.get()>
                <div class="row">
                    {number_input("Retries (backoffLimit)", at("backoffLimit"), move || read(component, |c| c.backoff_limit),
                        move |n| edit_component(state, name, |c| c.backoff_limit = n))}
                    {choice_select("On failure", at("restartPolicy"), Some("(default: Never; a Job may not restart Always)"),
                        JobRestartPolicy::ALL.map(|p| (p, restart_label(p))), JobRestartPolicy::as_str,
                        move || read(component, |c| c.restart_policy), move |policy| edit_component(state, name, |c| c.restart_policy = policy))}
                </div>
            </Show>
            <Show when=move || cron.get()>
                <div class="row">
                    // Written as typed: trimming would eat the space just typed between fields.
                    {text_input("Schedule (cron)", at("schedule"), move || read(component, |c| c.schedule.clone().unwrap_or_default()),
                        move |s| edit_component(state, name, |c| c.schedule = (!s.is_empty()).then_some(s)))}
                    {choice_select("When the last run still runs", at("concurrencyPolicy"), Some("(Kubernetes default: Allow)"),
                        ConcurrencyPolicy::ALL.map(|p| (p, p.as_str())), ConcurrencyPolicy::as_str,
                        move || read(component, |c| c.concurrency_policy), move |policy| edit_component(state, name, |c| c.concurrency_policy = policy))}
                    {history("Succeeded Jobs kept", "successfulJobsHistoryLimit", |c| c.successful_jobs_history_limit, |c, n| c.successful_jobs_history_limit = n)}
                    {history("Failed Jobs kept", "failedJobsHistoryLimit", |c| c.failed_jobs_history_limit, |c, n| c.failed_jobs_history_limit = n)}
                </div>
            </Show>
            <Show when=move || claims.get()>
                <ClaimTemplates component name base=base.get_value()/>
            </Show>
        </details>
    }
}

/// A StatefulSet's claim templates: each pod gets its own claim of each, mounted like a volume.
#[component]
fn ClaimTemplates(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| read(component, |c| c.volume_claim_templates.keys().cloned().collect::<Vec<_>>()));
    let base = StoredValue::new(base);
    // A claim named like a volume would share its mounts.
    let taken = move |claim: &str| {
        read(component, |c| c.volume_claim_templates.contains_key(claim) || c.volumes.contains_key(claim))
    };
    let add = move |claim: String| {
        let Some(template) = new_claim() else { return };
        edit_component(state, name, |c| {
            c.volume_claim_templates.insert(claim.clone(), template);
            c.mount_new(&claim);
        });
    };
    view! {
        <h3 id=field_id(&base.with_value(|b| b.key("volumeClaimTemplates")))>"Storage per pod (claim templates)"</h3>
        <ul class="rows">
            <For each=move || names.get() key=|claim| claim.clone() let:claim>
                <ClaimRow component name claim base=base.get_value()/>
            </For>
        </ul>
        {add_named("New claim template", "e.g. data", "Add claim template", move |claim| !taken(claim), add)}
    }
}

/// One claim template: its size, storage class, access modes and how the container mounts it.
#[component]
fn ClaimRow(component: ComponentMemo, name: StoredValue<String>, claim: String, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = base.key("volumeClaimTemplates").key(&claim);

    let claim = StoredValue::new(claim);
    let edit = move |f: Edit<Claim>| {
        edit_component(state, name, |c| {
            if let Some(template) = c.volume_claim_templates.get_mut(&claim.get_value()) {
                f(template)
            }
        })
    };
    view! {
        <li class="row claim" data-claim=claim.get_value()>
            <strong>{claim.get_value()}</strong>
            <ClaimFields at claim=Signal::derive(move || read(component, |c| c.volume_claim_templates.get(&claim.get_value()).cloned())) edit/>
            <MountOptions component name volume=claim base/>
            <button type="button" class="remove" aria-label=move || format!("Remove claim template {}", claim.get_value())
                on:click=move |_| edit_component(state, name, |c| c.remove_claim_template(&claim.get_value()))>"✕"</button>
        </li>
    }
}
