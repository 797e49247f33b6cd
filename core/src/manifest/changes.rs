//! What one edit changed: the resources a set adds, removes or modifies against the set before
//! it, by identity, so a learner sees the consequence of one value at a glance.

use super::{ManifestSet, Resource};
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

/// The resources of `after` that are new or differ from `before`'s of the same identity, in
/// `after`'s order, then those `after` no longer has. Read objects compare as written (values,
/// not places: text moved by an edit above it is no change); rendered ones as their YAML.
pub fn changes(before: &ManifestSet, after: &ManifestSet) -> Vec<(ResourceRef, Change)> {
    let earlier: hashbrown::HashMap<ResourceRef, &Resource> =
        before.iter().filter_map(|(i, r)| Some((before.reference(i)?, r))).collect();
    let mut seen = hashbrown::HashSet::new();
    let mut found = Vec::new();
    for (i, resource) in after.iter() {
        let Some(identity) = after.reference(i) else { continue };
        match earlier.get(&identity) {
            None => found.push((identity.clone(), Change::Added)),
            Some(old) if !same(old, resource) => found.push((identity.clone(), Change::Modified)),
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

fn same(a: &Resource, b: &Resource) -> bool {
    match (a.written(), b.written()) {
        (Some(a), Some(b)) => a.same_value(b),
        // As written out: comparing the typed objects would compile an equality for every
        // Kubernetes type into the page.
        (None, None) => super::resources_to_yaml([a]) == super::resources_to_yaml([b]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn read(text: &str) -> ManifestSet {
        super::super::read(vec![SourceFile::new("m.yaml", text)]).0
    }

    const APP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LEVEL: info}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";

    #[test]
    fn an_edit_is_added_removed_or_modified_by_identity() {
        let before = read(APP);
        assert_eq!(changes(&before, &before), []);
        // A comment and a blank line above move every place, and change nothing.
        let moved = read(&format!("# settings\n\n{APP}"));
        assert_eq!(changes(&before, &moved), []);
        let edited = read(&APP.replace("LEVEL: info", "LEVEL: debug").replace("name: web", "name: api"));
        let said: Vec<(String, Change)> =
            changes(&before, &edited).into_iter().map(|(r, c)| (r.to_string(), c)).collect();
        assert_eq!(
            said,
            [
                ("default/ConfigMap/settings".to_string(), Change::Modified),
                ("default/Service/api".to_string(), Change::Added),
                ("default/Service/web".to_string(), Change::Removed),
            ]
        );
    }

    #[test]
    fn rendered_objects_compare_as_rendered() {
        let render = |sets: &[&str]| {
            let input = crate::ValuesInput {
                sets: sets.iter().map(|s| crate::setargs::SetArg::typed(*s)).collect(),
                ..Default::default()
            };
            crate::analyze_values(&input, None, crate::Profile::Minikube).manifests
        };
        let before = render(&[]);
        assert_eq!(changes(&before, &render(&[])), []);
        let scaled = render(&["components.todo-backend.replicas=3"]);
        let said: Vec<String> = changes(&before, &scaled).iter().map(|(r, c)| format!("{r} {}", c.as_str())).collect();
        assert_eq!(said, ["todo-chatbot/Deployment/todo-backend modified"]);
    }
}
