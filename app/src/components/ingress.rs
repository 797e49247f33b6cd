//! The release's Ingress, folded away by default: routes from hosts and paths (each path's type,
//! and the Service port when not the component's) to components' Services, for Minikube's
//! `ingress` addon unless another class is named, and its TLS.

use kubeplay_core::path::FieldPath;
use kubeplay_core::values::{IngressHost, IngressPath, IngressSpec, IngressTls, PathType, DEFAULT_INGRESS_CLASS};
use kubeplay_core::Values;
use leptos::prelude::*;
use std::sync::Arc;

use super::form::{
    add_named, choice_select, comma_list, field_id, list_input, number_input, optional_text_input, text_input, Edit,
};
use crate::state::AppState;

/// A route: which host's list and which path in it.
#[derive(Clone, Copy)]
struct Route {
    host: usize,
    path: usize,
}

/// A change to one route, given its host and its index there.
type RouteEdit = Box<dyn FnOnce(&mut IngressHost, usize)>;

/// Something of one route, read reactively (its default while there is no such route).
fn route_part<T: Default>(
    values: Memo<Option<Arc<Values>>>,
    route: Route,
    f: impl FnOnce(&IngressHost, &IngressPath) -> T,
) -> T {
    values.with(|v| {
        v.as_ref()
            .and_then(|v| v.ingress.as_ref())
            .and_then(|i| i.hosts.get(route.host))
            .and_then(|h| h.paths.get(route.path).map(|p| f(h, p)))
            .unwrap_or_default()
    })
}

