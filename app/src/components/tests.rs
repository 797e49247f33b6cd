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

/// The button of `root` labelled `label`.
fn button(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("a {label} button"))
        .unchecked_into()
}

/// Type `name` into the input beside `section`'s `label` button and press it once it takes
/// the name.
async fn add_named(section: &Element, name: &str, label: &str) {
    let add = button(section, label);
    let input: HtmlInputElement = one(&add.parent_element().expect("the button's row"), "input");
    type_into(&input, || input.set_value(name));
    until("the add button is enabled", || !add.has_attribute("disabled")).await;
    add.click();
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
    let cache: HtmlInputElement = one(&volumes, "[id=\"f-components.todo-frontend.volumeMounts[0].mountPath\"]");
    until("the mount path is shown", || cache.value() == "/app/.next/cache").await;

    add_named(&volumes, "uploads", "Add volume").await;
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
async fn form_empty_dir_writes_its_size_limit_and_memory_medium() {
    use kubeplay_core::values::{EmptyDirMedium, Volume};
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let field = |key: &str| format!("[id=\"f-components.todo-frontend.volumes.tmp.emptyDir.{key}\"]");
    let tmp = || match component(state, "todo-frontend").volumes.get("tmp") {
        Some(Volume::EmptyDir(dir)) => Some(dir.clone()),
        _ => None,
    };
    until("the preset's tmp volume shows", || !all(&root, &field("medium")).is_empty()).await;
    let size: HtmlInputElement = one(&root, &field("sizeLimit"));
    until("it shows the preset's limit", || size.value() == "64Mi").await;
    type_into(&size, || size.set_value("128Mi"));
    change(&size);
    tick(&one(&root, &field("medium")), true);
    until("the values hold both", || {
        tmp().is_some_and(|d| d.size_limit.as_deref() == Some("128Mi") && d.medium == Some(EmptyDirMedium::Memory))
    })
    .await;
    // A quantity that starts with a digit is quoted, as text.
    let volume = "- emptyDir:\n          medium: Memory\n          sizeLimit: \"128Mi\"\n        name: tmp\n";
    let yaml = state.computed.with_untracked(|c| c.analysis.yaml().to_string());
    assert!(yaml.contains(volume), "the pod's volume is written: {yaml}");
}

#[wasm_bindgen_test]
async fn form_allow_from_writes_the_ingress_controller_anywhere_and_namespaces() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let field = |key: &str| format!("[id=\"f-components.todo-frontend.allowFrom.{key}\"]");
    until("the frontend's form shows", || !all(&root, &field("anywhere")).is_empty()).await;
    for key in ["ingressController", "anywhere"] {
        tick(&one(&root, &field(key)), true);
    }
    let namespaces: HtmlInputElement = one(&root, &field("namespaces"));
    namespaces.set_value("monitoring, ops");
    change(&namespaces);
    let allowed = || component(state, "todo-frontend").allow_from.unwrap_or_default();
    until("the values allow all three", || {
        let a = allowed();
        a.ingress_controller && a.anywhere && a.namespaces == ["monitoring", "ops"]
    })
    .await;
    // The release's isolation names where the ingress controller runs.
    let isolate: HtmlInputElement = one(&root, "[id=\"f-networkPolicy\"]");
    tick(&isolate, true);
    let controller = "[id=\"f-networkPolicy.ingressControllerNamespace\"]";
    until("the controller's namespace input shows", || !all(&root, controller).is_empty()).await;
    let controller: HtmlInputElement = one(&root, controller);
    type_into(&controller, || controller.set_value("gateway"));
    change(&controller);
    let named = || {
        state.computed.with_untracked(|c| {
            let v = c.analysis.values.as_ref()?;
            v.network_policy.as_ref()?.ingress_controller_namespace.clone()
        })
    };
    until("the values name the controller's namespace", || named().as_deref() == Some("gateway")).await;
    let yaml = state.computed.with_untracked(|c| c.analysis.yaml().to_string());
    assert!(yaml.contains("kubernetes.io/metadata.name: gateway"), "the policy admits the controller's namespace");
    assert!(yaml.contains("kubernetes.io/metadata.name: monitoring"), "and the namespaces named");
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
    add_named(&section, "migrate", "Add init container").await;
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
    let rendered = state.computed.with_untracked(|c| c.analysis.yaml().contains("initContainers:"));
    assert!(rendered);
}

