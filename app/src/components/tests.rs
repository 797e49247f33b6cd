//! The panes mounted in a real browser (headless Chromium, through wasm-bindgen-test-runner; see
//! scripts/app-test.sh): what the end-to-end tests do not pin down cheaply. Each test mounts its
//! components on a fresh `AppState` (the default preset; nothing is saved, `persist` is not
//! called), changes the state or fires the DOM event a user would, and waits for the DOM.

use kubeplay_core::presets::DEFAULT_PRESET;
use kubeplay_core::{diagnostic, rules, Diagnostic, Severity};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use super::editor::TextEditor;
use super::form::ValuesForm;
use super::graph::GraphView;
use super::problems::ProblemsList;
use super::LeftTab;
use crate::state::{preset_text, AppState};

wasm_bindgen_test_configure!(run_in_browser);

/// The page's stylesheet, so colours are the ones a user sees.
const STYLES: &str = include_str!("../../../public/styles.css");

const BACKEND_REPLICAS: &str = "[id=\"f-components.todo-backend.replicas\"]";

/// Mount `view` in a new element of the page with a fresh state, as `App` provides it.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (AppState, HtmlElement) {
    let document = document();
    if document.get_element_by_id("test-styles").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("test-styles");
        style.set_text_content(Some(STYLES));
        document.body().unwrap().append_child(&style).unwrap();
    }
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let made = Rc::new(Cell::new(None));
    let made_inside = made.clone();
    leptos::mount::mount_to(root.clone(), move || {
        let state = AppState::new();
        provide_context(state);
        provide_context(RwSignal::new(LeftTab::Form));
        made_inside.set(Some(state));
        view()
    })
    // The mounted view lives as long as the test page; each test has its own root and state.
    .forget();
    (made.get().expect("the view was built"), root)
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.unchecked_into()).collect()
}

fn one<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

fn text_of(root: &Element, selector: &str) -> String {
    one::<Element>(root, selector).text_content().unwrap_or_default()
}

