//! Name grammars Kubernetes enforces (apimachinery `validation.go`), as plain predicates.
//! Each returns `Err(reason)` in words a learner understands.

/// DNS-1123 label: Namespaces, Deployment and container names. `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, <= 63.
pub fn dns1123_label(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.chars().count() > 63 {
        return Err(format!("is {} characters long; at most 63 are allowed", name.chars().count()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("contains `{c}`; only lowercase letters, digits and `-` are allowed"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// DNS-1123 subdomain: most objects' names (ConfigMaps, Secrets, Deployments, Pods, ...).
/// Dot-separated DNS-1123 labels, <= 253 characters in all.
pub fn dns1123_subdomain(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.len() > 253 {
        return Err(format!("is {} characters long; at most 253 are allowed", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.')) {
        return Err(format!("contains `{c}`; only lowercase letters, digits, `-` and `.` are allowed"));
    }
    if name.split('.').any(|part| part.is_empty() || part.starts_with('-') || part.ends_with('-')) {
        return Err("must start and end with a letter or digit, and so must each part between dots".into());
    }
    Ok(())
}

/// Label values: empty, or <= 63 characters of `[A-Za-z0-9_.-]` starting and ending with a
/// letter or digit.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.len() > 63 {
        return Err(format!("is {} characters long; label values allow at most 63", value.len()));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!("contains `{c}`; label values allow letters, digits, `-`, `_` and `.`"));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) || !value.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(())
}

/// A label or annotation key: a qualified name, `[prefix/]name`. The name is <= 63 characters
/// of `[A-Za-z0-9_.-]` starting and ending with a letter or digit; the optional prefix is a
/// DNS-1123 subdomain (lowercase, <= 253 characters), e.g. `app.kubernetes.io/name`.
pub fn qualified_name(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            return Err("has an empty prefix before `/`".into());
        }
        if prefix.len() > 253 {
            return Err(format!("has a prefix {} characters long; at most 253 are allowed", prefix.len()));
        }
        if let Some(c) =
            prefix.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')))
        {
            return Err(format!(
                "has `{c}` in its prefix; a prefix is a DNS name: lowercase letters, digits, `-` and `.`"
            ));
        }
        if prefix.split('.').any(|part| part.is_empty() || part.starts_with('-') || part.ends_with('-')) {
            return Err(
                "has a prefix that is not a DNS name (each `.`-separated part starts and ends with a letter or digit)"
                    .into(),
            );
        }
    }
    if name.is_empty() {
        return Err("has an empty name part".into());
    }
    if name.len() > 63 {
        return Err(format!("has a name part {} characters long; at most 63 are allowed", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!(
            "contains `{c}`; keys allow letters, digits, `-`, `_` and `.` (and one `/` after a DNS prefix)"
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) || !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("must start and end its name part with a letter or digit".into());
    }
    Ok(())
}

/// DNS-1035 label: Service names. Like DNS-1123 but must start with a letter.
pub fn dns1035_label(name: &str) -> Result<(), String> {
    dns1123_label(name)?;
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err("must start with a lowercase letter (Service names become DNS names)".into());
    }
    Ok(())
}

/// IANA service name: port names. <= 15 chars, `[a-z0-9-]`, at least one letter, no `--`,
/// no leading or trailing `-`.
pub fn iana_svc_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.chars().count() > 15 {
        return Err(format!("is {} characters long; port names allow at most 15", name.chars().count()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("contains `{c}`; only lowercase letters, digits and `-` are allowed"));
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Err("must contain at least one letter".into());
    }
    if name.contains("--") || name.starts_with('-') || name.ends_with('-') {
        return Err("must not start or end with `-` or contain `--`".into());
    }
    Ok(())
}

/// Environment variable names Kubernetes accepts: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
pub fn env_var_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Err("must not be empty".into()),
        Some(c) if c.is_ascii_digit() => return Err("must not start with a digit".into()),
        _ => {}
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))) {
        return Err(format!("contains `{c}`; only letters, digits, `_`, `-` and `.` are allowed"));
    }
    Ok(())
}

/// ConfigMap and Secret keys: `[-._a-zA-Z0-9]+`, <= 253, not `.` or `..`.
pub fn config_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("must not be empty".into());
    }
    if key.chars().count() > 253 {
        return Err(format!("is {} characters long; at most 253 are allowed", key.chars().count()));
    }
    if key == "." || key == ".." {
        return Err("must not be `.` or `..`".into());
    }
    if let Some(c) = key.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))) {
        return Err(format!("contains `{c}`; only letters, digits, `_`, `-` and `.` are allowed"));
    }
    Ok(())
}