#[wasm_bindgen_test]
async fn form_ingress_routes_are_added_pointed_at_a_component_and_removed() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let ingress = || state.computed.with_untracked(|c| c.analysis.values.as_ref().and_then(|v| v.ingress.clone()));
    until("the preset has no Ingress", || ingress().is_none()).await;
    let section: Element = all(&root, "[data-testid=\"ingress\"]").into_iter().next().expect("a section");
    let button = |label: &str| button(&section, label);
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
    assert_eq!(c.schedule.as_deref(), Some(kubeplay_core::values::DEFAULT_SCHEDULE), "a CronJob needs a schedule");
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
async fn form_kind_cron_job_writes_its_retries_policies_and_history() {
    use kubeplay_core::values::{ConcurrencyPolicy, JobRestartPolicy};
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let field = |key: &str| format!("[id=\"f-components.todo-backend.{key}\"]");
    until("the form shows the backend", || root.query_selector(BACKEND_REPLICAS).unwrap().is_some()).await;
    choose_kind(&root, "todo-backend", "CronJob");
    until("the CronJob's fields show", || !all(&root, &field("failedJobsHistoryLimit")).is_empty()).await;
    for (key, number) in [("backoffLimit", "2"), ("successfulJobsHistoryLimit", "5"), ("failedJobsHistoryLimit", "0")] {
        let input: HtmlInputElement = one(&root, &field(key));
        type_into(&input, || input.set_value(number));
    }
    for (key, choice) in [("restartPolicy", "OnFailure"), ("concurrencyPolicy", "Forbid")] {
        let select: web_sys::HtmlSelectElement = one(&root, &field(key));
        select.set_value(choice);
        change(&select);
    }
    until("the values hold every field", || {
        let c = backend();
        (c.backoff_limit, c.successful_jobs_history_limit, c.failed_jobs_history_limit) == (Some(2), Some(5), Some(0))
            && c.restart_policy == Some(JobRestartPolicy::OnFailure)
            && c.concurrency_policy == Some(ConcurrencyPolicy::Forbid)
    })
    .await;
    let yaml = state.computed.with_untracked(|c| c.analysis.yaml().to_string());
    for written in [
        "concurrencyPolicy: Forbid",
        "successfulJobsHistoryLimit: 5",
        "failedJobsHistoryLimit: 0",
        "backoffLimit: 2",
        "restartPolicy: OnFailure",
    ] {
        assert!(yaml.contains(written), "the CronJob has `{written}`");
    }
    assert_eq!(findings(state, "kind-field"), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn form_kind_job_hook_runs_after_the_install_only_when_asked() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let hook = "[id=\"f-components.todo-backend.hook\"]";
    let after = "[id=\"f-components.todo-backend.hookAfterInstall\"]";
    until("the form shows the backend", || root.query_selector(BACKEND_REPLICAS).unwrap().is_some()).await;
    choose_kind(&root, "todo-backend", "Job");
    until("the hook box shows", || !all(&root, hook).is_empty()).await;
    assert!(all(&root, after).is_empty(), "when it runs is asked only of a hook");
    let hook: HtmlInputElement = one(&root, hook);
    hook.click();
    until("the values make it a hook", || backend().hook).await;
    until("the after-install box shows", || !all(&root, after).is_empty()).await;
    let after: HtmlInputElement = one(&root, after);
    after.click();
    until("the values run it after the install", || backend().hook_after_install).await;
    let annotated =
        state.computed.with_untracked(|c| c.analysis.yaml().contains("helm.sh/hook: post-install,pre-upgrade"));
    assert!(annotated, "the Job is a post-install, pre-upgrade hook");
    assert_eq!(findings(state, "kind-field"), Vec::<String>::new());
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
    until("it shows the default schedule", || input.value() == kubeplay_core::values::DEFAULT_SCHEDULE).await;
    type_into(&input, || input.set_value("*/15 * * * *"));
    until("the values hold the new schedule", || schedule().as_deref() == Some("*/15 * * * *")).await;
    assert!(state.computed.with_untracked(|c| c.analysis.yaml().contains("*/15 * * * *")), "the CronJob runs on it");
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
    add_named(&section, "data", "Add claim template").await;
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
    assert!(state.computed.with_untracked(|c| c.analysis.yaml().contains("volumeClaimTemplates:")));
}

/// Fire the `change` event a user's committing an input (Enter, leaving it, a pick) fires.
fn change(element: &Element) {
    element.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

/// Tick or untick a checkbox, as a click would.
fn tick(input: &HtmlInputElement, on: bool) {
    input.set_checked(on);
    change(input);
}

/// Type a whole line into an input written on commit (a list, a command) and commit it.
fn commit(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    change(input);
}

/// Pick `value` in a select.
fn pick(select: &web_sys::HtmlSelectElement, value: &str) {
    select.set_value(value);
    change(select);
}

/// The input (or select) that edits the values path `path`, once the form shows it.
async fn field<T: JsCast>(root: &Element, path: &str) -> T {
    let selector = format!("[id=\"f-{path}\"]");
    until(&format!("the form shows {path}"), || !all(root, &selector).is_empty()).await;
    one(root, &selector)
}

fn yaml(state: AppState) -> String {
    state.computed.with_untracked(|c| c.analysis.yaml().to_string())
}

#[wasm_bindgen_test]
async fn form_security_context_settings_write_the_values_and_the_findings() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend").security_context;
    let at = "components.todo-backend.securityContext";
    let read_only: web_sys::HtmlSelectElement = field(&root, &format!("{at}.readOnlyRootFilesystem")).await;
    until("the preset's read-only root shows", || read_only.value() == "true").await;
    assert!(findings(state, "read-only-root-fs").is_empty(), "the preset's containers are read-only");
    pick(&read_only, "");
    until("the setting is gone", || backend().read_only_root_filesystem.is_none()).await;
    assert_eq!(findings(state, "read-only-root-fs").len(), 1, "the backend's root is writable now");

    let escalation: web_sys::HtmlSelectElement = field(&root, &format!("{at}.allowPrivilegeEscalation")).await;
    pick(&escalation, "true");
    until("escalation is allowed", || backend().allow_privilege_escalation == Some(true)).await;
    assert!(!findings(state, "allow-privilege-escalation").is_empty());

    let user: HtmlInputElement = field(&root, &format!("{at}.runAsUser")).await;
    assert_eq!(user.value(), "1000");
    type_into(&user, || user.set_value("2000"));
    until("the user is written", || backend().run_as_user == Some(2000)).await;
    let non_root: web_sys::HtmlSelectElement = field(&root, &format!("{at}.runAsNonRoot")).await;
    pick(&non_root, "false");
    until("non-root is no longer asked", || backend().run_as_non_root == Some(false)).await;
    assert!(yaml(state).contains("runAsUser: 2000"), "the Deployment runs as the new user");
}

#[wasm_bindgen_test]
async fn form_probe_timings_write_the_values_and_make_liveness_identical_to_readiness() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let liveness = || component(state, "todo-backend").probes.liveness.expect("a liveness probe");
    let at = "components.todo-backend.probes.liveness";
    let delay: HtmlInputElement = field(&root, &format!("{at}.initialDelaySeconds")).await;
    until("the preset's delay shows", || delay.value() == "10").await;
    assert!(findings(state, "identical-probes").is_empty());
    // The preset's readiness probe: same path and port, 5 s delay, every 5 s, default failures.
    type_into(&delay, || delay.set_value("5"));
    let period: HtmlInputElement = field(&root, &format!("{at}.periodSeconds")).await;
    type_into(&period, || period.set_value("5"));
    let failures: HtmlInputElement = field(&root, &format!("{at}.failureThreshold")).await;
    type_into(&failures, || failures.set_value(""));
    until("the timings are written", || {
        let p = liveness();
        (p.initial_delay_seconds, p.period_seconds, p.failure_threshold) == (Some(5), Some(5), None)
    })
    .await;
    assert_eq!(findings(state, "identical-probes").len(), 1, "liveness now acts with readiness");
    let timeout: HtmlInputElement = field(&root, &format!("{at}.timeoutSeconds")).await;
    type_into(&timeout, || timeout.set_value("3"));
    until("the timeout is written", || liveness().timeout_seconds == Some(3)).await;
    assert!(findings(state, "identical-probes").is_empty(), "a different timeout is enough");
}

