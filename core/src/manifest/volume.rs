//! The sources a pod's volume can use, by their API names: which one a volume uses is what the
//! Pod Security controls ask, and most are read no further than that.

use k8s_openapi::api::core::v1::Volume;

macro_rules! sources {
    ($($api:literal => $field:ident),* $(,)?) => {
        /// Every volume source of a pod's `Volume`, by its API name.
        pub const SOURCES: &[&str] = &[$($api),*];

        /// The sources `volume` uses (one, when it is valid), by API name.
        pub fn sources(volume: &Volume) -> impl Iterator<Item = &'static str> {
            let set = [$(volume.$field.is_some()),*];
            SOURCES.iter().zip(set).filter(|(_, set)| *set).map(|(api, _)| *api)
        }

        /// Record that `volume` uses the source `api`, with that source's settings left at their
        /// defaults; whether `api` names a source.
        pub(crate) fn mark(volume: &mut Volume, api: &str) -> bool {
            match api {
                $($api => volume.$field = Some(Default::default()),)*
                _ => return false,
            }
            true
        }
    };
}

sources! {
    "awsElasticBlockStore" => aws_elastic_block_store,
    "azureDisk" => azure_disk,
    "azureFile" => azure_file,
    "cephfs" => cephfs,
    "cinder" => cinder,
    "configMap" => config_map,
    "csi" => csi,
    "downwardAPI" => downward_api,
    "emptyDir" => empty_dir,
    "ephemeral" => ephemeral,
    "fc" => fc,
    "flexVolume" => flex_volume,
    "flocker" => flocker,
    "gcePersistentDisk" => gce_persistent_disk,
    "gitRepo" => git_repo,
    "glusterfs" => glusterfs,
    "hostPath" => host_path,
    "image" => image,
    "iscsi" => iscsi,
    "nfs" => nfs,
    "persistentVolumeClaim" => persistent_volume_claim,
    "photonPersistentDisk" => photon_persistent_disk,
    "portworxVolume" => portworx_volume,
    "projected" => projected,
    "quobyte" => quobyte,
    "rbd" => rbd,
    "scaleIO" => scale_io,
    "secret" => secret,
    "storageos" => storageos,
    "vsphereVolume" => vsphere_volume,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table is the API's: every field of a Volume but its name, in the schema of the
    /// Kubernetes version the k8s-openapi types are built for.
    #[test]
    fn the_sources_are_the_apis() {
        let schema = crate::openapi::embedded("1.33").unwrap();
        let volume = schema.types.iter().find(|t| &*t.name == "Volume").unwrap();
        let mut fields: Vec<&str> = volume.fields.iter().map(|(name, _)| &**name).filter(|n| *n != "name").collect();
        fields.sort_unstable();
        let mut sources = SOURCES.to_vec();
        sources.sort_unstable();
        assert_eq!(fields, sources);
    }

    /// Each source is k8s-openapi's field of that API name.
    #[test]
    fn every_source_of_the_type_is_listed_by_its_api_name() {
        for api in SOURCES {
            let mut volume = Volume { name: "v".into(), ..Default::default() };
            assert!(mark(&mut volume, api));
            assert_eq!(sources(&volume).collect::<Vec<_>>(), [*api]);
            let json = serde_json::to_value(&volume).unwrap();
            let keys: Vec<&String> = json.as_object().unwrap().keys().filter(|k| *k != "name").collect();
            assert_eq!(keys, [api]);
        }
        let every_field = serde_json::to_value(Volume::default()).unwrap();
        assert_eq!(every_field.as_object().unwrap().len(), 1, "only the name is not optional");
        assert!(!mark(&mut Volume::default(), "name"));
    }
}
