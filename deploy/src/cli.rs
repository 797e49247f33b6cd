//! The command line: every verb and flag, with the help text people read.
//!
//! Names that belong to the model (presets, profiles) are listed from `kubeplay_core` at run
//! time, so a preset added there shows up in `--help` and in shell completions by itself.

use clap::builder::{PossibleValue, PossibleValuesParser, StringValueParser, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Args, Parser, Subcommand, ValueEnum};
use kubeplay_core::openapi;
use kubeplay_core::presets::{self, PRESETS};
use kubeplay_core::setargs::SetArg;
use kubeplay_core::{PodSecurityLevel, Profile, Settings};
use std::ffi::OsStr;
use std::path::PathBuf;

const ABOUT: &str = "Render, validate and graph Kubernetes manifests, offline.";

const AFTER_HELP: &str = "\
Examples:
  kubeplay render -o out/                           write one file per resource
  kubeplay render --set components.NAME.replicas=3  change one value of the preset
  kubeplay validate my-values.yaml                  check values layered over the preset
  kubeplay validate deployment.yaml service.yaml    check manifests from anywhere
  kubeplay graph --format mermaid                   draw the links as a Mermaid flowchart

Exit status: 0 when nothing is an error (warnings are fine), 1 when an input has errors,
2 when the command could not run (bad flag, unreadable file, failed write).";

#[derive(Debug, Parser)]
#[command(name = "kubeplay", version, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// When to color diagnostics: `auto` colors a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render values into Kubernetes manifests (YAML on stdout, or one file per resource).
    ///
    /// Values are layered like helm: the preset, then each -f file in order, then the --set and
    /// --set-string expressions in the order given. Diagnostics go to stderr; when any is an
    /// error nothing is written.
    Render(RenderArgs),
    /// Check values files and/or manifest files and report every problem found.
    ///
    /// Each FILE is told apart by its content: YAML documents with `apiVersion` and `kind` are
    /// manifests, anything else is values. Values files are layered over the preset (like -f);
    /// manifest files are checked together as one set. With no FILE, the preset (plus --set) is
    /// checked.
    Validate(ValidateArgs),
    /// Draw how the resources connect (Service -> Pods, env -> ConfigMap, ...); broken links are marked.
    ///
    /// Takes the same inputs as `validate`, but one kind at a time: values or manifests.
    Graph(GraphArgs),
    /// Print a preset's values file, comments included: a starting point for your own.
    Values(ValuesArgs),
    /// Print the JSON Schema of values files (usable by editors for completion and checks).
    Schema,
    /// List every rule: its ID, category, severity under each profile and what it checks.
    Rules(RulesArgs),
    /// List the built-in presets.
    Presets,
    /// Write the Helm chart that renders exactly what `kubeplay render` does.
    ///
    /// `helm template R DIR -f my-values.yaml` then gives the same documents as
    /// `kubeplay render --release R -f my-values.yaml`.
    Chart(ChartArgs),
    /// Print a shell completion script.
    ///
    /// For example: `kubeplay completions bash > ~/.local/share/bash-completion/completions/kubeplay`.
    Completions(CompletionsArgs),
    /// Deploy to the cluster: server-side apply in install order, then wait for the rollout and
    /// explain what goes wrong.
    ///
    /// Secrets come from --secret KEY=VALUE, --secrets-from-env-file FILE or the environment;
    /// they are never written to disk or printed.
    Apply(ApplyCommand),
    /// Show what apply would change (server-side dry run against the live objects; Secret
    /// values masked).
    Diff(DiffCommand),
    /// Show the set's resources on the cluster with their health, pods and how to reach them.
    Status(StatusCommand),
    /// Delete everything in the set, in uninstall order, the Namespace last.
    Delete(DeleteCommand),
}

/// What the cluster verbs act on: values (as for render) or manifest files.
#[derive(Debug, Args)]
pub struct DeployInput {
    /// Values or manifest files (told apart by content, like -f). `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct ApplyCommand {
    #[command(flatten)]
    pub target: DeployInput,
    #[command(flatten)]
    pub cluster: crate::cluster::args::ApplyArgs,
}

#[derive(Debug, Args)]
pub struct DiffCommand {
    #[command(flatten)]
    pub target: DeployInput,
    #[command(flatten)]
    pub cluster: crate::cluster::args::DiffArgs,
}

#[derive(Debug, Args)]
pub struct StatusCommand {
    #[command(flatten)]
    pub target: DeployInput,
    #[command(flatten)]
    pub cluster: crate::cluster::args::StatusArgs,
}

#[derive(Debug, Args)]
pub struct DeleteCommand {
    #[command(flatten)]
    pub target: DeployInput,
    #[command(flatten)]
    pub cluster: crate::cluster::args::DeleteArgs,
}

