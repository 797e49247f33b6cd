//! TODO(helper): lifecycle
