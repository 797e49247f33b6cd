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

#[cfg(test)]
mod tests {
    use super::*;

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
}