/// Where values come from and how they are checked: shared by render, validate and graph.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Built-in values to start from (see `kubeplay presets`).
    #[arg(long, value_name = "NAME", value_parser = PresetName, help = preset_help())]
    pub preset: Option<String>,

    /// Values file layered over the preset; repeat to layer several, later ones win. `-` reads stdin.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values_files: Vec<PathBuf>,

    #[command(flatten)]
    pub sets: SetFlags,

    /// Release name used in labels [default: the preset's name].
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,

    /// Which cluster the checks are tuned for: some rules are warnings on minikube and errors in production.
    #[arg(long, value_name = "PROFILE", value_parser = profile_parser(), default_value = Profile::default().as_str())]
    pub profile: Profile,

    /// Pod Security Standards level to check pods against, as the PodSecurity admission plugin would
    /// [default: restricted with the production profile, else privileged (no checks)]. A Namespace's
    /// `pod-security.kubernetes.io/enforce` label wins for its namespace.
    #[arg(long, value_name = "LEVEL", value_parser = pod_security_parser())]
    pub pod_security: Option<PodSecurityLevel>,

    /// Kubernetes version whose API schemas manifests are checked against, strictly (unknown
    /// fields, types, required fields, allowed values), as `kubectl apply --validate=strict` would.
    #[arg(long, value_name = "VERSION", value_parser = kube_version_parser(), default_value = openapi::NEWEST)]
    pub kube_version: String,
}

impl InputArgs {
    /// What the checks run under.
    pub fn settings(&self) -> Settings {
        Settings::new(self.profile, self.pod_security).with_schema(openapi::embedded(&self.kube_version))
    }
}

/// Where manifests that name no namespace land, for validate and graph. The cluster verbs take
/// the same `-n` among their cluster flags (it also picks where they apply).
#[derive(Debug, Args)]
pub struct NamespaceArg {
    /// Namespace of manifest objects that name none, as `kubectl apply -n` reads them
    /// [default: `default`]. Values render their own namespace.
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
}

impl NamespaceArg {
    /// The namespace for core: empty when not given (core reads that as `default`).
    pub fn as_str(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Write one file per resource (`01-namespace-NAME.yaml`, ...) plus `manifests.yaml` into DIR
    /// (created if needed; files already there are overwritten, others are left alone). `-` or
    /// no -o writes the YAML to stdout.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Values or manifest files (told apart by content). `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub namespace: NamespaceArg,

    /// The manifests applied before (`kubeplay render` or `helm get manifest` of the last
    /// release); repeat for several files. What is checked would then be an upgrade: every
    /// change the API server refuses to make to an existing object (`field is immutable`) is
    /// reported.
    #[arg(long, value_name = "FILE")]
    pub previous: Vec<PathBuf>,

    /// How to print diagnostics: `text` on stderr, or a `json` array on stdout.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DiagnosticFormat::Text)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Values or manifest files (told apart by content); all of one kind. `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub namespace: NamespaceArg,

    /// `text` (one line per link), `mermaid` (flowchart) or `dot` (Graphviz).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
}

#[derive(Debug, Args)]
pub struct ValuesArgs {
    /// The preset to print (see `kubeplay presets`).
    #[arg(long, value_name = "NAME", value_parser = PresetName, help = preset_help())]
    pub preset: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// `text` (a table) or `json` (an array of objects).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = DiagnosticFormat::Text)]
    pub format: DiagnosticFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Text,
    Mermaid,
    Dot,
}

fn preset_help() -> String {
    format!("Built-in values to start from (see `kubeplay presets`) [default: {}]", presets::DEFAULT_PRESET)
}

/// Accepts any name but offers the known presets to `--help` and completions. Unknown names are
/// not rejected here: core reports them as an `unknown-preset` diagnostic with a suggestion, the
/// same way in text and JSON output.
#[derive(Debug, Clone, Copy)]
struct PresetName;

impl TypedValueParser for PresetName {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&Arg>, value: &OsStr) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(PRESETS.iter().map(|p| PossibleValue::new(p.name).help(p.summary))))
    }
}

fn profile_parser() -> impl TypedValueParser<Value = Profile> {
    PossibleValuesParser::new(Profile::ALL.map(|p| PossibleValue::new(p.as_str())))
        .try_map(|name| Profile::parse(&name).ok_or_else(|| format!("unknown profile `{name}`")))
}

/// The versions core has schemas for, oldest first.
fn kube_version_parser() -> PossibleValuesParser {
    PossibleValuesParser::new(openapi::VERSIONS.iter().map(|v| PossibleValue::new(*v)))
}

fn pod_security_parser() -> impl TypedValueParser<Value = PodSecurityLevel> {
    PossibleValuesParser::new(PodSecurityLevel::ALL.map(|l| PossibleValue::new(l.as_str())))
        .try_map(|name| PodSecurityLevel::parse(&name).ok_or_else(|| format!("unknown Pod Security level `{name}`")))
}

