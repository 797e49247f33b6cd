//! Helm hooks in an apply (`helm.sh/hook`, core's `manifest::hooks`): the ones Helm runs before
//! a release's objects go first, lowest weight first, and each Job among them is waited for
//! until it completes; one that fails shows its pods' logs and stops the apply before anything
//! else is sent. Hooks run after the objects go last. Hooks of other verbs (`helm test`) and
//! of the other of install and upgrade are not sent.

use super::apply::{apply_noted, report, Ledger};
use super::client::Target;
use super::errors::ClusterError;
use super::observe;
use super::plan::{Member, Plan};
use super::ui::Ui;
use super::{wait, Tuning};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, ListParams, LogParams, PatchParams};
use kube::{Api, ResourceExt};
use kubeplay_core::manifest::hooks::{self, HookRun};
use kubeplay_core::manifest::WorkloadKind;
use std::time::{Duration, Instant};

/// Lines of a failed hook pod's log shown.
const LOG_TAIL_LINES: i64 = 20;

/// The plan's members (Namespaces aside) by when they are sent in this apply.
pub struct Phases<'p> {
    pub before: Vec<&'p Member>,
    pub release: Vec<&'p Member>,
    pub after: Vec<&'p Member>,
    pub not_now: Vec<&'p Member>,
}

/// Sort `members` (in install order) by when they run; `install` when the release is new.
pub fn phases<'p>(members: impl IntoIterator<Item = &'p Member>, install: bool) -> Phases<'p> {
    let mut phases = Phases { before: Vec::new(), release: Vec::new(), after: Vec::new(), not_now: Vec::new() };
    for member in members {
        match &member.hook {
            None => phases.release.push(member),
            Some(meta) => match hooks::run_in(meta, install) {
                HookRun::Before => phases.before.push(member),
                HookRun::After => phases.after.push(member),
                HookRun::NotNow => phases.not_now.push(member),
            },
        }
    }
    // Stable: install order within a weight.
    for hooks in [&mut phases.before, &mut phases.after] {
        hooks.sort_by_key(|m| m.hook.as_ref().map_or(0, hooks::weight));
    }
    phases
}

/// What one run of hooks needs besides the hooks.
pub struct HookRunner<'a> {
    pub target: &'a Target,
    pub plan: &'a Plan,
    pub params: &'a PatchParams,
    pub ledger: &'a Ledger,
    pub ui: &'a Ui,
    pub tuning: &'a Tuning,
    pub timeout: Duration,
}

impl HookRunner<'_> {
    /// Send each hook in order; wait for each Job to complete (not in a dry run).
    pub async fn run(&self, members: &[&Member]) -> Result<(), ClusterError> {
        let dry_run = self.params.dry_run;
        for member in members {
            let meta = member.hook.as_ref().expect("only hooks are run as hooks");
            if !dry_run && hooks::deleted_before_creation(meta) {
                self.delete_previous(member).await?;
            }
            let action = apply_noted(self.target, member, self.params, self.ledger).await?;
            report(self.ui, member, action, dry_run);
            let is_job =
                observe::followed_kind(&member.resolved.resource.group, member.kind()) == Some(WorkloadKind::Job);
            if is_job && !dry_run {
                self.complete(member).await?;
            }
        }
        Ok(())
    }

    /// Delete the hook's previous object and wait until it is gone (a Job's pods with it).
    async fn delete_previous(&self, member: &Member) -> Result<(), ClusterError> {
        let api = member.api(self.target);
        let read = |e| self.target.error(&format!("read {}", member.describe()), e);
        if api.get_opt(&member.name).await.map_err(read)?.is_none() {
            return Ok(());
        }
        match api.delete(&member.name, &DeleteParams::foreground()).await {
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(()),
            Err(e) => return Err(self.target.error(&format!("delete {}", member.describe()), e)),
        }
        let deadline = Instant::now() + self.timeout;
        while api.get_opt(&member.name).await.map_err(read)?.is_some() {
            if Instant::now() >= deadline {
                return Err(ClusterError::NotReady(format!(
                    "{} from the last run was deleted (helm.sh/hook-delete-policy: before-hook-creation) but is still there after {}",
                    member.id(),
                    wait::human(self.timeout)
                )));
            }
            tokio::time::sleep(self.tuning.poll).await;
        }
        self.ui.say(&format!(
            "{} deleted: the hook's last run (helm.sh/hook-delete-policy: before-hook-creation)",
            member.id()
        ));
        Ok(())
    }

    /// Wait for a hook Job to complete; when it does not, show its pods' logs.
    async fn complete(&self, member: &Member) -> Result<(), ClusterError> {
        let only = Plan { set: self.plan.set.clone(), members: vec![member.clone()] };
        let Err(e) = wait::wait(self.target, &only, true, self.timeout, self.tuning, self.ui).await else {
            return Ok(());
        };
        if let Some(namespace) = &member.namespace {
            for line in job_logs(self.target, namespace, &member.name).await {
                self.ui.say(&line);
            }
        }
        Err(ClusterError::NotReady(format!("hook {} did not complete, so nothing else was applied: {e}", member.id())))
    }
}

/// The last lines of each container's log, for every pod of Job `job`; what cannot be read
/// (no right, a log rotated away) is left out.
async fn job_logs(target: &Target, namespace: &str, job: &str) -> Vec<String> {
    let api: Api<Pod> = Api::namespaced(target.client.clone(), namespace);
    let params = ListParams::default().labels(&format!("batch.kubernetes.io/job-name={job}"));
    let Ok(list) = api.list(&params).await else { return Vec::new() };
    let mut pods = list.items;
    pods.sort_by_key(|p| p.name_any());
    let mut lines = Vec::new();
    for pod in &pods {
        let spec = pod.spec.iter();
        let containers = spec.flat_map(|s| s.init_containers.iter().flatten().chain(&s.containers));
        for container in containers {
            let params = LogParams {
                container: Some(container.name.clone()),
                tail_lines: Some(LOG_TAIL_LINES),
                ..Default::default()
            };
            let Ok(text) = api.logs(&pod.name_any(), &params).await else { continue };
            if text.trim().is_empty() {
                continue;
            }
            lines.push(format!(
                "log of pod {}, container {} (last {LOG_TAIL_LINES} lines):",
                pod.name_any(),
                container.name
            ));
            lines.extend(text.lines().map(|l| format!("  {l}")));
        }
    }
    lines
}