/// The sentence field rules build from a grammar's reason: "`<what>` `<value>` <reason>". An
/// empty value has nothing worth quoting, so it reads "<what> <reason>".
pub fn describe(what: &str, value: &str, reason: &str) -> String {
    if value.is_empty() {
        format!("{what} {reason}")
    } else {
        format!("{what} `{value}` {reason}")
    }
}

/// Longest image name (registry and path, without tag or digest) distribution/reference accepts.
const IMAGE_NAME_MAX: usize = 255;
/// Longest image tag.
const IMAGE_TAG_MAX: usize = 128;

/// Image repository: distribution/reference's `name`, `[registry[:port]/]path`, without tag or
/// digest. The path is `/`-separated parts of lowercase letters and digits joined by `.`, `_`,
/// `__` or dashes; the first part is a registry only when it has a `.` or `:` or is `localhost`
/// (how Docker and the kubelet split `ghcr.io/org/app` from `org/app`).
pub fn image_repository(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if let Some((scheme, _)) = name.split_once("://") {
        return Err(format!("starts with `{scheme}://`; image names have no scheme, e.g. `ghcr.io/org/app`"));
    }
    if name.contains(char::is_whitespace) {
        return Err("contains whitespace; image names are one word".into());
    }
    let length = name.chars().count();
    if length > IMAGE_NAME_MAX {
        return Err(format!("is {length} characters long; at most {IMAGE_NAME_MAX} are allowed"));
    }
    // Docker also takes an uppercase first part for a registry host; a learner's `MyOrg/app` is
    // far more likely a mistyped path, so only `.`, `:` and `localhost` mark a registry here.
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (Some(first), rest),
        _ => (None, name),
    };
    if let Some(registry) = registry {
        image_registry(registry)?;
    }
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        image_path_part(part, i + 1 == parts.len())?;
    }
    // The kubelet reads 64 hex digits as an image ID, not as a repository.
    if registry.is_none() && name.len() == 64 && name.bytes().all(is_lower_hex) {
        return Err("is 64 hexadecimal digits, which is read as an image ID, not a name".into());
    }
    Ok(())
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// `host[:port]` or `[ipv6][:port]`, as the first part of an image name.
fn image_registry(registry: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = registry.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return Err(format!("has registry `{registry}`, which opens `[` without closing it"));
        };
        if address.is_empty() || !address.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(format!("has registry `{registry}`, whose IPv6 address is not valid"));
        }
        match after {
            "" => (None, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return Err(format!("has registry `{registry}`, with `{after}` after the address")),
            },
        }
    } else {
        match registry.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(registry), None),
        }
    };
    if let Some(host) = host {
        let valid_label = |label: &str| {
            !label.is_empty()
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if !host.split('.').all(valid_label) {
            return Err(format!(
                "has registry host `{host}`, which is not a host name (letters, digits and `-`, in parts joined by `.`)"
            ));
        }
    }
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("has registry port `{port}`; a registry port is a number, e.g. `localhost:5000`"));
        }
    }
    Ok(())
}

/// One `/`-separated part of an image path: `[a-z0-9]+` runs joined by `.`, `_`, `__` or `-`+.
fn image_path_part(part: &str, is_last: bool) -> Result<(), String> {
    if part.is_empty() {
        return Err("has an empty part: look for `//` or a `/` at the start or end".into());
    }
    if let Some(c) = part.chars().find(|c| c.is_ascii_uppercase()) {
        return Err(format!("contains uppercase `{c}`; image names must be all lowercase"));
    }
    // The digest first: it has a `:` of its own.
    if let Some(at) = part.find('@') {
        return Err(format!("contains a digest (`{}`); the repository names the image without it", &part[at..]));
    }
    if let (true, Some(at)) = (is_last, part.find(':')) {
        return Err(format!("ends with a tag (`{}`); the repository names the image without its tag", &part[at..]));
    }
    if let Some(c) =
        part.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!("contains `{c}`; image names allow lowercase letters, digits, `.`, `_`, `-` and `/`"));
    }
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !part.starts_with(alphanumeric) || !part.ends_with(alphanumeric) {
        return Err(format!("has part `{part}`, which must start and end with a lowercase letter or digit"));
    }
    for separator in part.split(alphanumeric).filter(|s| !s.is_empty()) {
        if !(separator == "." || separator == "_" || separator == "__" || separator.bytes().all(|b| b == b'-')) {
            return Err(format!(
                "has `{separator}` in `{part}`; words may be joined by one `.`, `_`, `__` or dashes only"
            ));
        }
    }
    Ok(())
}