#[wasm_bindgen_test]
async fn form_mount_options_and_key_files_are_written() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let frontend = || component(state, "todo-frontend");
    let read_only: HtmlInputElement = field(&root, "components.todo-frontend.volumeMounts[0].readOnly").await;
    assert!(!read_only.checked());
    tick(&read_only, true);
    until("the mount is read-only", || frontend().volume_mounts[0].read_only == Some(true)).await;
    let sub_path: HtmlInputElement = field(&root, "components.todo-frontend.volumeMounts[1].subPath").await;
    type_into(&sub_path, || sub_path.set_value("scratch"));
    until("the sub path is written", || frontend().volume_mounts[1].sub_path.as_deref() == Some("scratch")).await;
    let written = yaml(state);
    assert!(written.contains("readOnly: true") && written.contains("subPath: scratch"), "{written}");

    // The tmp volume becomes the auth secret as a file of its own name and mode.
    let source: web_sys::HtmlSelectElement = field(&root, "components.todo-frontend.volumes.tmp").await;
    pick(&source, "secret");
    let items: HtmlInputElement = field(&root, "components.todo-frontend.volumes.tmp.secret.items").await;
    commit(&items, "BETTER_AUTH_SECRET=auth/secret");
    let mode: HtmlInputElement = field(&root, "components.todo-frontend.volumes.tmp.secret.defaultMode").await;
    commit(&mode, "0440");
    until("the files are written", || {
        matches!(&frontend().volumes["tmp"], kubeplay_core::values::Volume::Secret(f)
            if f.items.get("BETTER_AUTH_SECRET").map(String::as_str) == Some("auth/secret") && f.default_mode == Some(0o440))
    })
    .await;
    until("the mode shows in octal", || mode.value() == "0440").await;
    assert!(yaml(state).contains("path: auth/secret"));
    // Half-typed pairs change nothing.
    commit(&items, "BETTER_AUTH_SECRET");
    sleep(50).await;
    assert!(matches!(&frontend().volumes["tmp"], kubeplay_core::values::Volume::Secret(f) if f.items.len() == 1));
}

