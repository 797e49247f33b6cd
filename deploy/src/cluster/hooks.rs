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
    /// Send each hook in order and wait for each Job to complete (not in a dry run); then delete
    /// the ones their policy deletes, as Helm does: a failed hook at once (`hook-failed`), all
    /// of them in reverse order once every one succeeded (`hook-succeeded`).
    pub async fn run(&self, members: &[&Member]) -> Result<(), ClusterError> {
        let dry_run = self.params.dry_run;
        for member in members {
            let meta = member.hook.as_ref().expect("only hooks are run as hooks");
            if hooks::deleted_before_creation(meta) && self.exists(member).await? {
                if dry_run {
                    // The server would compare it with the last run, whose pod template may
                    // not change: a real apply deletes that first.
                    self.ui.say(&format!(
                        "{} replaced (server dry run skipped: the last run is deleted first, helm.sh/hook-delete-policy: before-hook-creation)",
                        member.id()
                    ));
                    continue;
                }
                self.delete(member, "the hook's last run (helm.sh/hook-delete-policy: before-hook-creation)").await?;
            }
            let action = apply_noted(self.target, member, self.params, self.ledger).await?;
            report(self.ui, member, action, dry_run);
            let is_job =
                observe::followed_kind(&member.resolved.resource.group, member.kind()) == Some(WorkloadKind::Job);
            if is_job && !dry_run {
                if let Err(e) = self.complete(member).await {
                    if hooks::deleted_after(meta, false) {
                        self.delete(member, "the hook failed (helm.sh/hook-delete-policy: hook-failed)").await?;
                    }
                    return Err(e);
                }
            }
        }
        if !dry_run {
            for member in members.iter().rev() {
                if member.hook.as_ref().is_some_and(|meta| hooks::deleted_after(meta, true)) {
                    self.delete(member, "the hooks succeeded (helm.sh/hook-delete-policy: hook-succeeded)").await?;
                }
            }
        }
        Ok(())
    }

    async fn exists(&self, member: &Member) -> Result<bool, ClusterError> {
        let read = |e| self.target.error(&format!("read {}", member.describe()), e);
        Ok(member.api(self.target).get_opt(&member.name).await.map_err(read)?.is_some())
    }

    /// Delete the hook's object and wait until it is gone (a Job's pods with it); `why` ends
    /// the line that says so.
    async fn delete(&self, member: &Member, why: &str) -> Result<(), ClusterError> {
        match member.api(self.target).delete(&member.name, &DeleteParams::foreground()).await {
            Ok(_) => {}
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(()),
            Err(e) => return Err(self.target.error(&format!("delete {}", member.describe()), e)),
        }
        let deadline = Instant::now() + self.timeout;
        while self.exists(member).await? {
            if Instant::now() >= deadline {
                return Err(ClusterError::NotReady(format!(
                    "{} was deleted ({why}) but is still there after {}",
                    member.id(),
                    wait::human(self.timeout)
                )));
            }
            tokio::time::sleep(self.tuning.poll).await;
        }
        self.ui.say(&format!("{} deleted: {why}", member.id()));
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
        Err(ClusterError::NotReady(format!(
            "hook {} did not complete, so nothing after it was applied: {e}",
            member.id()
        )))
    }
}

/// Whether the hook is left out of the check of fields no update may change: it is not sent
/// in this apply, or its last run is deleted before it is made again.
pub fn skips_immutable_check(member: &Member, install: bool) -> bool {
    member.hook.as_ref().is_some_and(|meta| !hooks::updated_in_place(meta, None, install))
}

/// The last lines of each container's log, for every pod of Job `job`; what cannot be read
/// (no right, a log rotated away) is left out.
async fn job_logs(target: &Target, namespace: &str, job: &str) -> Vec<String> {
    let api: Api<Pod> = Api::namespaced(target.client.clone(), namespace);
    // The label since Kubernetes 1.27, then the one before.
    let mut pods = Vec::new();
    for label in ["batch.kubernetes.io/job-name", "job-name"] {
        if let Ok(list) = api.list(&ListParams::default().labels(&format!("{label}={job}"))).await {
            pods = list.items;
        }
        if !pods.is_empty() {
            break;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use kube::discovery::ApiResource;

    fn member(name: &str, hook: Option<(&str, &str)>) -> Member {
        let meta = |(points, weight): (&str, &str)| ObjectMeta {
            annotations: Some(
                [(hooks::HOOK, points), (hooks::HOOK_WEIGHT, weight)]
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .into(),
            ),
            ..Default::default()
        };
        Member {
            resolved: super::super::resources::Resolved {
                resource: ApiResource::erase::<k8s_openapi::api::batch::v1::Job>(&()),
                namespaced: true,
            },
            name: name.into(),
            namespace: Some("shop".into()),
            body: serde_json::Value::Null,
            hook: hook.map(meta),
        }
    }

    #[test]
    fn hooks_run_at_their_point_lowest_weight_first_in_install_order_within_a_weight() {
        let members = [
            member("app", None),
            member("seed", Some(("post-install", "0"))),
            member("migrate", Some(("pre-install,pre-upgrade", "5"))),
            member("data", Some(("pre-install", "-5"))),
            member("check", Some(("pre-install", "5"))),
            member("test", Some(("test", "0"))),
            member("upgrade-only", Some(("pre-upgrade", "0"))),
        ];
        let names = |list: &[&Member]| list.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
        let install = phases(&members, true);
        assert_eq!(names(&install.before), ["data", "migrate", "check"]);
        assert_eq!(names(&install.release), ["app"]);
        assert_eq!(names(&install.after), ["seed"]);
        assert_eq!(names(&install.not_now), ["test", "upgrade-only"]);
        let upgrade = phases(&members, false);
        assert_eq!(names(&upgrade.before), ["upgrade-only", "migrate"]);
        assert_eq!(names(&upgrade.not_now), ["seed", "data", "check", "test"]);
    }
}
