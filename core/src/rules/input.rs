//! Input rules: problems reading YAML, keys and types. The loaders report them; these entries
//! give them IDs, explanations and a place in the catalogue.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::{Error, Info};

const fn input(id: &'static str, summary: &'static str, help: &'static str) -> Rule {
    Rule {
        id,
        summary,
        help,
        category: Category::Input,
        minikube: Some(Error),
        production: Some(Error),
        check: Check::Input,
    }
}

pub const YAML_SYNTAX: Rule = input(
    "yaml-syntax",
    "The text is not valid YAML, so nothing in it can be read.",
    "Fix the indentation (spaces, not tabs), quotes or colons at the marked place.",
);
pub const YAML_DUPLICATE_KEY: Rule = input(
    "yaml-duplicate-key",
    "A key appears twice in one map; one of the values would be silently lost.",
    "Keep one of the two keys.",
);
pub const YAML_LIMITS: Rule = input(
    "yaml-limits",
    "The YAML nests too deep or expands (through aliases) to too many values to be a real config.",
    "Flatten the structure or drop the repeated aliases.",
);
pub const INPUT_TOO_LARGE: Rule = input(
    "input-too-large",
    "The file is larger than any values or manifests file kubeplay expects.",
    "Check it is the right file, or split it.",
);
pub const INPUT_ENCODING: Rule = input("input-encoding", "The file is not UTF-8 text.", "Save it as UTF-8.");
pub const UNKNOWN_KEY: Rule = input(
    "unknown-key",
    "A key the values schema does not know; it would be ignored, so it is probably a typo.",
    "Use the suggested key, or see `kubeplay schema`.",
);
pub const INVALID_TYPE: Rule = input(
    "invalid-type",
    "A value has the wrong type, e.g. text where a number belongs.",
    "Give the type `kubeplay schema` lists for this key.",
);
pub const MISSING_KEY: Rule =
    input("missing-key", "A required key is missing.", "Add the key; `kubeplay schema` lists the required ones.");
pub const VALUES_SHAPE: Rule = input(
    "values-shape",
    "A values file must hold one YAML document with a map at the top.",
    "Put all values in one map, in one document.",
);
pub const SET_SYNTAX: Rule = input(
    "set-syntax",
    "A --set expression does not follow helm's path=value syntax.",
    "Write path.to.key=value; escape commas and dots in values with a backslash.",
);
pub const UNKNOWN_PRESET: Rule =
    input("unknown-preset", "No built-in preset has this name.", "Run `kubeplay presets` to see the names.");
pub const MANIFEST_INVALID: Rule = input(
    "manifest-invalid",
    "A manifest does not have the shape of its kind, so Kubernetes would reject it.",
    "Fix the field at the marked place (see the Kubernetes API reference for the kind).",
);
pub const UNMODELED_KIND: Rule = Rule {
    minikube: Some(Info),
    production: Some(Info),
    ..input("unmodeled-kind", "This kind is kept as it is but not checked: kubeplay models Namespaces, ConfigMaps, Secrets, Services and Deployments.", "Nothing to fix; other tools can check this kind.")
};

#[cfg(test)]
mod tests {
    use crate::load::{load, ValuesInput};
    use crate::source::SourceFile;

    fn rules_for(text: &str) -> Vec<&'static str> {
        let input = ValuesInput { files: vec![SourceFile::new("v.yaml", text)], ..Default::default() };
        load(&input).diagnostics.iter().map(|d| d.rule).collect()
    }

    #[test]
    fn each_input_rule_fires_on_its_input_and_not_on_good_input() {
        assert_eq!(rules_for("namespace: a\n"), Vec::<&str>::new());
        assert_eq!(rules_for("a: [\n"), ["yaml-syntax"]);
        assert_eq!(rules_for("namespace: a\nnamespace: b\n"), ["yaml-duplicate-key"]);
        assert_eq!(rules_for("namespaces: a\n"), ["unknown-key"]);
        assert_eq!(rules_for("components:\n  x:\n    replicas: 1\n"), ["missing-key"]);
        assert_eq!(rules_for("namespace: [1]\n"), ["invalid-type"]);
        assert_eq!(rules_for("- 1\n"), ["values-shape"]);
        assert_eq!(rules_for(&"[".repeat(70)), ["yaml-limits"]);
    }
}
