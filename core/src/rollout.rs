//! TODO(helper): rollout