#[wasm_bindgen_test]
async fn form_claim_class_and_access_modes_are_written() {
    use kubeplay_core::values::{AccessMode, Volume};
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let claim = || match &component(state, "todo-frontend").volumes["next-cache"] {
        Volume::PersistentVolumeClaim(c) => Some(c.clone()),
        _ => None,
    };
    let source: web_sys::HtmlSelectElement = field(&root, "components.todo-frontend.volumes.next-cache").await;
    pick(&source, "persistentVolumeClaim");
    until("the volume is a claim", || claim().is_some()).await;
    let at = "components.todo-frontend.volumes.next-cache.persistentVolumeClaim";
    let class: HtmlInputElement = field(&root, &format!("{at}.storageClassName")).await;
    type_into(&class, || class.set_value("fast"));
    let modes: Element = field(&root, &format!("{at}.accessModes")).await;
    let once_pod: HtmlInputElement = all(&modes, "input")
        .into_iter()
        .find(|e| e.parent_element().and_then(|p| p.text_content()).as_deref() == Some("ReadWriteOncePod"))
        .expect("a ReadWriteOncePod box")
        .unchecked_into();
    tick(&once_pod, true);
    until("the claim is written", || {
        claim().is_some_and(|c| {
            c.storage_class_name.as_deref() == Some("fast") && c.access_modes == [AccessMode::ReadWriteOncePod]
        })
    })
    .await;
    let written = yaml(state);
    assert!(written.contains("storageClassName: fast") && written.contains("- ReadWriteOncePod"), "{written}");
}

#[wasm_bindgen_test]
async fn form_ingress_tls_is_added_reported_while_its_secret_is_missing_and_removed() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let tls = || {
        state.computed.with_untracked(|c| {
            c.analysis.values.as_ref().and_then(|v| v.ingress.as_ref()).map(|i| i.tls.clone()).unwrap_or_default()
        })
    };
    let section: Element = all(&root, "[data-testid=\"ingress\"]").into_iter().next().expect("a section");
    let button = |label: &str| button(&section, label);
    button("Add a route").click();
    until("the TLS inputs show", || {
        all(&section, "button").iter().any(|b| b.text_content().as_deref() == Some("Add TLS"))
    })
    .await;
    add_named(&section, "todo-tls", "Add TLS").await;
    until("the values hold the TLS", || tls().first().is_some_and(|t| t.secret_name == "todo-tls")).await;
    assert_eq!(findings(state, "ingress-tls-secret-missing").len(), 1, "no Secret todo-tls is made");
    let hosts: HtmlInputElement = field(&root, "ingress.tls[0].hosts").await;
    commit(&hosts, "todo.local, www.todo.local");
    until("the hosts are written", || tls()[0].hosts == ["todo.local", "www.todo.local"]).await;
    assert!(yaml(state).contains("secretName: todo-tls"));
    button("Remove TLS").click();
    until("the TLS is gone", || tls().is_empty()).await;
    // The values cannot make a TLS Secret (it is made at deploy time): without the TLS entry
    // nothing names one, so nothing is missing.
    assert_eq!(findings(state, "ingress-tls-secret-missing"), Vec::<String>::new());
    assert!(!yaml(state).contains("secretName: todo-tls"));
}