const SET: &str = "set";
const SET_STRING: &str = "set_string";

/// `--set` and `--set-string`, kept in the order they were typed: helm applies them left to right,
/// so `--set a=1 --set-string a=2` and the reverse differ. clap's derive would collect the two
/// flags into separate lists and lose that order, so this reads the argument indices itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetFlags {
    pub sets: Vec<SetArg>,
}

/// Builds a [`SetArg`] of one kind from the expression text.
type MakeSet = fn(String) -> SetArg;

impl clap::FromArgMatches for SetFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut indexed: Vec<(usize, SetArg)> = Vec::new();
        for (id, make) in [(SET, SetArg::typed as MakeSet), (SET_STRING, SetArg::string)] {
            if let (Some(values), Some(indices)) = (matches.get_many::<String>(id), matches.indices_of(id)) {
                indexed.extend(indices.zip(values).map(|(index, expr)| (index, make(expr.clone()))));
            }
        }
        indexed.sort_by_key(|(index, _)| *index);
        Ok(SetFlags { sets: indexed.into_iter().map(|(_, set)| set).collect() })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for SetFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.arg(Arg::new(SET).long("set").value_name("PATH=VALUE").action(ArgAction::Append).help(
            "Set a value, helm style: `a.b=1`, `list[0]=x`, `k={x,y}`; true/false/null/numbers are typed. Repeatable",
        ))
        .arg(
            Arg::new(SET_STRING)
                .long("set-string")
                .value_name("PATH=VALUE")
                .action(ArgAction::Append)
                .help("Like --set, but every value is kept as text (`tag=007` stays \"007\"). Repeatable"),
        )
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sets_keep_their_command_line_order() {
        let cli =
            Cli::try_parse_from(["kubeplay", "render", "--set-string", "a=1", "--set", "b=2", "--set-string", "c=3"])
                .unwrap();
        let Command::Render(args) = cli.command else { panic!("parsed as another verb") };
        assert_eq!(args.input.sets.sets, [SetArg::string("a=1"), SetArg::typed("b=2"), SetArg::string("c=3")]);
    }

    #[test]
    fn namespace_is_a_flag_of_every_verb_that_reads_manifests() {
        for verb in ["validate", "graph", "apply", "diff", "status", "delete"] {
            assert!(Cli::try_parse_from(["kubeplay", verb, "-n", "shop"]).is_ok(), "{verb}");
            assert!(Cli::try_parse_from(["kubeplay", verb, "--namespace", "shop"]).is_ok(), "{verb}");
        }
        let Command::Graph(args) = Cli::try_parse_from(["kubeplay", "graph"]).unwrap().command else {
            panic!("parsed as another verb")
        };
        assert_eq!(args.namespace.as_str(), "", "empty: core's `default`");
        let Command::Apply(args) = Cli::try_parse_from(["kubeplay", "apply", "-n", "shop"]).unwrap().command else {
            panic!("parsed as another verb")
        };
        assert_eq!(args.cluster.cluster.namespace.as_deref(), Some("shop"));
    }

    #[test]
    fn unknown_presets_reach_core_but_unknown_profiles_are_usage_errors() {
        assert!(Cli::try_parse_from(["kubeplay", "render", "--preset", "nope"]).is_ok());
        assert!(Cli::try_parse_from(["kubeplay", "render", "--profile", "nope"]).is_err());
        let cli = Cli::try_parse_from(["kubeplay", "validate", "--profile", "production"]).unwrap();
        let Command::Validate(args) = cli.command else { panic!("parsed as another verb") };
        assert_eq!(args.input.profile, Profile::Production);
    }

    #[test]
    fn kube_version_defaults_to_the_newest_schema_and_takes_only_embedded_ones() {
        let Command::Validate(args) = Cli::try_parse_from(["kubeplay", "validate"]).unwrap().command else {
            panic!("parsed as another verb")
        };
        assert_eq!(args.input.settings().schema.map(|s| s.version()), Some(openapi::NEWEST));
        for version in openapi::VERSIONS {
            let cli = Cli::try_parse_from(["kubeplay", "graph", "--kube-version", version]).unwrap();
            let Command::Graph(args) = cli.command else { panic!("parsed as another verb") };
            assert_eq!(args.input.settings().schema.map(|s| s.version()), Some(*version));
        }
        assert!(Cli::try_parse_from(["kubeplay", "validate", "--kube-version", "1.12"]).is_err());
        assert!(Cli::try_parse_from(["kubeplay", "apply", "--kube-version", "1.29"]).is_ok());
    }
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Directory to write the chart into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    /// Write the chart packaged, as `helm package` would (DIR/kubeplay-VERSION.tgz).
    #[arg(long)]
    pub package: bool,
}
