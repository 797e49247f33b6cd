//! A component's scaling and access, folded away by default: an autoscaler instead of a fixed
//! replica count (its bounds and CPU or memory targets), a disruption budget, and its own
//! ServiceAccount (its name, whether kubeplay makes it, whether pods get an API token).

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{Autoscaling, DisruptionBudget, KindField, Percent, PodCount, ServiceAccountSpec};
use leptos::prelude::*;

use super::form::{edit_component, field_id, number_input, read, text_input, ComponentMemo, Edit};
use crate::state::AppState;

/// A budget's count as typed: a whole number, or a percentage such as `50%` (anything else is
/// kept as typed text only once it reads as one of the two).
fn pod_count(text: &str) -> Option<PodCount> {
    let text = text.trim();
    match text.parse() {
        Ok(n) => Some(PodCount::Number(n)),
        Err(_) => Percent::try_from(text.to_string()).ok().map(PodCount::Percent),
    }
}

fn count_text(count: &PodCount) -> String {
    match count {
        PodCount::Number(n) => n.to_string(),
        PodCount::Percent(p) => p.0.clone(),
    }
}

/// Which of the budget's two fields is set, as the values name it; "" for no budget.
fn budget_kind(budget: Option<&DisruptionBudget>) -> &'static str {
    match budget {
        Some(DisruptionBudget::MinAvailable(_)) => "minAvailable",
        Some(DisruptionBudget::MaxUnavailable(_)) => "maxUnavailable",
        None => "",
    }
}

#[component]
pub fn ScalingForm(component: ComponentMemo, name: StoredValue<String>, base: FieldPath) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = StoredValue::new(base);
    let at = move |key: &str| base.with_value(|b| b.key(key));
    let autoscaled = Memo::new(move |_| read(component, |c| c.autoscaling.is_some()));
    // Only a kind that keeps a number of pods running scales (shown while set, for its finding).
    let scalable = Memo::new(move |_| read(component, |c| c.shows(&[KindField::Autoscaling])));
    let scaling_number = move |label: &'static str,
                               key: &'static str,
                               get: fn(&Autoscaling) -> Option<i32>,
                               set: fn(&mut Autoscaling, Option<i32>)| {
        number_input(
            label,
            at("autoscaling").key(key),
            move || read(component, |c| c.autoscaling.as_ref().and_then(get)),
            move |n| {
                edit_component(state, name, |c| {
                    if let Some(s) = c.autoscaling.as_mut() {
                        set(s, n)
                    }
                })
            },
        )
    };
    let account = Memo::new(move |_| read(component, |c| c.service_account.is_some()));
    let edit_account = move |f: Edit<ServiceAccountSpec>| {
        edit_component(state, name, |c| {
            if let Some(account) = c.service_account.as_mut() {
                f(account)
            }
        })
    };
    let account_flag = move |label: &'static str,
                             key: &'static str,
                             get: fn(&ServiceAccountSpec) -> bool,
                             set: fn(&mut ServiceAccountSpec, bool)| {
        view! {
            <label class="check">
                <input type="checkbox" id=field_id(&at("serviceAccount").key(key)) prop:checked=move || read(component, |c| c.service_account.as_ref().is_some_and(get))
                    on:change=move |ev| { let on = event_target_checked(&ev); edit_account(Box::new(move |a| set(a, on))) }/>
                {label}
            </label>
        }
    };
    let budget = Memo::new(move |_| read(component, |c| budget_kind(c.pod_disruption_budget.as_ref())));
    view! {
        <details class="scaling" data-testid="scaling">
            <summary>"Scaling and access"</summary>
            <label class="check" hidden=move || !scalable.get()>
                <input type="checkbox" id=field_id(&at("autoscaling")) prop:checked=move || autoscaled.get() on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit_component(state, name, |c| {
                        // The autoscaler decides the count: a fixed one beside it is a warning.
                        c.autoscaling = on.then(|| Autoscaling::from_replicas(c.replica_count()));
                        if on { c.replicas = None }
                    });
                }/>
                "Autoscale (HorizontalPodAutoscaler)"
            </label>
            <Show when=move || autoscaled.get()>
                <div class="row">
                    {scaling_number("Min pods", "minReplicas", |s| s.min_replicas, |s, n| s.min_replicas = n)}
                    // The one count the autoscaler cannot do without: emptying it keeps it.
                    {scaling_number("Max pods", "maxReplicas", |s| Some(s.max_replicas), |s, n| if let Some(n) = n { s.max_replicas = n })}
                    {scaling_number("CPU target %", "targetCPUUtilizationPercentage", |s| s.target_cpu_utilization_percentage, |s, n| s.target_cpu_utilization_percentage = n)}
                    {scaling_number("Memory target %", "targetMemoryUtilizationPercentage", |s| s.target_memory_utilization_percentage, |s, n| s.target_memory_utilization_percentage = n)}
                </div>
            </Show>
            <div class="row">
                <label class="field">
                    <span>"Disruption budget"</span>
                    <select id=field_id(&at("podDisruptionBudget")) prop:value=move || budget.get() on:change=move |ev| {
                        let kind = event_target_value(&ev);
                        edit_component(state, name, |c| {
                            c.pod_disruption_budget = match kind.as_str() {
                                "minAvailable" => Some(DisruptionBudget::MinAvailable(PodCount::Number((c.replica_count() - 1).max(0)))),
                                "maxUnavailable" => Some(DisruptionBudget::MaxUnavailable(PodCount::Number(1))),
                                _ => None,
                            };
                        });
                    }>
                        <option value="">"None"</option>
                        <option value="maxUnavailable">"At most N pods down (maxUnavailable)"</option>
                        <option value="minAvailable">"At least N pods up (minAvailable)"</option>
                    </select>
                </label>
                <Show when=move || !budget.get().is_empty()>
                    {text_input("Pods (N or N%)", at("podDisruptionBudget").key("count"), move || read(component, |c| match &c.pod_disruption_budget {
                        Some(DisruptionBudget::MinAvailable(n) | DisruptionBudget::MaxUnavailable(n)) => count_text(n),
                        None => String::new(),
                    }), move |text| {
                        let Some(count) = pod_count(&text) else { return };
                        edit_component(state, name, |c| match c.pod_disruption_budget.as_mut() {
                            Some(DisruptionBudget::MinAvailable(n) | DisruptionBudget::MaxUnavailable(n)) => *n = count,
                            None => {}
                        });
                    })}
                </Show>
            </div>
            <label class="check">
                <input type="checkbox" id=field_id(&at("serviceAccount")) prop:checked=move || account.get() on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit_component(state, name, |c| {
                        c.service_account = on.then(ServiceAccountSpec::own);
                    });
                }/>
                "Own ServiceAccount"
            </label>
            <Show when=move || account.get()>
                <div class="row">
                    {text_input("Account name (empty: the component's)", at("serviceAccount").key("name"),
                        move || read(component, |c| c.service_account.as_ref().and_then(|a| a.name.clone()).unwrap_or_default()),
                        move |s| { let s = s.trim().to_string(); edit_account(Box::new(move |a| a.name = (!s.is_empty()).then_some(s))) })}
                    {account_flag("Make it (untick: one made elsewhere)", "create", |a| a.create, |a, on| a.create = on)}
                    {account_flag("Mount an API token (only for apps that call the Kubernetes API)", "automountServiceAccountToken",
                        |a| a.automount_service_account_token, |a, on| a.automount_service_account_token = on)}
                </div>
            </Show>
        </details>
    }
}