/// Image tag, optionally followed by a digest: `[\w][\w.-]{0,127}` then `@algorithm:hex`. The
/// digest is allowed here because the image is written `repository:tag`, so a digest pinned next
/// to a tag (`1.0@sha256:…`) can only live in the tag.
pub fn image_tag(tag: &str) -> Result<(), String> {
    let (tag, digest) = match tag.split_once('@') {
        Some((tag, digest)) => (tag, Some(digest)),
        None => (tag, None),
    };
    if tag.is_empty() {
        return Err(match digest {
            Some(_) => {
                "starts with `@`; a digest follows a tag (`1.0@sha256:…`) or, with no tag, the repository".into()
            }
            None => "must not be empty".into(),
        });
    }
    if let Some((before, after)) = tag.split_once(':') {
        return Err(if matches!(before, "sha256" | "sha384" | "sha512") {
            format!("looks like a digest; write it after `@`, e.g. `1.0@{tag}`")
        } else {
            format!("contains `:`; write only the tag (`{after}`), not `name:tag`")
        });
    }
    if let Some(c) = tag.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        return Err(format!("contains `{c}`; tags allow letters, digits, `_`, `.` and `-`"));
    }
    if tag.starts_with(['.', '-']) {
        return Err("must start with a letter, digit or `_`".into());
    }
    if tag.len() > IMAGE_TAG_MAX {
        return Err(format!("is {} characters long; at most {IMAGE_TAG_MAX} are allowed", tag.len()));
    }
    match digest {
        Some(digest) => image_digest(digest),
        None => Ok(()),
    }
}

/// Image digest (after the `@`): `sha256:` and 64 lowercase hex digits (or sha384/sha512), the
/// algorithms the kubelet can verify.
pub fn image_digest(digest: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!("has digest `{digest}`, which is not written `sha256:<64 hex digits>`"));
    };
    let expected = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            return Err(format!(
                "has digest algorithm `{algorithm}`; the known ones are `sha256`, `sha384` and `sha512`"
            ))
        }
    };
    if hex.len() != expected || !hex.bytes().all(is_lower_hex) {
        return Err(format!("has a {algorithm} digest that is not {expected} lowercase hex digits"));
    }
    Ok(())
}