/// Fire the `input` event a user's typing fires.
fn type_into(element: &HtmlElement, set: impl FnOnce()) {
    set();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    element.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Wait (up to 3 s) until `ok` holds: effects run after the change, not during it.
async fn until(what: &str, mut ok: impl FnMut() -> bool) {
    for _ in 0..300 {
        if ok() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting until {what}");
}

/// The component `name` of the state's current values.
fn component(state: AppState, name: &str) -> kubeplay_core::values::Component {
    state.computed.with_untracked(|c| c.analysis.values.as_ref().map(|v| v.components[name].clone())).expect("values")
}

/// The default preset with the backend Service's targetPort misspelt (a relationship error).
fn broken_target_port() -> String {
    let text = preset_text(DEFAULT_PRESET);
    assert!(text.contains("targetPort: http"), "the default preset names its target port");
    text.replacen("targetPort: http", "targetPort: htp", 1)
}

#[wasm_bindgen_test]
async fn problems_list_shows_one_row_per_diagnostic_with_its_rule_and_severity() {
    let (state, root) = mount(|| view! { <ProblemsList/> });
    let text = broken_target_port().replacen("tag: \"1.0.0\"", "tag: latest", 1);
    state.values_text.set(text);
    let diagnostics = state.computed.with_untracked(|c| c.analysis.diagnostics.clone());
    // Every severity is in the list, so a row showing the wrong one cannot pass.
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        assert!(diagnostics.iter().any(|d| d.severity == severity), "no {severity} among {diagnostics:?}");
    }
    until("the list shows the new diagnostics", || all(&root, "li.problem").len() == diagnostics.len()).await;
    // Grouped by rule, worst first, as core groups them.
    let grouped: Vec<&Diagnostic> = diagnostic::by_rule(&diagnostics).into_iter().flat_map(|g| g.findings).collect();
    for (row, d) in all(&root, "li.problem").iter().zip(grouped) {
        assert_eq!(row.get_attribute("data-rule").as_deref(), Some(d.rule));
        assert_eq!(text_of(row, "code.rule"), d.rule);
        assert_eq!(text_of(row, ".sev"), d.severity.to_string());
        assert!(row.class_list().contains(&d.severity.to_string()), "row class {:?}", row.class_name());
        // Backticked parts are set as code: the text is the message without its backticks.
        let unticked: String = diagnostic::code_spans(&d.message).into_iter().map(|(part, _)| part).collect();
        assert_eq!(text_of(row, ".message"), unticked);
    }
    let groups = all(&root, "details.rule-group");
    assert_eq!(
        groups.first().and_then(|g| g.get_attribute("data-group")).as_deref(),
        Some(diagnostic::by_rule(&diagnostics)[0].rule)
    );
    assert!(groups.first().is_some_and(|g| g.class_list().contains("error")), "errors come first");
}

#[wasm_bindgen_test]
async fn graph_draws_a_wrong_target_port_as_a_red_edge_explained_by_its_rule() {
    let (state, root) = mount(|| view! { <GraphView/> <span id="error-colour" style="color: var(--error)"></span> });
    until("the graph is drawn", || !all(&root, ".edge").is_empty()).await;
    assert!(all(&root, ".edge.broken").is_empty(), "the default preset has no broken link");
    state.values_text.set(broken_target_port());
    until("a broken edge is drawn", || !all(&root, ".edge.broken").is_empty()).await;

    let broken = all(&root, ".edge.broken");
    assert_eq!(broken.len(), 1, "one mistake, one broken edge");
    let edge = &broken[0];
    let diagnostic = state.computed.with_untracked(|c| {
        c.analysis
            .diagnostics
            .iter()
            .find(|d| d.path.as_deref() == Some("components.todo-backend.service.targetPort"))
            .cloned()
            .expect("a diagnostic on the targetPort")
    });
    assert_eq!(diagnostic.severity, Severity::Error);
    let rule = edge.get_attribute("data-rule").unwrap_or_default();
    assert_eq!(rule, diagnostic.rule, "the edge names the rule the problems list reports");
    let title = text_of(edge, "title");
    assert!(title.starts_with("Broken: todo-chatbot/Service/todo-backend"), "{title}");
    assert!(title.contains(&format!("[{rule}]")), "{title}");
    assert!(title.contains(rules::find(&rule).unwrap().summary), "the title explains the rule: {title}");
    assert_eq!(edge.get_attribute("aria-label").as_deref(), Some(title.as_str()));

    let path: Element = one(edge, "path");
    assert_eq!(path.get_attribute("marker-end").as_deref(), Some("url(#arrow-broken)"));
    let window = web_sys::window().unwrap();
    let style = |e: &Element, property: &str| {
        window.get_computed_style(e).unwrap().unwrap().get_property_value(property).unwrap()
    };
    let red = style(&one(&root, "#error-colour"), "color");
    assert_eq!(style(&path, "stroke"), red, "a broken edge is drawn in the error colour");
    assert_ne!(style(&path, "stroke-dasharray"), "none", "and dashed");
    let holding: Element = one(&root, ".edge:not(.broken) path");
    assert_ne!(style(&holding, "stroke"), red, "links that hold are not red");
}

#[wasm_bindgen_test]
async fn form_replicas_input_writes_the_values() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let replicas = |name: &str| {
        state.computed.with_untracked(|c| c.analysis.values.as_ref().and_then(|v| v.components[name].replicas))
    };
    let input: HtmlInputElement = one(&root, BACKEND_REPLICAS);
    until("the form shows the preset", || input.value() == "1").await;
    assert_eq!(replicas("todo-backend"), Some(1));

    type_into(&input, || input.set_value("3"));
    until("the values say 3 replicas", || replicas("todo-backend") == Some(3)).await;
    assert_eq!(replicas("todo-frontend"), Some(1), "the other component is untouched");
    // The text is the one source: the form wrote the change into it.
    let written =
        crate::state::analyze(&state.values_text.get_untracked(), DEFAULT_PRESET, kubeplay_core::Profile::default());
    assert_eq!(written.values.and_then(|v| v.components["todo-backend"].replicas), Some(3));

    // Half-typed text that is no number changes nothing.
    type_into(&input, || input.set_value("-"));
    sleep(50).await;
    assert_eq!(replicas("todo-backend"), Some(3));
}