#[wasm_bindgen_test]
async fn form_memory_target_and_account_settings_are_written() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let autoscale: HtmlInputElement = field(&root, "components.todo-backend.autoscaling").await;
    tick(&autoscale, true);
    let memory: HtmlInputElement =
        field(&root, "components.todo-backend.autoscaling.targetMemoryUtilizationPercentage").await;
    type_into(&memory, || memory.set_value("75"));
    until("the memory target is written", || {
        backend().autoscaling.is_some_and(|a| a.target_memory_utilization_percentage == Some(75))
    })
    .await;
    assert!(yaml(state).contains("averageUtilization: 75"), "the autoscaler aims at it");

    let account: HtmlInputElement = field(&root, "components.todo-backend.serviceAccount").await;
    tick(&account, true);
    let name: HtmlInputElement = field(&root, "components.todo-backend.serviceAccount.name").await;
    type_into(&name, || name.set_value("chatbot"));
    until("the account is named", || backend().service_account.is_some_and(|a| a.name.as_deref() == Some("chatbot")))
        .await;
    assert!(findings(state, "service-account-missing").is_empty(), "kubeplay makes it");
    let made =
        yaml(state).split("\n---").any(|d| d.contains("kind: ServiceAccount") && d.contains("  name: chatbot\n"));
    assert!(made, "the account is rendered: {}", yaml(state));
    let create: HtmlInputElement = field(&root, "components.todo-backend.serviceAccount.create").await;
    assert!(create.checked());
    tick(&create, false);
    until("the account is made elsewhere", || backend().service_account.is_some_and(|a| !a.create)).await;
    assert_eq!(findings(state, "service-account-missing").len(), 1, "and nothing makes it");
    let token: HtmlInputElement =
        field(&root, "components.todo-backend.serviceAccount.automountServiceAccountToken").await;
    tick(&token, true);
    until("the token is mounted", || backend().service_account.is_some_and(|a| a.automount_service_account_token))
        .await;
}

#[wasm_bindgen_test]
async fn form_pre_stop_command_replaces_the_sleep() {
    use kubeplay_core::values::PreStop;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let pre_stop = || component(state, "todo-backend").pre_stop;
    let sleep_input: HtmlInputElement = field(&root, "components.todo-backend.preStop.sleep").await;
    type_into(&sleep_input, || sleep_input.set_value("5"));
    until("the sleep is written", || pre_stop() == Some(PreStop::Sleep(5))).await;
    let exec: HtmlInputElement = field(&root, "components.todo-backend.preStop.exec").await;
    commit(&exec, "sh -c 'sleep 2; kill -TERM 1'");
    until("the command replaces it", || {
        pre_stop() == Some(PreStop::Exec(vec!["sh".into(), "-c".into(), "sleep 2; kill -TERM 1".into()]))
    })
    .await;
    until("the sleep input empties", || sleep_input.value().is_empty()).await;
    assert!(yaml(state).contains("exec:"), "the container runs it before stopping");
    commit(&exec, "");
    until("no preStop is left", || pre_stop().is_none()).await;
}

