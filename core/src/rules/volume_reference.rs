//! volume-ref-missing: a pod's configMap, secret, projected and persistentVolumeClaim volumes must name objects that exist, with the keys their `items` take.

use super::{Category, Check, EdgeKind, ManifestSink, Rule};
use crate::diagnostic::Severity::*;
use crate::manifest::{ManifestSet, Object};
use crate::path::Segment;
use crate::resource::ResourceRef;
use k8s_openapi::api::core::v1::KeyToPath;

pub const RULE: Rule = Rule {
    id: "volume-ref-missing",
    summary: "A volume must name a ConfigMap, Secret or PersistentVolumeClaim that exists (with every key its items take), or the pod never starts.",
    help: "Create the object (or the key), fix the name, or mark the volume `optional: true`.",
    category: Category::Relationship,
    minikube: Some(Error),
    production: Some(Error),
    check: Check::Manifests(check),
};

/// One object a volume refers to.
struct VolumeSource<'a> {
    kind: &'static str,
    name: &'a str,
    items: &'a [KeyToPath],
    optional: bool,
    /// Below the volume: `configMap`, `secret.secretName`, `projected.sources[i].configMap`...
    at: Vec<Segment>,
    name_leaf: &'static str,
}

fn sources(volume: &k8s_openapi::api::core::v1::Volume) -> Vec<VolumeSource<'_>> {
    let mut out = Vec::new();
    if let Some(c) = &volume.config_map {
        let items = c.items.as_deref().unwrap_or(&[]);
        out.push(VolumeSource {
            kind: "ConfigMap",
            name: &c.name,
            items,
            optional: c.optional == Some(true),
            at: vec!["configMap".into()],
            name_leaf: "name",
        });
    }
    if let Some(s) = &volume.secret {
        let items = s.items.as_deref().unwrap_or(&[]);
        let name = s.secret_name.as_deref().unwrap_or("");
        out.push(VolumeSource {
            kind: "Secret",
            name,
            items,
            optional: s.optional == Some(true),
            at: vec!["secret".into()],
            name_leaf: "secretName",
        });
    }
    if let Some(p) = &volume.persistent_volume_claim {
        out.push(VolumeSource {
            kind: "PersistentVolumeClaim",
            name: &p.claim_name,
            items: &[],
            optional: false,
            at: vec!["persistentVolumeClaim".into()],
            name_leaf: "claimName",
        });
    }
    for (i, source) in volume.projected.iter().flat_map(|p| p.sources.iter().flatten()).enumerate() {
        let at = |leaf: &str| vec!["projected".into(), "sources".into(), i.into(), leaf.into()];
        if let Some(c) = &source.config_map {
            let items = c.items.as_deref().unwrap_or(&[]);
            out.push(VolumeSource {
                kind: "ConfigMap",
                name: &c.name,
                items,
                optional: c.optional == Some(true),
                at: at("configMap"),
                name_leaf: "name",
            });
        }
        if let Some(s) = &source.secret {
            let items = s.items.as_deref().unwrap_or(&[]);
            out.push(VolumeSource {
                kind: "Secret",
                name: &s.name,
                items,
                optional: s.optional == Some(true),
                at: at("secret"),
                name_leaf: "name",
            });
        }
    }
    out
}

/// The keys a ConfigMap or Secret holds.
fn has_key(object: &Object, key: &str) -> bool {
    match object {
        Object::ConfigMap(c) => {
            c.data.as_ref().is_some_and(|d| d.contains_key(key))
                || c.binary_data.as_ref().is_some_and(|d| d.contains_key(key))
        }
        Object::Secret(s) => {
            s.data.as_ref().is_some_and(|d| d.contains_key(key))
                || s.string_data.as_ref().is_some_and(|d| d.contains_key(key))
        }
        _ => true,
    }
}

