//! Edge labels: their lines, their widths (estimated: the SVG is built as a string, nothing is
//! measured), and stacking them in the gaps between columns so that none overlaps another.

use kubeplay_core::sort;

/// Edge labels are 11px (styles.css): one line of text is 14 units tall.
pub const LINE_H: f64 = 14.0;
/// From the top of a label line to its baseline.
pub const ASCENT: f64 = 10.5;
/// Free space kept between two labels stacked in one gap.
pub const LABEL_GAP: f64 = 6.0;
/// Space between a label's text and the edge of its box.
pub const LABEL_PAD: f64 = 4.0;
pub const LABEL_PAD_Y: f64 = 1.0;

/// A text style of the graph, as styles.css sets it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    pub px: f64,
    pub bold: bool,
}

/// An edge label; broken ones are bold.
pub const fn label_font(broken: bool) -> Font {
    Font { px: 11.0, bold: broken }
}
/// A node's kind line.
pub const KIND_FONT: Font = Font { px: 11.0, bold: false };
/// A node's name.
pub const NAME_FONT: Font = Font { px: 13.0, bold: true };
/// A namespace band's title (`.graph .column`).
pub const BAND_FONT: Font = Font { px: 12.0, bold: true };

/// How wide `text` is drawn in `font`, erring wide: the advance widths of DejaVu Sans (the widest
/// of the usual sans-serif fonts, and Debian's default) in ems, grouped and rounded up; bold is
/// about a tenth wider.
pub fn text_width(text: &str, font: Font) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 'I' | 'J' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | '·' => 0.34,
            ' ' | '(' | ')' | '[' | ']' | '{' | '}' | 'f' | 't' | 'r' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 1.0,
            '<' | '>' | '=' | '+' | '~' | '#' | '&' => 0.84,
            'D' | 'G' | 'H' | 'N' | 'O' | 'Q' | 'U' => 0.79,
            'A'..='Z' => 0.7,
            c if c.is_ascii() => 0.64,
            _ => 1.0,
        })
        .sum();
    ems * font.px * if font.bold { 1.15 } else { 1.0 }
}