/// The checkbox labelled `label` (its text starting so) among `boxes`' inputs.
fn check_box(boxes: &Element, label: &str) -> HtmlInputElement {
    all(boxes, "input")
        .into_iter()
        .find(|e| e.parent_element().and_then(|p| p.text_content()).is_some_and(|t| t.starts_with(label)))
        .unwrap_or_else(|| panic!("a {label} box"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn form_init_container_takes_arguments_environment_and_security_settings() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let init = || component(state, "todo-backend").init_containers.first().cloned();
    let section: Element = one(&root, "[data-component=\"todo-backend\"] [data-testid=\"init-containers\"]");
    add_named(&section, "migrate", "Add init container").await;
    let at = "components.todo-backend.initContainers[0]";
    let args: HtmlInputElement = field(&root, &format!("{at}.args")).await;
    commit(&args, "upgrade head");
    until("the arguments are written", || init().is_some_and(|c| c.args == ["upgrade", "head"])).await;

    // It takes the database URL from the release's Secret and its pod's name.
    let secrets: Element = field(&root, &format!("{at}.secretKeys")).await;
    tick(&check_box(&secrets, "DATABASE_URL"), true);
    until("the secret key is taken", || init().is_some_and(|c| c.secret_keys == ["DATABASE_URL"])).await;
    let config: Element = field(&root, &format!("{at}.configKeys")).await;
    tick(&check_box(&config, "LOG_LEVEL"), true);
    until("the config key is taken", || init().is_some_and(|c| c.config_keys == ["LOG_LEVEL"])).await;
    let pod: Element = field(&root, &format!("{at}.fieldEnv")).await;
    tick(&check_box(&pod, "POD_NAME"), true);
    until("the pod's name is taken", || init().is_some_and(|c| c.field_env.contains_key("POD_NAME"))).await;
    assert!(
        component(state, "todo-backend").secret_keys.contains(&"OPENAI_API_KEY".to_string()),
        "the app's own keys stay"
    );

    let env: Element = one(&root, "[data-component=\"todo-backend\"] [data-testid=\"init-env\"]");
    add_named(&env, "ALEMBIC_CONFIG", "Add key").await;
    let value: HtmlInputElement = field(&root, &format!("{at}.env.ALEMBIC_CONFIG")).await;
    type_into(&value, || value.set_value("/app/alembic.ini"));
    until("the variable is written", || {
        init().is_some_and(|c| c.env.get("ALEMBIC_CONFIG").map(String::as_str) == Some("/app/alembic.ini"))
    })
    .await;

    let non_root: web_sys::HtmlSelectElement = field(&root, &format!("{at}.securityContext.runAsNonRoot")).await;
    pick(&non_root, "true");
    until("it runs as non-root", || init().is_some_and(|c| c.security_context.run_as_non_root == Some(true))).await;
    let written = yaml(state);
    assert!(written.contains("/app/alembic.ini") && written.contains("fieldPath: metadata.name"), "{written}");
}

#[wasm_bindgen_test]
async fn form_mount_inputs_are_named_by_their_place_and_follow_it() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let frontend = || component(state, "todo-frontend");
    let tmp: HtmlInputElement = field(&root, "components.todo-frontend.volumeMounts[1].mountPath").await;
    until("the preset's mount shows", || tmp.value() == "/tmp").await;
    // Emptied, the mount stays (only its button removes it), so the input and its focus stay.
    type_into(&tmp, || tmp.set_value(""));
    until("the path is emptied", || frontend().volume_mounts[1].mount_path.is_empty()).await;
    assert_eq!(frontend().volume_mounts.len(), 2);
    // The cache's mount goes: the same input is now named by the tmp mount's new place.
    let cache: Element = one(&root, "[data-component=\"todo-frontend\"] li[data-volume=\"next-cache\"]");
    button(&cache, "Remove mount").click();
    until("the cache is not mounted", || frontend().volume_mounts.len() == 1).await;
    until("the input is named by its new place", || tmp.id() == "f-components.todo-frontend.volumeMounts[0].mountPath")
        .await;
    type_into(&tmp, || tmp.set_value("/scratch"));
    until("it is mounted again", || {
        frontend().volume_mounts.iter().any(|m| m.name == "tmp" && m.mount_path == "/scratch")
    })
    .await;
    assert!(yaml(state).contains("mountPath: /scratch"));
}

/// The frontend's `tmp` volume row, once it lists `mounts` mounts.
async fn tmp_row(root: &Element, mounts: usize) -> Element {
    let row = "[data-component=\"todo-frontend\"] li[data-volume=\"tmp\"]";
    until(&format!("tmp shows {mounts} mounts"), || {
        root.query_selector(row).unwrap().is_some_and(|r| all(&r, "li.mount").len() == mounts)
    })
    .await;
    one(root, row)
}

#[wasm_bindgen_test]
async fn form_a_volume_mounted_twice_shows_both_mounts_and_edits_each_alone() {
    use kubeplay_core::values::VolumeMount;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let frontend = || component(state, "todo-frontend");
    until("the preset is read", || state.computed.with_untracked(|c| c.analysis.values.is_some())).await;
    state.edit_values(|v| {
        let second = VolumeMount { name: "tmp".into(), mount_path: "/var/tmp".into(), read_only: None, sub_path: None };
        v.components.get_mut("todo-frontend").unwrap().volume_mounts.push(second);
    });
    let row = tmp_row(&root, 2).await;
    let first: HtmlInputElement = one(&row, "[id=\"f-components.todo-frontend.volumeMounts[1].mountPath\"]");
    let second: HtmlInputElement = field(&row, "components.todo-frontend.volumeMounts[2].mountPath").await;
    until("each mount shows its path", || first.value() == "/tmp" && second.value() == "/var/tmp").await;
    assert_eq!(all(&row, "[id=\"f-components.todo-frontend.volumeMounts[2].subPath\"]").len(), 1);
    assert_eq!(all(&row, "[id=\"f-components.todo-frontend.volumeMounts[2].readOnly\"]").len(), 1);

    type_into(&second, || second.set_value("/var/cache"));
    until("the second mount moves", || frontend().volume_mounts[2].mount_path == "/var/cache").await;
    let written = yaml(state);
    assert!(written.contains("mountPath: /tmp\n") && written.contains("mountPath: /var/cache\n"), "{written}");
    assert!(!written.contains("/var/tmp"), "{written}");
    assert_eq!(frontend().volume_mounts[1].mount_path, "/tmp", "the first mount is untouched");
    assert_eq!(first.value(), "/tmp");
}

#[wasm_bindgen_test]
async fn form_add_mount_then_remove_mount_round_trips() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let frontend = || component(state, "todo-frontend");
    let row = tmp_row(&root, 1).await;
    let before = (frontend().volume_mounts, yaml(state));

    button(&row, "Add mount").click();
    let row = tmp_row(&root, 2).await;
    let added: HtmlInputElement = field(&row, "components.todo-frontend.volumeMounts[2].mountPath").await;
    until("the new mount shows core's path", || added.value() == "/mnt/tmp").await;
    assert!(yaml(state).contains("mountPath: /mnt/tmp\n"));
    assert_eq!(findings(state, "volume-mount-unknown"), Vec::<String>::new());

    let removes = all(&row, "button")
        .into_iter()
        .filter(|b| b.text_content().as_deref() == Some("Remove mount"))
        .collect::<Vec<_>>();
    assert_eq!(removes.len(), 2, "one per mount");
    removes[1].unchecked_ref::<HtmlElement>().click();
    tmp_row(&root, 1).await;
    until("the values are as before", || frontend().volume_mounts == before.0).await;
    assert_eq!(yaml(state), before.1);
}

