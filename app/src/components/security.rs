//! A container's security settings, folded away by default: who it runs as, whether it may
//! write its root filesystem or gain privileges, the restricted pair (every capability dropped,
//! the runtime's seccomp filter) and the capabilities it adds. The app's container and each
//! init container use the same inputs.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::SecurityContext;
use leptos::prelude::*;

use super::form::{comma_list, field_id, list_input, number_input, Edit};

/// A yes/no setting whose absence means something of its own (Kubernetes' default), so it is a
/// choice of three rather than a checkbox.
fn flag_select(
    label: &'static str,
    path: FieldPath,
    value: impl Fn() -> Option<bool> + Send + Sync + 'static,
    on_edit: impl Fn(Option<bool>) + 'static,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select id=field_id(&path) prop:value=move || value().map(|b| b.to_string()).unwrap_or_default()
                on:change=move |ev| on_edit(event_target_value(&ev).parse().ok())>
                <option value="">"(Kubernetes default)"</option>
                <option value="true">"Yes"</option>
                <option value="false">"No"</option>
            </select>
        </label>
    }
}

/// The settings of the security context at `base` (a container's `securityContext`).
#[component]
pub fn SecurityForm(
    base: FieldPath,
    #[prop(into)] context: Signal<SecurityContext>,
    edit: impl Fn(Edit<SecurityContext>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let base = StoredValue::new(base);
    let at = move |key: &str| base.with_value(|b| b.key(key));
    let flag = move |label: &'static str,
                     key: &'static str,
                     get: fn(&SecurityContext) -> Option<bool>,
                     set: fn(&mut SecurityContext, Option<bool>)| {
        flag_select(label, at(key), move || context.with(get), move |b| edit(Box::new(move |s| set(s, b))))
    };
    view! {
        <details class="security" data-testid="security">
            <summary>"Security"</summary>
            <div class="row">
                {flag("Run as non-root", "runAsNonRoot", |s| s.run_as_non_root, |s, b| s.run_as_non_root = b)}
                {number_input("Run as user (UID)", at("runAsUser"), move || context.with(|s| s.run_as_user),
                    move |n| edit(Box::new(move |s| s.run_as_user = n)))}
                {flag("Read-only root filesystem", "readOnlyRootFilesystem", |s| s.read_only_root_filesystem, |s, b| s.read_only_root_filesystem = b)}
                {flag("Allow privilege escalation", "allowPrivilegeEscalation", |s| s.allow_privilege_escalation, |s, b| s.allow_privilege_escalation = b)}
            </div>
            <label class="check">
                <input type="checkbox" id=field_id(&at("capabilities")) prop:checked=move || context.with(SecurityContext::is_restricted) on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit(Box::new(move |s| if on { s.restricted() } else { s.unrestricted() }));
                }/>
                "Drop every capability and use the runtime's seccomp filter (Pod Security restricted asks both)"
            </label>
            <div class="row">
                {list_input("Add capabilities (by commas, e.g. NET_BIND_SERVICE)", at("capabilities").key("add"),
                    move || context.with(|s| s.capabilities.as_ref().and_then(|c| c.add.as_ref()).map(|a| a.join(", ")).unwrap_or_default()),
                    move |text| {
                        let added = comma_list(&text);
                        edit(Box::new(move |s| s.set_added_capabilities(Some(added))))
                    })}
            </div>
        </details>
    }
}
