//! TODO(helper): diagnose
