//! Built-in values presets, embedded in the binary (and the wasm): the todo chatbot and friends.

use crate::source::SourceFile;

/// A named, documented starting point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub summary: &'static str,
    pub yaml: &'static str,
}

/// The preset used when none is named.
pub const DEFAULT_PRESET: &str = "todo-chatbot";

/// The preset a *whole* values file is laid over (the browser's editor holds whole values, so
/// a component deleted there must not come back from a fuller preset).
pub const BLANK_PRESET: &str = "empty";

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "todo-chatbot",
        summary: "The AI todo chatbot: FastAPI backend on 8000, Next.js frontend on 3000 behind a LoadBalancer, external Postgres",
        yaml: include_str!("../presets/todo-chatbot.yaml"),
    },
    Preset {
        name: "todo-chatbot-local",
        summary: "The todo chatbot with its own Postgres 16 (a StatefulSet with a claim) and the backend's migration run first",
        yaml: include_str!("../presets/todo-chatbot-local.yaml"),
    },
    Preset {
        name: "demo",
        summary: "Two public images that start and pass their probes on a stock Minikube",
        yaml: include_str!("../presets/demo.yaml"),
    },
    Preset {
        name: "demo-ingress",
        summary: "The demo behind an Ingress (Minikube's ingress addon), each pod admitting only its traffic",
        yaml: include_str!("../presets/demo-ingress.yaml"),
    },
    Preset {
        name: "empty",
        summary: "A namespace and nothing else: start from scratch",
        yaml: include_str!("../presets/empty.yaml"),
    },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn source(&self) -> SourceFile {
        SourceFile::new(format!("preset:{}", self.name), self.yaml)
    }
}

/// The closest known name to `input`, for "did you mean" hints.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_chars = input.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let most = 2.max(c.len() / 3);
            // The distance is at least the difference in length: most candidates are ruled out
            // without the full (allocating) comparison.
            if input_chars.abs_diff(c.chars().count()) > most {
                return None;
            }
            let distance = strsim::damerau_levenshtein(input, c);
            (distance <= most).then_some((distance, c))
        })
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_and_blank_presets_exist() {
        assert!(find(DEFAULT_PRESET).is_some());
        let blank = crate::load::load(&crate::ValuesInput { preset: Some(BLANK_PRESET.into()), ..Default::default() });
        assert!(blank.values.unwrap().components.is_empty());
    }

    #[test]
    fn ruling_out_by_length_keeps_every_suggestion() {
        let words = [
            "",
            "a",
            "ab",
            "port",
            "ports",
            "replicas",
            "replica",
            "rplcs",
            "cartservice",
            "cart-service",
            "productcatalogservice",
            "émoji-ñame",
            "emoji-name",
            "redis-cart",
            "redis",
            "x".repeat(40).leak(),
        ];
        for input in words {
            let everyone = words
                .iter()
                .map(|c| (strsim::damerau_levenshtein(input, c), *c))
                .filter(|(d, c)| *d <= 2.max(c.len() / 3))
                .min()
                .map(|(_, c)| c);
            assert_eq!(suggest(input, words), everyone, "{input}");
        }
    }

    #[test]
    fn suggestions_are_close_names_only() {
        assert_eq!(suggest("replica", ["image", "replicas", "ports"]), Some("replicas"));
        assert_eq!(suggest("zzz", ["image", "replicas"]), None);
    }
}
