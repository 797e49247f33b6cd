//! What one edit changed: the resources a set adds, removes or modifies against the set before
//! it, by identity and by the YAML written for each, so a learner sees the consequence of one
//! value at a glance.

use super::ManifestSet;
use crate::resource::ResourceRef;

/// How a resource differs from the one of the same identity before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Added,
    Removed,
    Modified,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Modified => "modified",
        }
    }
}

/// The resources of `after` that are new or written differently from `before`'s of the same
/// identity, in `after`'s order, then those `after` no longer has. `*_documents` are each
/// resource's YAML document, as the analysis wrote them (`Analysis::document_texts`): compared
/// as written out, an edit that only moves text (a comment above) changes nothing, and no
/// document is written twice.
pub fn changes(
    before: &ManifestSet,
    before_documents: &[&str],
    after: &ManifestSet,
    after_documents: &[&str],
) -> Vec<(ResourceRef, Change)> {
    let earlier: hashbrown::HashMap<ResourceRef, &str> =
        before.iter().filter_map(|(i, _)| Some((before.reference(i)?, *before_documents.get(i)?))).collect();
    let mut seen = hashbrown::HashSet::new();
    let mut found = Vec::new();
    for (i, _) in after.iter() {
        let Some(identity) = after.reference(i) else { continue };
        match earlier.get(&identity) {
            None => found.push((identity.clone(), Change::Added)),
            Some(old) if Some(old) != after_documents.get(i) => found.push((identity.clone(), Change::Modified)),
            Some(_) => {}
        }
        seen.insert(identity);
    }
    for (i, _) in before.iter() {
        if let Some(identity) = before.reference(i).filter(|r| !seen.contains(r)) {
            found.push((identity, Change::Removed));
        }
    }
    found
}

/// A unified diff of two texts by lines, three lines of context around each change, headed by
/// the two sides' names (`---`/`+++` lines); empty when they are the same.
pub fn unified_diff(before: &str, after: &str, (before_name, after_name): (&str, &str)) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(before_name, after_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn analyse(text: &str) -> crate::Analysis {
        crate::analyze_manifests(vec![SourceFile::new("m.yaml", text)], crate::Profile::Minikube)
    }

    fn between(before: &crate::Analysis, after: &crate::Analysis) -> Vec<(String, Change)> {
        changes(&before.manifests, &before.document_texts(), &after.manifests, &after.document_texts())
            .into_iter()
            .map(|(r, c)| (r.to_string(), c))
            .collect()
    }

    const APP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: info}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";

    #[test]
    fn an_edit_is_added_removed_or_modified_by_identity() {
        let before = analyse(APP);
        let joined: String = before.document_texts().iter().map(|d| format!("---\n{d}")).collect();
        assert_eq!(joined, before.yaml(), "each resource's document, in order");
        assert_eq!(between(&before, &before), []);
        // A comment and a blank line above move every place, and change nothing.
        let moved = analyse(&format!("# settings\n\n{APP}"));
        assert_eq!(between(&before, &moved), []);
        let edited = analyse(&APP.replace("LEVEL: info", "LEVEL: debug").replace("name: web", "name: api"));
        assert_eq!(
            between(&before, &edited),
            [
                ("default/ConfigMap/settings".to_string(), Change::Modified),
                ("default/Service/api".to_string(), Change::Added),
                ("default/Service/web".to_string(), Change::Removed),
            ]
        );
    }

    #[test]
    fn rendered_objects_compare_as_written_out() {
        let render = |sets: &[&str]| {
            let input = crate::ValuesInput {
                sets: sets.iter().map(|s| crate::setargs::SetArg::typed(*s)).collect(),
                ..Default::default()
            };
            crate::analyze_values(&input, None, crate::Profile::Minikube)
        };
        let before = render(&[]);
        assert_eq!(between(&before, &render(&[])), []);
        let scaled = render(&["components.todo-backend.replicas=3"]);
        assert_eq!(between(&before, &scaled), [("todo-chatbot/Deployment/todo-backend".to_string(), Change::Modified)]);
    }

    #[test]
    fn a_unified_diff_shows_the_changed_lines_with_context() {
        let before = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n";
        let after = before.replace("d: 4", "d: 5");
        let diff = unified_diff(before, &after, ("before", "after"));
        assert_eq!(
            diff,
            "--- before\n+++ after\n@@ -1,7 +1,7 @@\n a: 1\n b: 2\n c: 3\n-d: 4\n+d: 5\n e: 5\n f: 6\n g: 7\n"
        );
        assert_eq!(unified_diff(before, before, ("before", "after")), "");
    }
}