#[wasm_bindgen_test]
async fn form_common_labels_are_put_on_every_resource() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let labels = || state.computed.with_untracked(|c| c.analysis.values.as_ref().map(|v| v.common_labels.clone()));
    let section: Element = one(&root, "[data-testid=\"common-labels\"]");
    until("the preset has none", || labels().is_some_and(|l| l.is_empty())).await;
    add_named(&section, "team", "Add key").await;
    let value: HtmlInputElement = field(&root, "commonLabels.team").await;
    type_into(&value, || value.set_value("web"));
    until("the label is written", || labels().is_some_and(|l| l.get("team").map(String::as_str) == Some("web"))).await;
    let unlabelled: Vec<String> = state.computed.with_untracked(|c| {
        let docs: Vec<&str> = c.analysis.yaml().split("\n---").filter(|d| d.contains("kind:")).collect();
        assert!(!docs.is_empty());
        docs.into_iter().filter(|d| !d.contains("team: web")).map(str::to_string).collect()
    });
    assert!(unlabelled.is_empty(), "every object is labelled; not: {unlabelled:?}");
}

#[wasm_bindgen_test]
async fn form_node_port_shows_for_node_port_services_and_is_written() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let service = |name: &str| component(state, name).service.expect("a Service");
    let backend_port = "[id=\"f-components.todo-backend.service.nodePort\"]";
    // The frontend's LoadBalancer opens node ports; the backend's ClusterIP does not.
    let frontend_port: HtmlInputElement = field(&root, "components.todo-frontend.service.nodePort").await;
    assert!(all(&root, backend_port).is_empty(), "a ClusterIP Service has no node port");
    type_into(&frontend_port, || frontend_port.set_value("30080"));
    until("the node port is written", || service("todo-frontend").node_port == Some(30080)).await;
    assert!(yaml(state).contains("nodePort: 30080"), "the Service opens it");
    assert!(findings(state, "node-port").is_empty());

    let kind: web_sys::HtmlSelectElement = field(&root, "components.todo-backend.service.type").await;
    pick(&kind, "NodePort");
    let port: HtmlInputElement = field(&root, "components.todo-backend.service.nodePort").await;
    type_into(&port, || port.set_value("40000"));
    until("the out-of-range port is written", || service("todo-backend").node_port == Some(40000)).await;
    assert_eq!(findings(state, "node-port").len(), 1, "outside 30000-32767");
    type_into(&port, || port.set_value(""));
    until("Kubernetes picks again", || service("todo-backend").node_port.is_none()).await;
    assert!(findings(state, "node-port").is_empty());
}

