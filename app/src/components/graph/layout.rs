//! The drawing's sizes, for core's layered layout (`kubeplay_core::graph::layout`), which
//! decides where the nodes and arrows go.

use kubeplay_core::graph::layout::Sizes;

pub const SIZES: Sizes = Sizes::STANDARD;
pub const NODE_W: f64 = 160.0;
pub const NODE_H: f64 = SIZES.node;
pub const MARGIN: f64 = SIZES.margin;
/// Between a band's edge and the nodes inside it.
pub const BAND_PAD: f64 = SIZES.band_pad;
