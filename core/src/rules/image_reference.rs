//! image-reference: image repository and tag must follow the image reference grammar.

use super::{Category, Check, Rule};
use crate::diagnostic::Severity::*;
use crate::names::{describe, image_digest, image_repository, image_tag};
use crate::path::field_path;

pub const RULE: Rule = Rule {
    id: "image-reference",
    summary:
        "An image must be written [registry/]name[:tag][@digest], in lowercase, or the pod fails with InvalidImageName.",
    help: "Fix the image repository or tag, e.g. `todo-backend` and `1.0.0`.",
    category: Category::Field,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Values(check),
};

fn check(values: &crate::Values, sink: &mut super::ValuesSink) {
    for container in values.components.iter().flat_map(|(name, c)| c.containers(name)) {
        let (repository, tag) = (&container.image.repository, &container.image.tag);
        let repository_at = || container.at().join(&field_path!("image", "repository"));
        if tag.is_empty() {
            // The image is the repository alone, so a tag or digest written there is valid.
            let (name_part, rest) = split_reference(repository);
            let problem = image_repository(name_part).err().or_else(|| match rest {
                Rest::None => None,
                Rest::Tag(tag_and_digest) => image_tag(tag_and_digest).err(),
                Rest::Digest(digest) => image_digest(digest).err(),
            });
            if let Some(reason) = problem {
                sink.report(repository_at(), repository_message(repository, &reason));
            }
            continue;
        }
        // The image becomes `repository:tag`: a tag or digest already in the repository breaks it.
        match split_reference(repository) {
            (_, Rest::Tag(_)) => sink.report(
                repository_at(),
                format!("image repository `{repository}` already has a tag, and image.tag adds `{tag}`: `{repository}:{tag}` is not a valid image; keep the tag in image.tag only"),
            ),
            (_, Rest::Digest(_)) => sink.report(
                repository_at(),
                format!("image repository `{repository}` has a digest, and image.tag adds `{tag}` after it: `{repository}:{tag}` is not a valid image; write the digest after the tag, as `{tag}@…`"),
            ),
            (_, Rest::None) => {
                if let Err(reason) = image_repository(repository) {
                    sink.report(repository_at(), repository_message(repository, &reason));
                }
            }
        }
        if let Err(reason) = image_tag(tag) {
            sink.report(container.at().join(&field_path!("image", "tag")), describe("image tag", tag, &reason));
        }
    }
}

/// What follows an image name inside one string.
enum Rest<'a> {
    None,
    /// `tag` or `tag@digest`, after the `:`.
    Tag(&'a str),
    /// The digest, after the `@`.
    Digest(&'a str),
}

/// Split `name[:tag][@digest]` as the kubelet does: the digest starts at the first `@`, and a
/// tag at a `:` after the last `/` (an earlier `:` is a registry's port).
fn split_reference(reference: &str) -> (&str, Rest<'_>) {
    let before_digest = reference.split_once('@').map_or(reference, |(before, _)| before);
    let last_slash = before_digest.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = before_digest[last_slash..].find(':') {
        let colon = last_slash + colon;
        return (&reference[..colon], Rest::Tag(&reference[colon + 1..]));
    }
    match reference.split_once('@') {
        Some((name, digest)) => (name, Rest::Digest(digest)),
        None => (reference, Rest::None),
    }
}

fn repository_message(repository: &str, reason: &str) -> String {
    let message = describe("image repository", repository, reason);
    if reason.contains("uppercase") {
        // The classic: `Todo-Backend` builds fine locally but the kubelet refuses the name.
        format!("{message} (the pod would fail with InvalidImageName)")
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::values_findings;

    fn image(repository: &str, tag: &str) -> String {
        format!("components:\n  todo-backend:\n    image: {{repository: \"{repository}\", tag: \"{tag}\"}}\n")
    }

    fn found(repository: &str, tag: &str) -> Vec<(String, String)> {
        values_findings("image-reference", &image(repository, tag))
            .into_iter()
            .map(|f| (f.path.to_string(), f.message))
            .collect()
    }

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn the_default_preset_passes() {
        assert!(found("ghcr.io/acme/todo-backend", "1.2.3").is_empty());
        assert!(found("localhost:5000/todo-backend", "").is_empty());
        assert!(found("nginx:1.25", "").is_empty());
        assert!(found(&format!("nginx@{DIGEST}"), "").is_empty());
        assert!(found(&format!("nginx:1.25@{DIGEST}"), "").is_empty());
        assert!(found("nginx", &format!("1.25@{DIGEST}")).is_empty());
    }

    #[test]
    fn uppercase_repository_names_the_kubelet_error() {
        assert_eq!(
            found("Todo-Backend", "1.0.0"),
            [(
                "components.todo-backend.image.repository".to_string(),
                "image repository `Todo-Backend` contains uppercase `T`; image names must be all lowercase (the pod would fail with InvalidImageName)".to_string()
            )]
        );
    }

    #[test]
    fn a_bad_tag_is_reported_at_the_tag() {
        assert_eq!(
            found("todo-backend", "1.0+build"),
            [(
                "components.todo-backend.image.tag".to_string(),
                "image tag `1.0+build` contains `+`; tags allow letters, digits, `_`, `.` and `-`".to_string()
            )]
        );
    }

    #[test]
    fn a_tag_in_both_fields_is_reported_at_the_repository() {
        let findings = found("nginx:1.25", "1.26");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].0, "components.todo-backend.image.repository");
        assert!(findings[0].1.contains("`nginx:1.25:1.26` is not a valid image"), "{}", findings[0].1);
        let findings = found(&format!("nginx@{DIGEST}"), "1.26");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].1.contains("write the digest after the tag"), "{}", findings[0].1);
    }

    #[test]
    fn a_tag_or_digest_inside_the_repository_is_still_checked() {
        let findings = found("nginx:-bad", "");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].1.contains("must start with a letter, digit or `_`"), "{}", findings[0].1);
        let findings = found("nginx@sha256:abc", "");
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].1.contains("64 lowercase hex digits"), "{}", findings[0].1);
    }

    #[test]
    fn split_reference_ignores_registry_ports() {
        assert!(matches!(split_reference("localhost:5000/app"), ("localhost:5000/app", Rest::None)));
        assert!(matches!(split_reference("localhost:5000/app:1"), ("localhost:5000/app", Rest::Tag("1"))));
        assert!(matches!(split_reference("app@sha256:x"), ("app", Rest::Digest("sha256:x"))));
        assert!(matches!(split_reference("app:1@sha256:x"), ("app", Rest::Tag("1@sha256:x"))));
    }
}