#[wasm_bindgen_test]
async fn form_volumes_show_the_presets_and_a_new_one_is_written_mounted() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let frontend = "[data-component=\"todo-frontend\"] [data-testid=volumes]";
    until("the frontend's volumes are listed", || {
        root.query_selector(frontend).unwrap().is_some_and(|v| all(&v, "li.volume").len() == 2)
    })
    .await;
    let volumes: Element = one(&root, frontend);
    assert_eq!(text_of(&volumes, "summary"), "Volumes (2)");
    let cache: HtmlInputElement = one(&volumes, "[id=\"f-components.todo-frontend.volumeMounts.next-cache\"]");
    until("the mount path is shown", || cache.value() == "/app/.next/cache").await;

    let name: HtmlInputElement = one(&volumes, "input[placeholder=\"e.g. cache\"]");
    type_into(&name, || name.set_value("uploads"));
    let add: HtmlElement = all(&volumes, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Add volume"))
        .expect("an add button")
        .unchecked_into();
    until("the add button is enabled", || !add.has_attribute("disabled")).await;
    add.click();
    let frontend = || component(state, "todo-frontend");
    until("the values hold the new volume", || frontend().volumes.contains_key("uploads")).await;
    let c = frontend();
    assert!(matches!(c.volumes["uploads"], kubeplay_core::values::Volume::EmptyDir(_)));
    assert!(c.volume_mounts.iter().any(|m| m.name == "uploads" && m.mount_path == "/mnt/uploads"));
    // And the render mounts it: no `volume-mount-unknown`.
    assert!(state.computed.with_untracked(|c| c.analysis.diagnostics.iter().all(|d| d.rule != "volume-mount-unknown")));
}

#[wasm_bindgen_test]
async fn form_autoscaling_replaces_replicas_and_a_budget_and_account_are_written() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let checkbox: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.autoscaling\"]");
    until("the preset shows no autoscaler", || !checkbox.checked() && backend().replicas == Some(1)).await;
    checkbox.set_checked(true);
    checkbox.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the values autoscale", || backend().autoscaling.is_some()).await;
    let c = backend();
    assert_eq!(c.replicas, None, "the autoscaler decides the count");
    assert_eq!(c.autoscaling.as_ref().map(|a| (a.min_replicas, a.max_replicas)), Some((Some(1), 3)));
    // The render has the autoscaler and no fixed count, and no conflict is reported.
    let (kinds, conflicts) = state.computed.with_untracked(|c| {
        let kinds: Vec<String> = c.analysis.manifests.resources.iter().map(|r| r.object.kind().to_string()).collect();
        (kinds, c.analysis.diagnostics.iter().filter(|d| d.rule == "hpa-replicas-conflict").count())
    });
    assert!(kinds.iter().any(|k| k == "HorizontalPodAutoscaler"), "{kinds:?}");
    assert_eq!(conflicts, 0);

    let budget: web_sys::HtmlSelectElement = one(&root, "[id=\"f-components.todo-backend.podDisruptionBudget\"]");
    budget.set_value("maxUnavailable");
    budget.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the values hold a budget", || backend().pod_disruption_budget.is_some()).await;
    let account: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.serviceAccount\"]");
    account.set_checked(true);
    account.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the values hold an account", || backend().service_account.is_some()).await;
    assert!(!backend().service_account.unwrap().automount_service_account_token);
}

