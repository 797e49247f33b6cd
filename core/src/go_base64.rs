//! Base64 as the API server decodes `[]byte` fields (a Secret's `data`, a ConfigMap's
//! `binaryData`, a webhook's `caBundle`): Go's `base64.StdEncoding`, and why a text is not it.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
pub use base64::DecodeError;
use base64::Engine;

/// Go's `base64.StdEncoding`, which the API server decodes `[]byte` fields with: padding
/// required, non-zero trailing bits accepted (k8s-openapi's STANDARD engine refuses those).
const KUBERNETES_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Decode a `data` value as the API server does. Go's decoder also skips `\r` and `\n`, so
/// base64 wrapped over lines (`base64` wraps at 76 columns, pasted into a `|` block) is fine.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let joined: String = text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
    KUBERNETES_BASE64.decode(joined)
}

/// What is wrong with a value, in words, without repeating the (secret) value itself.
pub fn why_not(text: &str, error: &DecodeError) -> String {
    if text.contains(['-', '_'])
        && !text.contains(['+', '/'])
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '=' | '\n' | '\r'))
    {
        return "it uses `-` or `_`: that is URL-safe base64; Kubernetes wants standard base64 with `+` and `/`"
            .to_string();
    }
    match error {
        DecodeError::InvalidByte(offset, byte) if byte.is_ascii_graphic() || *byte == b' ' => {
            format!("character {} `{}` cannot appear in base64; is it plain text?", offset + 1, *byte as char)
        }
        DecodeError::InvalidByte(offset, _) => {
            format!("character {} cannot appear in base64; is it plain text?", offset + 1)
        }
        DecodeError::InvalidLength(_) => {
            "its length is not a multiple of 4; is `=` padding missing, or is it plain text?".to_string()
        }
        DecodeError::InvalidPadding => "its `=` padding is missing or wrong".to_string(),
        DecodeError::InvalidLastSymbol(offset, _) => {
            format!("character {} ends the value wrongly", offset + 1)
        }
    }
}