/// `text` cut with an ellipsis to fit `room` (the whole text is in the element's title).
pub fn fit(text: &str, room: f64, font: Font) -> String {
    if text_width(text, font) <= room {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        let mut longer = cut.clone();
        longer.push(c);
        longer.push('…');
        if text_width(&longer, font) > room {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// The lines of an arrow's label, before cutting to `room`. Key references (`key_refs`), like
/// `key ref (DATABASE_URL)` and `key ref (OPENAI_API_KEY)`, become the shared words and then one
/// line per key, so each key is read in full (a single label only when it is too wide for one
/// line); other labels are stacked as they are.
pub fn label_lines(labels: &[&str], room: f64, font: Font, key_refs: bool) -> Vec<String> {
    if let [label] = labels {
        if !key_refs || text_width(label, font) <= room {
            return vec![label.to_string()];
        }
    }
    if !key_refs {
        return labels.iter().map(|l| l.to_string()).collect();
    }
    let head = labels[0].split_once(" (").map(|(head, _)| head);
    let inner: Option<Vec<&str>> = head
        .and_then(|head| labels.iter().map(|l| l.strip_prefix(head)?.strip_prefix(" (")?.strip_suffix(')')).collect());
    match (head, inner) {
        (Some(head), Some(inner)) => {
            std::iter::once(format!("{head}:")).chain(inner.into_iter().map(String::from)).collect()
        }
        _ => labels.iter().map(|l| l.to_string()).collect(),
    }
}

/// A label to place: its gap (labels in one gap are stacked), the height of its lines and the y
/// its centre would have on a plain arrow.
pub struct LabelBox {
    pub gap: usize,
    pub height: f64,
    pub wanted_centre: f64,
    /// Set by `stack`.
    pub top: f64,
}

/// Place the labels of each gap top to bottom without overlaps, each as near its wanted centre
/// as the others allow: overlapping neighbours form a block centred on their wanted centres.
pub fn stack(labels: &mut [LabelBox], min_top: f64) {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    sort::by(&mut order, |&a, &b| {
        labels[a].gap.cmp(&labels[b].gap).then(labels[a].wanted_centre.total_cmp(&labels[b].wanted_centre))
    });
    // Blocks of consecutive labels (indexes into `order`): [start, end), top, height.
    struct Block {
        start: usize,
        end: usize,
        top: f64,
        height: f64,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (at, &i) in order.iter().enumerate() {
        let label = &labels[i];
        blocks.push(Block {
            start: at,
            end: at + 1,
            top: (label.wanted_centre - label.height / 2.0).max(min_top),
            height: label.height,
        });
        while let [.., previous, last] = blocks.as_slice() {
            let same_gap = labels[order[previous.start]].gap == labels[order[last.start]].gap;
            if !same_gap || previous.top + previous.height + LABEL_GAP <= last.top {
                break;
            }
            let (start, end) = (previous.start, last.end);
            blocks.truncate(blocks.len() - 2);
            // The top that puts the block's labels, on average, at their wanted centres.
            let mut offset = 0.0;
            let mut tops = 0.0;
            for &i in &order[start..end] {
                tops += labels[i].wanted_centre - (offset + labels[i].height / 2.0);
                offset += labels[i].height + LABEL_GAP;
            }
            let height = offset - LABEL_GAP;
            blocks.push(Block { start, end, top: (tops / (end - start) as f64).max(min_top), height });
        }
    }
    for block in blocks {
        let mut top = block.top;
        for &i in &order[block.start..block.end] {
            labels[i].top = top;
            top += labels[i].height + LABEL_GAP;
        }
    }
}

/// Move labels down, each gap's top to bottom, past the spans of `blocked` (gap, top, bottom)
/// they meet: the namespace titles that reach into a gap. Only ever down and in order, so labels
/// that `stack` kept apart stay apart.
pub fn clear(labels: &mut [LabelBox], blocked: &[(usize, f64, f64)]) {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    sort::by(&mut order, |&a, &b| labels[a].gap.cmp(&labels[b].gap).then(labels[a].top.total_cmp(&labels[b].top)));
    let mut floor = (usize::MAX, f64::NEG_INFINITY);
    for i in order {
        let label = &mut labels[i];
        let mut top = if floor.0 == label.gap { label.top.max(floor.1) } else { label.top };
        while let Some(&(_, _, bottom)) =
            blocked.iter().find(|&&(gap, start, end)| gap == label.gap && top < end && start < top + label.height)
        {
            top = bottom + LABEL_GAP;
        }
        label.top = top;
        floor = (label.gap, top + label.height + LABEL_GAP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Font = label_font(false);

    fn label(gap: usize, wanted_centre: f64, lines: usize) -> LabelBox {
        LabelBox { gap, height: lines as f64 * LINE_H, wanted_centre, top: 0.0 }
    }

    #[test]
    fn stacked_labels_keep_apart_and_near_where_they_want_to_be() {
        let mut labels = vec![
            label(1, 100.0, 3),
            label(1, 105.0, 1),
            label(1, 110.0, 2),
            label(1, 400.0, 1),
            // Another gap: may share the height of the first three.
            label(2, 100.0, 1),
        ];
        stack(&mut labels, 50.0);
        let gap1: Vec<&LabelBox> = labels.iter().filter(|l| l.gap == 1).collect();
        for (i, a) in gap1.iter().enumerate() {
            for b in &gap1[i + 1..] {
                let apart =
                    a.top + a.height + LABEL_GAP <= b.top + 1e-9 || b.top + b.height + LABEL_GAP <= a.top + 1e-9;
                assert!(apart, "{} and {} overlap", a.top, b.top);
            }
        }
        // The block of three is centred on their wanted centres, the far one stays put.
        let block_top = labels[0].top;
        let block_bottom = labels[2].top + labels[2].height;
        assert!((((block_top + block_bottom) / 2.0) - 105.0).abs() < LINE_H, "{block_top}..{block_bottom}");
        assert_eq!(labels[3].top, 400.0 - LINE_H / 2.0);
        assert_eq!(labels[4].top, 100.0 - LINE_H / 2.0);
    }

    #[test]
    fn stacked_labels_stay_below_the_top() {
        let mut labels = vec![label(0, 0.0, 2), label(0, 1.0, 1)];
        stack(&mut labels, 50.0);
        assert_eq!(labels[0].top, 50.0);
        assert_eq!(labels[1].top, 50.0 + 2.0 * LINE_H + LABEL_GAP);
    }

    #[test]
    fn labels_move_down_past_what_blocks_their_gap() {
        let mut labels = vec![label(0, 20.0, 1), label(0, 20.0 + LINE_H + LABEL_GAP, 1), label(1, 20.0, 1)];
        stack(&mut labels, 0.0);
        let before = labels[1].top;
        clear(&mut labels, &[(0, 10.0, 30.0)]);
        assert_eq!(labels[0].top, 30.0 + LABEL_GAP, "below the span");
        assert_eq!(labels[1].top, labels[0].top + LINE_H + LABEL_GAP, "and the next one below it, still apart");
        assert!(labels[1].top > before);
        assert_eq!(labels[2].top, 20.0 - LINE_H / 2.0, "another gap is not blocked");
    }

    #[test]
    fn merged_labels_name_each_key_in_full() {
        let keys = ["key ref (DATABASE_URL)", "key ref (OPENAI_API_KEY)"];
        assert_eq!(label_lines(&keys, 150.0, PLAIN, true), ["key ref:", "DATABASE_URL", "OPENAI_API_KEY"]);
        // One that does not end in its parenthesis: all are kept whole rather than cut wrong.
        let mixed = ["key ref (DATABASE_URL)", "key ref (X), optional"];
        assert_eq!(label_lines(&mixed, 150.0, PLAIN, true), mixed);
        // One label is split only when it is too wide for one line.
        assert_eq!(label_lines(&["8000 -> http (8000)"], 150.0, PLAIN, false), ["8000 -> http (8000)"]);
        // Only key references are split: a narrow port label is cut, not read as a key list.
        assert_eq!(label_lines(&["8080 -> metrics-http (8080)"], 20.0, PLAIN, false), ["8080 -> metrics-http (8080)"]);
        assert_eq!(
            label_lines(&["key ref (BETTER_AUTH_SECRET)"], 150.0, PLAIN, true),
            ["key ref:", "BETTER_AUTH_SECRET"]
        );
        assert_eq!(label_lines(&["selects"], 10.0, PLAIN, false), ["selects"]);
    }

    #[test]
    fn texts_are_cut_to_their_room() {
        assert_eq!(fit("selects", 100.0, PLAIN), "selects");
        let cut = fit("key ref (A_VERY_LONG_SECRET_KEY_NAME)", 100.0, PLAIN);
        assert!(cut.ends_with('…') && text_width(&cut, PLAIN) <= 100.0, "{cut}");
        let bold = label_font(true);
        assert!(text_width(&fit("key ref (A_VERY_LONG_SECRET_KEY_NAME)", 100.0, bold), bold) <= 100.0);
        assert!(text_width(&fit("a-very-long-statefulset-name", 140.0, NAME_FONT), NAME_FONT) <= 140.0);
    }
}