#[wasm_bindgen_test]
async fn invalid_yaml_in_the_editor_keeps_the_forms_last_good_values() {
    let (state, root) = mount(|| view! { <ValuesForm/> <TextEditor/> });
    let editor: HtmlTextAreaElement = one(&root, "#editor");
    // Looked up each time: a form that lost its values drops its inputs (a detached input would
    // still hold its old value).
    let replicas = || root.query_selector(BACKEND_REPLICAS).unwrap().map(|e| e.unchecked_into::<HtmlInputElement>());
    let shown_replicas = || replicas().map(|input| input.value());
    until("the editor shows the preset", || editor.value() == preset_text(DEFAULT_PRESET)).await;

    // A good edit in the text reaches the form...
    let good = preset_text(DEFAULT_PRESET).replacen("replicas: 1", "replicas: 2", 1);
    type_into(&editor, || editor.set_value(&good));
    until("the form shows 2 replicas", || shown_replicas().as_deref() == Some("2")).await;
    assert!(root.query_selector("[data-testid=form-banner]").unwrap().is_none());

    // ...then the text stops being YAML: the form keeps those values, read-only.
    let broken = format!("{good}extra: [unclosed\n");
    type_into(&editor, || editor.set_value(&broken));
    until("the form says the text is broken", || root.query_selector("[data-testid=form-banner]").unwrap().is_some())
        .await;
    assert!(state.computed.with_untracked(|c| c.analysis.values.is_none()), "the broken text loads no values");
    assert_eq!(shown_replicas().as_deref(), Some("2"), "the form keeps the last good values");
    assert!(one::<Element>(&root, "fieldset.form").has_attribute("disabled"), "the form is read-only");
    assert!(!all(&root, "#editor-errors li").is_empty(), "the editor lists the error");

    // Editing the read-only form loses nothing the user typed.
    let input = replicas().expect("the replicas input");
    type_into(&input, || input.set_value("5"));
    sleep(50).await;
    assert_eq!(state.values_text.get_untracked(), broken);

    // Fixing the text brings the form back.
    type_into(&editor, || editor.set_value(&good));
    until("the banner is gone", || root.query_selector("[data-testid=form-banner]").unwrap().is_none()).await;
    assert!(!one::<Element>(&root, "fieldset.form").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn form_isolation_drops_calls_until_the_known_traffic_is_allowed() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let dropped = || {
        state.computed.with_untracked(|c| {
            c.analysis.diagnostics.iter().filter(|d| d.rule.starts_with("network-policy-blocks")).count()
        })
    };
    let isolate: HtmlInputElement = one(&root, "[id=\"f-networkPolicy\"]");
    until("the preset is not isolated", || !isolate.checked() && dropped() == 0).await;
    isolate.set_checked(true);
    isolate.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    // The frontend's call to the backend and the LoadBalancer's clients are both dropped.
    until("isolation drops the preset's traffic", || dropped() == 2).await;
    let button = "[data-testid=\"admit-known-traffic\"]";
    until("the form offers to allow the known traffic", || !all(&root, button).is_empty()).await;
    let admit: HtmlElement = one(&root, button);
    admit.click();
    until("the known traffic is allowed", || dropped() == 0).await;
    let backend = component(state, "todo-backend").allow_from.expect("the backend allows its callers");
    assert_eq!(backend.components, ["todo-frontend"]);
    // The backend's form shows it: the frontend's box is ticked, and only it.
    let ticked = || -> Vec<String> {
        all(&root, "[id=\"f-components.todo-backend.allowFrom.components\"] input")
            .into_iter()
            .filter(|e| e.clone().unchecked_into::<HtmlInputElement>().checked())
            .map(|e| e.parent_element().and_then(|p| p.text_content()).unwrap_or_default())
            .collect()
    };
    until("the form ticks the frontend", || ticked() == ["todo-frontend"]).await;
}

#[wasm_bindgen_test]
async fn form_start_and_stop_write_the_command_pod_fields_and_a_shutdown_that_fits() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let command: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.command\"]");
    until("the preset keeps the image's entrypoint", || backend().command.is_empty()).await;
    command.set_value("sh -c 'exec uvicorn app:main'");
    command.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the command is written word by word", || backend().command == ["sh", "-c", "exec uvicorn app:main"]).await;

    let pod_ip: HtmlInputElement = all(&root, "[id=\"f-components.todo-backend.fieldEnv\"] input")
        .into_iter()
        .find(|e| e.parent_element().and_then(|p| p.text_content()).is_some_and(|t| t.starts_with("POD_IP")))
        .expect("a POD_IP box")
        .unchecked_into();
    pod_ip.set_checked(true);
    pod_ip.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("POD_IP comes from the pod", || backend().field_env.contains_key("POD_IP")).await;

    let out_of_range =
        || state.computed.with_untracked(|c| c.analysis.diagnostics.iter().any(|d| d.rule == "number-range"));
    let sleep: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.preStop.sleep\"]");
    type_into(&sleep, || sleep.set_value("40"));
    until("a sleep past the default grace period is refused", out_of_range).await;
    let grace: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.terminationGracePeriodSeconds\"]");
    type_into(&grace, || grace.set_value("60"));
    until("a longer grace period makes room for it", || !out_of_range()).await;
    assert_eq!(backend().termination_grace_period_seconds, Some(60));

    // The preset's backend already meets restricted; unticking takes both settings away.
    let restricted: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.securityContext.capabilities\"]");
    assert!(restricted.checked(), "the preset drops every capability");
    restricted.set_checked(false);
    restricted.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the settings are gone", || backend().security_context.capabilities.is_none()).await;
    assert!(backend().security_context.seccomp_profile.is_none());
}