#[wasm_bindgen_test]
async fn form_ingress_class_path_type_and_port_are_written() {
    use kubeplay_core::values::PathType;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let ingress = || state.computed.with_untracked(|c| c.analysis.values.as_ref().and_then(|v| v.ingress.clone()));
    let section: Element = one(&root, "[data-testid=\"ingress\"]");
    button(&section, "Add a route").click();
    let class: HtmlInputElement = field(&root, "ingress.className").await;
    assert_eq!(class.placeholder(), kubeplay_core::values::DEFAULT_INGRESS_CLASS, "the class it gets unless told");
    type_into(&class, || class.set_value("traefik"));
    until("the class is written", || ingress().is_some_and(|i| i.class_name.as_deref() == Some("traefik"))).await;
    let at = "ingress.hosts[0].paths[0]";
    let path_type: web_sys::HtmlSelectElement = field(&root, &format!("{at}.pathType")).await;
    assert_eq!(path_type.value(), "Prefix");
    pick(&path_type, "Exact");
    until("the path type is written", || ingress().is_some_and(|i| i.hosts[0].paths[0].path_type == PathType::Exact))
        .await;
    let port: HtmlInputElement = field(&root, &format!("{at}.port")).await;
    type_into(&port, || port.set_value("8000"));
    until("the port is written", || ingress().is_some_and(|i| i.hosts[0].paths[0].port == Some(8000))).await;
    let written = yaml(state);
    for line in ["ingressClassName: traefik", "pathType: Exact", "number: 8000"] {
        assert!(written.contains(line), "{line} in {written}");
    }
    type_into(&class, || class.set_value(" "));
    until("the class is unset", || ingress().is_some_and(|i| i.class_name.is_none())).await;
}

#[wasm_bindgen_test]
async fn form_init_container_pull_policy_is_written() {
    use kubeplay_core::values::PullPolicy;
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let init = || component(state, "todo-backend").init_containers.first().cloned();
    let section: Element = one(&root, "[data-component=\"todo-backend\"] [data-testid=\"init-containers\"]");
    add_named(&section, "migrate", "Add init container").await;
    let policy: web_sys::HtmlSelectElement =
        field(&root, "components.todo-backend.initContainers[0].image.pullPolicy").await;
    until("it shows the component's policy", || policy.value() == "Never").await;
    pick(&policy, "IfNotPresent");
    until("the policy is written", || init().is_some_and(|c| c.image.pull_policy == Some(PullPolicy::IfNotPresent)))
        .await;
    assert_eq!(component(state, "todo-backend").image.pull_policy, Some(PullPolicy::Never), "the app's stays");
    assert!(yaml(state).contains("imagePullPolicy: IfNotPresent"));
    pick(&policy, "");
    until("the policy is unset", || init().is_some_and(|c| c.image.pull_policy.is_none())).await;
}

#[wasm_bindgen_test]
async fn form_added_capabilities_are_written_for_the_app_and_init_containers() {
    let (state, root) = mount(|| view! { <ValuesForm/> });
    let backend = || component(state, "todo-backend");
    let added = |s: &kubeplay_core::values::SecurityContext| s.capabilities.as_ref().and_then(|c| c.add.clone());
    let add: HtmlInputElement = field(&root, "components.todo-backend.securityContext.capabilities.add").await;
    commit(&add, "NET_BIND_SERVICE, NET_ADMIN");
    until("the app's are written", || {
        added(&backend().security_context) == Some(vec!["NET_BIND_SERVICE".into(), "NET_ADMIN".into()])
    })
    .await;
    let c = backend().security_context.capabilities.expect("capabilities");
    assert_eq!(c.drop, Some(vec!["ALL".to_string()]), "what it drops stays");
    let written = yaml(state);
    assert!(written.contains("- NET_ADMIN"), "{written}");
    // Baseline lets a container add the runtime's defaults only.
    state.pod_security.set(Some(kubeplay_core::PodSecurityLevel::Baseline));
    let beyond = findings(state, "pod-security-capabilities");
    assert!(beyond.len() == 1 && beyond[0].contains("NET_ADMIN"), "{beyond:?}");
    // Unticking restricted keeps what it adds; emptying the list leaves only the drop.
    let restricted: HtmlInputElement = field(&root, "components.todo-backend.securityContext.capabilities").await;
    tick(&restricted, false);
    until("the drop is gone", || backend().security_context.capabilities.as_ref().is_some_and(|c| c.drop.is_none()))
        .await;
    assert!(added(&backend().security_context).is_some());
    commit(&add, "");
    until("no capabilities are left", || backend().security_context.capabilities.is_none()).await;

    let section: Element = one(&root, "[data-component=\"todo-backend\"] [data-testid=\"init-containers\"]");
    add_named(&section, "migrate", "Add init container").await;
    let init_add: HtmlInputElement =
        field(&root, "components.todo-backend.initContainers[0].securityContext.capabilities.add").await;
    commit(&init_add, "CHOWN");
    until("the init container's are written", || {
        backend().init_containers.first().is_some_and(|c| added(&c.security_context) == Some(vec!["CHOWN".into()]))
    })
    .await;
    assert!(yaml(state).contains("- CHOWN"));
}