#[component]
pub fn IngressForm(values: Memo<Option<Arc<Values>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = FieldPath::root().key("ingress");
    let summary_id = field_id(&at);
    let class_at = at.key("className");
    let routed = Memo::new(move |_| values.with(|v| v.as_ref().is_some_and(|v| v.ingress.is_some())));
    let routes = Memo::new(move |_| {
        values.with(|v| {
            let hosts = v.as_ref().and_then(|v| v.ingress.as_ref()).map(|i| i.hosts.as_slice()).unwrap_or(&[]);
            hosts
                .iter()
                .enumerate()
                .flat_map(|(h, host)| (0..host.paths.len()).map(move |p| (h, p)))
                .collect::<Vec<_>>()
        })
    });
    let components = Memo::new(move |_| {
        values.with(|v| v.as_ref().map(|v| v.components.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
    });
    let edit_route = move |route: Route, f: RouteEdit| {
        state.edit_values(|v| {
            if let Some(host) = v.ingress.as_mut().and_then(|i| i.hosts.get_mut(route.host)) {
                if route.path < host.paths.len() {
                    f(host, route.path)
                }
            }
        })
    };
    let read_route = move |route: Route, f: fn(&IngressHost, &IngressPath) -> String| route_part(values, route, f);
    let row = move |(host, path): (usize, usize)| {
        let route = Route { host, path };
        let base = at.key("hosts").index(host);
        let path_at = base.key("paths").index(path);
        view! {
            <li class="row">
                {text_input("Host (empty: any)", base.key("host"), move || read_route(route, |h, _| h.host.clone().unwrap_or_default()), move |s| {
                    edit_route(route, Box::new(move |h, _| h.host = (!s.trim().is_empty()).then(|| s.trim().to_string())))
                })}
                {text_input("Path", path_at.key("path"), move || read_route(route, |_, p| p.path.clone()), move |s| {
                    edit_route(route, Box::new(move |h, i| h.paths[i].path = s))
                })}
                <label class="field">
                    <span>"Component"</span>
                    <select id=field_id(&path_at.key("component")) prop:value=move || read_route(route, |_, p| p.component.clone()) on:change=move |ev| {
                        let component = event_target_value(&ev);
                        edit_route(route, Box::new(move |h, i| h.paths[i].component = component));
                    }>
                        <For each=move || components.get() key=|c| c.clone() let:c>
                            <option value=c.clone()>{c.clone()}</option>
                        </For>
                    </select>
                </label>
                {choice_select("Path type", path_at.key("pathType"), None, PathType::ALL.map(|t| (t, t.as_str())), PathType::as_str,
                    move || route_part(values, route, |_, p| Some(p.path_type)),
                    move |t| if let Some(t) = t { edit_route(route, Box::new(move |h, i| h.paths[i].path_type = t)) })}
                {number_input("Service port (empty: its Service's)", path_at.key("port"), move || route_part(values, route, |_, p| p.port),
                    move |n| edit_route(route, Box::new(move |h, i| h.paths[i].port = n)))}
                <button type="button" class="remove" on:click=move |_| edit_route(route, Box::new(|h, i| { h.paths.remove(i); }))>"Remove"</button>
            </li>
        }
    };
    let add_route = move |_| {
        state.edit_values(|v| {
            let Some(component) = v.components.keys().next() else { return };
            let path = IngressPath::to(component);
            match v.ingress.as_mut() {
                Some(ingress) => ingress.add_route(path),
                None => v.ingress = Some(IngressSpec::with_route(path)),
            }
        })
    };
    view! {
        <section class="group">
            <details class="ingress" data-testid="ingress">
                <summary id=summary_id>"Ingress"</summary>
                <ul class="rows">
                    <For each=move || routes.get() key=|r| *r let:route>
                        {row(route)}
                    </For>
                </ul>
                <button type="button" on:click=add_route>"Add a route"</button>
                <Show when=move || routed.get()>
                    {optional_text_input("Ingress class", class_at.clone(), DEFAULT_INGRESS_CLASS,
                        move || values.with(|v| v.as_ref().and_then(|v| v.ingress.as_ref()?.class_name.clone())),
                        move |class| state.edit_values(|v| if let Some(ingress) = v.ingress.as_mut() { ingress.class_name = class }))}
                    <button type="button" on:click=move |_| state.edit_values(|v| v.ingress = None)>"No Ingress"</button>
                    <TlsList values/>
                </Show>
            </details>
        </section>
    }
}

/// The Ingress's TLS: each entry a Secret holding a certificate, and the hosts it covers.
#[component]
fn TlsList(values: Memo<Option<Arc<Values>>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at = StoredValue::new(FieldPath::root().key("ingress").key("tls"));
    let count =
        Memo::new(move |_| values.with(|v| v.as_ref().and_then(|v| v.ingress.as_ref()).map_or(0, |i| i.tls.len())));
    let edit = move |i: usize, f: Edit<IngressTls>| {
        state.edit_values(|v| {
            if let Some(tls) = v.ingress.as_mut().and_then(|ingress| ingress.tls.get_mut(i)) {
                f(tls)
            }
        })
    };
    let get = move |i: usize, f: fn(&IngressTls) -> String| {
        values.with(|v| v.as_ref().and_then(|v| v.ingress.as_ref()?.tls.get(i).map(f)).unwrap_or_default())
    };
    let add = move |secret_name: String| {
        state.edit_values(|v| {
            if let Some(ingress) = v.ingress.as_mut() {
                ingress.tls.push(IngressTls { secret_name, hosts: Vec::new() })
            }
        })
    };
    let row = move |i: usize| {
        let at = move |key: &str| at.with_value(|a| a.index(i).key(key));
        view! {
            <li class="row">
                {text_input("TLS Secret", at("secretName"), move || get(i, |t| t.secret_name.clone()), move |s| {
                    let s = s.trim().to_string();
                    edit(i, Box::new(move |t| t.secret_name = s))
                })}
                {list_input("Hosts it covers (by commas)", at("hosts"), move || get(i, |t| t.hosts.join(", ")), move |text| {
                    let hosts = comma_list(&text);
                    edit(i, Box::new(move |t| t.hosts = hosts))
                })}
                <button type="button" class="remove" on:click=move |_| state.edit_values(|v| {
                    if let Some(ingress) = v.ingress.as_mut().filter(|ingress| i < ingress.tls.len()) { ingress.tls.remove(i); }
                })>"Remove TLS"</button>
            </li>
        }
    };
    view! {
        <h3 id=field_id(&at.get_value())>"TLS"</h3>
        <ul class="rows">
            {move || (0..count.get()).map(row).collect_view()}
        </ul>
        {add_named("New TLS Secret", "e.g. todo-tls", "Add TLS", |_| true, add)}
    }
}