#[wasm_bindgen_test]
async fn form_init_containers_run_the_components_image_and_take_a_command() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    until("the preset has no init container", || backend().init_containers.is_empty()).await;
    let section: Element = all(&root, "[data-testid=\"init-containers\"]").into_iter().next().expect("a section");
    let name: HtmlInputElement = one(&section, "input[placeholder]");
    type_into(&name, || name.set_value("migrate"));
    let add: HtmlElement = all(&section, "button")
        .into_iter()
        .find(|b| b.text_content().is_some_and(|t| t == "Add init container"))
        .expect("an add button")
        .unchecked_into();
    until("the add button is enabled", || !add.has_attribute("disabled")).await;
    add.click();
    until("the values hold the init container", || backend().init_containers.len() == 1).await;
    let init = &backend().init_containers[0];
    assert_eq!((init.name.as_str(), &init.image), ("migrate", &backend().image), "the component's own image");
    let command = "[id=\"f-components.todo-backend.initContainers[0].command\"]";
    until("its row shows", || !all(&root, command).is_empty()).await;
    let command: HtmlInputElement = one(&root, command);
    command.set_value("alembic upgrade head");
    command.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the command is written", || backend().init_containers[0].command == ["alembic", "upgrade", "head"]).await;
    // The render runs it before the app: an initContainers entry in the Deployment.
    let rendered = state.computed.with_untracked(|c| c.analysis.yaml.contains("initContainers:"));
    assert!(rendered);
}

#[wasm_bindgen_test]
async fn form_ingress_routes_are_added_pointed_at_a_component_and_removed() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let ingress = || state.computed.with_untracked(|c| c.analysis.values.as_ref().and_then(|v| v.ingress.clone()));
    until("the preset has no Ingress", || ingress().is_none()).await;
    let section: Element = all(&root, "[data-testid=\"ingress\"]").into_iter().next().expect("a section");
    let button = |label: &str| -> HtmlElement {
        all(&section, "button")
            .into_iter()
            .find(|b| b.text_content().is_some_and(|t| t == label))
            .unwrap_or_else(|| panic!("a {label} button"))
            .unchecked_into()
    };
    button("Add a route").click();
    until("the values route / somewhere", || ingress().is_some_and(|i| i.hosts[0].paths[0].path == "/")).await;
    let component = "[id=\"f-ingress.hosts[0].paths[0].component\"]";
    until("the route's row shows", || !all(&root, component).is_empty()).await;
    let select: web_sys::HtmlSelectElement = one(&root, component);
    select.set_value("todo-frontend");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("the route goes to the frontend", || {
        ingress().is_some_and(|i| i.hosts[0].paths[0].component == "todo-frontend")
    })
    .await;
    let rendered =
        state.computed.with_untracked(|c| c.analysis.manifests.resources.iter().any(|r| r.object.kind() == "Ingress"));
    assert!(rendered, "the render has the Ingress");
    until("the form offers to remove it", || all(&section, "button").len() > 2).await;
    button("No Ingress").click();
    until("the Ingress is gone", || ingress().is_none()).await;
}

