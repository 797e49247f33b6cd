//! Stable sorts compiled once. std's `sort_by` is compiled anew for every element type and
//! comparator, several kilobytes of wasm each; these sort a list of indexes with one comparator
//! type, then move the elements into place, so each caller adds only the few hundred bytes of
//! its comparison and its swaps. Use them in `core` and the app instead of `slice::sort_by`
//! (`sort_unstable` of plain numbers and `sort_by_cached_key` are each compiled once already).

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably (equal items keep their order): `slice::sort_by`.
pub fn by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = order_of(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` by `key`, stably: `slice::sort_by_key`.
pub fn by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)))
}

/// The indexes of `len` items in sorted order: the one instantiation of std's stable sort.
fn order_of(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the item at `order[i]` to `i`, swapping along each cycle of the permutation once.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        placed[start] = true;
        // `items[at]` holds the item first at `start`, carried along the cycle until its place.
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            placed[from] = true;
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        by_key(&mut items, |(key, _)| *key);
        assert_eq!(items, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }

    proptest! {
        /// The same order as std's stable sort, on lists with many equal keys.
        #[test]
        fn sorts_as_std_does(items in prop::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = items.clone();
            by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std_sorted = items;
            std_sorted.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std_sorted);
        }
    }
}