fn check(set: &ManifestSet, sink: &mut ManifestSink) {
    for w in set.workloads() {
        let namespace = set.namespace_of(w.resource);
        let pods = w.pods_ref(set);
        let volumes = w.pod_spec.and_then(|s| s.volumes.as_deref()).unwrap_or(&[]);
        for (v, volume) in volumes.iter().enumerate() {
            for source in sources(volume) {
                let to = ResourceRef::to_kind(source.kind, namespace, source.name);
                let mut field = w.pod_field(&["volumes".into(), v.into()]);
                field.0.extend(source.at.iter().cloned());
                let label = format!("mounts ({})", volume.name);
                let Some((_, object)) = set.find(source.kind, namespace, source.name) else {
                    if source.optional {
                        sink.edge(pods.clone(), to, EdgeKind::Mounts, format!("{label}, optional, missing"));
                        continue;
                    }
                    let consequence = if source.kind == "PersistentVolumeClaim" {
                        "the pod stays Pending (unbound claim)"
                    } else {
                        "the pod stays in ContainerCreating (FailedMount)"
                    };
                    let message = format!(
                        "volume `{}` of {} takes {} `{}`, but there is none in namespace `{namespace}`: {consequence}.",
                        volume.name,
                        w.who(),
                        source.kind,
                        source.name
                    );
                    field.0.push(source.name_leaf.into());
                    sink.broken_edge(pods.clone(), to, EdgeKind::Mounts, label, (w.resource, field), message);
                    continue;
                };
                let missing = source.items.iter().enumerate().find(|(_, item)| !has_key(&object.object, &item.key));
                match missing {
                    Some((i, item)) if !source.optional => {
                        let message = format!(
                            "volume `{}` of {} takes key `{}` of {} `{}`, which has no such key: the pod stays in ContainerCreating (FailedMount).",
                            volume.name,
                            w.who(),
                            item.key,
                            source.kind,
                            source.name
                        );
                        field.0.extend([Segment::from("items"), i.into(), "key".into()]);
                        sink.broken_edge(pods.clone(), to, EdgeKind::Mounts, label, (w.resource, field), message);
                    }
                    _ => sink.edge(pods.clone(), to, EdgeKind::Mounts, label),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{manifests, rendered};

    const RULE: &str = "volume-ref-missing";

    fn pod(volumes: &str) -> String {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: conf}}\ndata: {{app.ini: x}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: data}}\nspec: {{accessModes: [ReadWriteOnce]}}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: db}}\nspec:\n  serviceName: db\n  selector: {{matchLabels: {{app: db}}}}\n  template:\n    metadata: {{labels: {{app: db}}}}\n    spec:\n      containers: [{{name: db, image: \"db:1\"}}]\n      volumes:\n{volumes}")
    }

    #[test]
    fn existing_objects_and_keys_are_mounted() {
        assert!(rendered(RULE, "{}").findings.is_empty());
        let sink = manifests(RULE, &pod("        - {name: c, configMap: {name: conf, items: [{key: app.ini, path: a}]}}\n        - {name: d, persistentVolumeClaim: {claimName: data}}\n        - {name: o, secret: {secretName: gone, optional: true}}\n"));
        assert!(sink.findings.is_empty(), "{:?}", sink.findings);
        assert_eq!(sink.edges.len(), 3);
        assert!(sink.edges.iter().all(|e| e.broken.is_none()));
    }

    #[test]
    fn missing_objects_and_keys_are_broken_at_their_names() {
        let sink = manifests(RULE, &pod("        - {name: c, configMap: {name: conf, items: [{key: nope, path: a}]}}\n        - {name: s, secret: {secretName: tls}}\n        - {name: d, persistentVolumeClaim: {claimName: date}}\n        - {name: p, projected: {sources: [{secret: {name: creds}}]}}\n"));
        let fields: Vec<String> = sink.findings.iter().map(|f| f.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "spec.template.spec.volumes[0].configMap.items[0].key",
                "spec.template.spec.volumes[1].secret.secretName",
                "spec.template.spec.volumes[2].persistentVolumeClaim.claimName",
                "spec.template.spec.volumes[3].projected.sources[0].secret.name",
            ]
        );
        assert!(sink.findings[2].message.contains("StatefulSet `db`") && sink.findings[2].message.contains("Pending"));
        assert_eq!(sink.edges.get(1).to.to_string(), "default/Secret/tls");
    }
}