/// Choose `kind` in the kind select of `component`'s form, as a user would.
fn choose_kind(root: &Element, component: &str, kind: &str) {
    let select: web_sys::HtmlSelectElement = one(root, &format!("[id=\"f-components.{component}.kind\"]"));
    select.set_value(kind);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

fn findings(state: AppState, rule: &str) -> Vec<String> {
    state.computed.with_untracked(|c| {
        c.analysis.diagnostics.iter().filter(|d| d.rule == rule).map(|d| d.message.clone()).collect()
    })
}

#[wasm_bindgen_test]
async fn form_kind_cron_job_gets_a_schedule_and_drops_replicas_and_service() {
    use kubeplay_core::values::ComponentKind;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    until("the preset's backend is a Deployment", || backend().kind == ComponentKind::Deployment).await;
    assert!(backend().replicas.is_some() && backend().service.is_some(), "the preset scales and serves it");
    choose_kind(&root, "todo-backend", "CronJob");
    until("the values make it a CronJob", || backend().kind == ComponentKind::CronJob).await;
    let c = backend();
    assert_eq!(c.schedule.as_deref(), Some("0 3 * * *"), "a CronJob needs a schedule");
    assert_eq!((c.replicas, c.service), (None, None), "a CronJob has neither");
    assert_eq!(findings(state, "kind-field"), Vec::<String>::new());
    let rendered =
        state.computed.with_untracked(|c| c.analysis.manifests.resources.iter().any(|r| r.object.kind() == "CronJob"));
    assert!(rendered, "the render has the CronJob");
    // The fields it no longer uses leave the form.
    until("the replicas input is gone", || root.query_selector(BACKEND_REPLICAS).unwrap().is_none()).await;
    let service: HtmlInputElement = one(&root, "[id=\"f-components.todo-backend.service\"]");
    assert!(service.closest("[hidden]").unwrap().is_some(), "the Service box is hidden");
}

#[wasm_bindgen_test]
async fn form_kind_schedule_input_writes_the_schedule() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let schedule = || component(state, "todo-backend").schedule;
    let input = "[id=\"f-components.todo-backend.schedule\"]";
    until("the form shows the backend", || root.query_selector(BACKEND_REPLICAS).unwrap().is_some()).await;
    assert!(all(&root, input).is_empty(), "a Deployment has no schedule");
    choose_kind(&root, "todo-backend", "CronJob");
    until("the schedule input shows", || !all(&root, input).is_empty()).await;
    let input: HtmlInputElement = one(&root, input);
    until("it shows the default schedule", || input.value() == "0 3 * * *").await;
    type_into(&input, || input.set_value("*/15 * * * *"));
    until("the values hold the new schedule", || schedule().as_deref() == Some("*/15 * * * *")).await;
    assert!(state.computed.with_untracked(|c| c.analysis.yaml.contains("*/15 * * * *")), "the CronJob runs on it");
}

#[wasm_bindgen_test]
async fn form_kind_stateful_set_takes_a_mounted_claim_template() {
    use kubeplay_core::values::ComponentKind;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    until("the form shows the backend", || root.query_selector(BACKEND_REPLICAS).unwrap().is_some()).await;
    choose_kind(&root, "todo-backend", "StatefulSet");
    until("the values make it a StatefulSet", || backend().kind == ComponentKind::StatefulSet).await;
    assert_eq!(backend().replicas, Some(1), "a StatefulSet keeps its count");

    let section: Element = one(&root, "[data-component=\"todo-backend\"] [data-testid=\"workload-kind\"]");
    let new_claim = "input[placeholder=\"e.g. data\"]";
    until("the claim templates show", || !all(&section, new_claim).is_empty()).await;
    let name: HtmlInputElement = one(&section, new_claim);
    type_into(&name, || name.set_value("data"));
    let add: HtmlElement = all(&section, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Add claim template"))
        .expect("an add button")
        .unchecked_into();
    until("the add button is enabled", || !add.has_attribute("disabled")).await;
    add.click();
    until("the values hold the claim template", || backend().volume_claim_templates.contains_key("data")).await;
    let c = backend();
    assert_eq!(c.volume_claim_templates["data"].size, "1Gi");
    assert!(c.volume_mounts.iter().any(|m| m.name == "data" && m.mount_path == "/mnt/data"), "and mounted");

    let size = "[id=\"f-components.todo-backend.volumeClaimTemplates.data.size\"]";
    until("its row shows", || !all(&section, size).is_empty()).await;
    let size: HtmlInputElement = one(&section, size);
    type_into(&size, || size.set_value("5Gi"));
    until("the size is written", || backend().volume_claim_templates["data"].size == "5Gi").await;
    assert_eq!(findings(state, "kind-field"), Vec::<String>::new());
    assert_eq!(findings(state, "volume-mount-unknown"), Vec::<String>::new());
    assert!(state.computed.with_untracked(|c| c.analysis.yaml.contains("volumeClaimTemplates:")));
}