/// An image reference in the long form the container runtime lists: `docker.io/library/x:latest`.
pub fn normalize_image(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    // The first component is a registry when it looks like a host (docker's rule).
    let (domain, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            (first.to_string(), rest.to_string())
        }
        Some(_) => ("docker.io".to_string(), name.to_string()),
        None => ("docker.io".to_string(), format!("library/{name}")),
    };
    let mut out = format!("{domain}/{path}");
    match (tag, digest) {
        (Some(tag), _) => out.push_str(&format!(":{tag}")),
        (None, None) => out.push_str(":latest"),
        (None, Some(_)) => {}
    }
    if let Some(digest) = digest {
        out.push_str(&format!("@{digest}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_take_an_optional_dns_prefix() {
        for ok in ["app", "app.kubernetes.io/name", "Tier_1.x", "example.com/a-b"] {
            assert_eq!(qualified_name(ok), Ok(()), "{ok}");
        }
        for bad in ["my key", "-app", "app-", "Example.com/a", "/a", "a/", "a/b/c", "x..y/z"] {
            assert!(qualified_name(bad).is_err(), "{bad}");
        }
        assert!(qualified_name(&"k".repeat(64)).is_err());
    }

    #[test]
    fn grammars() {
        assert!(dns1123_label("todo-backend").is_ok());
        assert!(dns1123_label("Todo").is_err());
        assert!(dns1123_label("-a").is_err());
        assert!(dns1123_label(&"a".repeat(64)).is_err());
        assert!(dns1035_label("1web").is_err());
        assert!(dns1035_label("web1").is_ok());
        assert!(iana_svc_name("http").is_ok());
        assert!(iana_svc_name("http-metrics-port").is_err());
        assert!(iana_svc_name("8080").is_err());
        assert!(iana_svc_name("a--b").is_err());
        assert!(env_var_name("DATABASE_URL").is_ok());
        assert!(env_var_name("1X").is_err());
        assert!(env_var_name("A B").is_err());
        assert!(config_key("app.properties").is_ok());
        assert!(config_key("a/b").is_err());
        assert!(config_key("..").is_err());
    }

    #[test]
    fn describe_quotes_only_non_empty_values() {
        assert_eq!(describe("namespace", "Todo", "is bad"), "namespace `Todo` is bad");
        assert_eq!(describe("namespace", "", "must not be empty"), "namespace must not be empty");
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        // 40 `é` are 80 bytes, over 63, yet only 40 characters: the problem is the character.
        let err = dns1123_label(&"é".repeat(40)).unwrap_err();
        assert!(err.contains("contains `é`"), "{err}");
    }

    #[test]
    fn image_repositories_follow_the_reference_grammar() {
        for ok in [
            "todo-backend",
            "nginx",
            "library/nginx",
            "docker.io/library/nginx",
            "ghcr.io/org/app",
            "localhost/app",
            "localhost:5000/app",
            "registry.example.com:443/team/app",
            "[::1]:5000/app",
            "MyRegistry.example.com/app",
            "org/a.b_c__d---e",
        ] {
            assert_eq!(image_repository(ok), Ok(()), "{ok}");
        }
        let err = |name: &str| image_repository(name).unwrap_err();
        assert!(err("Todo-Backend").contains("uppercase `T`"));
        assert!(err("myorg/App").contains("uppercase `A`"));
        assert!(err("").contains("empty"));
        assert!(err("https://ghcr.io/org/app").contains("`https://`"));
        assert!(err("my app").contains("whitespace"));
        assert!(err("nginx:1.25").contains("tag (`:1.25`)"));
        assert!(err("nginx@sha256:00").contains("digest"));
        assert!(err("org//app").contains("empty part"));
        assert!(err("ghcr.io/").contains("empty part"));
        assert!(err("-app").contains("start and end"));
        assert!(err("app.").contains("start and end"));
        assert!(err("a..b").contains("`..`"));
        assert!(err("a___b").contains("`___`"));
        assert!(err("a._b").contains("`._`"));
        assert!(err("a+b").contains("`+`"));
        assert!(err("my_registry.io:5000/app").contains("registry host `my_registry.io`"));
        assert!(err("localhost:http/app").contains("registry port `http`"));
        assert!(err(&"a".repeat(256)).contains("256 characters"));
        assert!(err(&"ab".repeat(32)).contains("image ID"));
    }

    #[test]
    fn image_tags_follow_the_reference_grammar() {
        let digest = format!("sha256:{}", "ab".repeat(32));
        for ok in ["1.0.0", "latest", "v1", "_x", "1.0-alpine_3.19", &"a".repeat(128), &format!("1.0@{digest}")] {
            assert_eq!(image_tag(ok), Ok(()), "{ok}");
        }
        let err = |tag: &str| image_tag(tag).unwrap_err();
        assert!(err("").contains("empty"));
        assert!(err(".1").contains("must start"));
        assert!(err("-rc").contains("must start"));
        assert!(err("1.0+build").contains("`+`"));
        assert!(err("nginx:1.25").contains("(`1.25`)"));
        assert!(err(&digest).contains("after `@`"));
        assert!(err(&format!("@{digest}")).contains("starts with `@`"));
        assert!(err(&"a".repeat(129)).contains("129 characters"));
        assert!(err("1.0@sha256:abc").contains("64 lowercase hex"));
        assert!(err(&format!("1.0@sha256:{}", "AB".repeat(32))).contains("64 lowercase hex"));
        assert!(err("1.0@md5:abc").contains("`md5`"));
        assert!(err("1.0@abc").contains("sha256:<64 hex digits>"));
        assert_eq!(image_digest(&format!("sha512:{}", "0".repeat(128))), Ok(()));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            let _ = (dns1123_label(&text), dns1035_label(&text), iana_svc_name(&text));
            let _ = (env_var_name(&text), config_key(&text));
            let _ = (image_repository(&text), image_tag(&text), image_digest(&text));
        }

        #[test]
        fn never_panics_on_image_like_text(text in "[a-zA-Z0-9.:/@_\\[\\]-]{0,60}") {
            let _ = (image_repository(&text), image_tag(&text), image_digest(&text));
        }
    }

    #[test]
    fn references_normalize_like_the_runtime_lists_them() {
        assert_eq!(normalize_image("todo-backend:1.0.0"), "docker.io/library/todo-backend:1.0.0");
        assert_eq!(normalize_image("todo-backend"), "docker.io/library/todo-backend:latest");
        assert_eq!(normalize_image("me/app:2"), "docker.io/me/app:2");
        assert_eq!(normalize_image("localhost:5000/app"), "localhost:5000/app:latest");
        assert_eq!(normalize_image("ghcr.io/o/app:1@sha256:ab"), "ghcr.io/o/app:1@sha256:ab");
        assert_eq!(normalize_image("docker.io/library/todo-backend:1.0.0"), "docker.io/library/todo-backend:1.0.0");
    }
}
