//! Two fingers pinch the drawing to zoom it. The pane's `touch-action` keeps the page from
//! zooming itself there, while one finger still scrolls the pane natively; the drawing's scale
//! follows the distance between the fingers from where the second one went down.

/// The touches down on the pane, and the pinch they make while there are two.
#[derive(Debug, Default)]
pub struct Pinch {
    /// Pointer id and position of each finger down.
    touches: Vec<(i32, f64, f64)>,
    /// The fingers' distance and the drawing's scale when the second finger went down.
    start: Option<(f64, f64)>,
}

impl Pinch {
    /// A finger went down at (`x`, `y`) while the drawing is at `scale`.
    pub fn down(&mut self, id: i32, x: f64, y: f64, scale: f64) {
        self.touches.retain(|t| t.0 != id);
        self.touches.push((id, x, y));
        self.start = match self.touches.len() {
            2 => Some((self.distance(), scale)).filter(|(apart, _)| *apart > 0.0),
            _ => None,
        };
    }

    /// A finger moved: the scale the two fingers ask for now, while they pinch.
    pub fn moved(&mut self, id: i32, x: f64, y: f64) -> Option<f64> {
        let touch = self.touches.iter_mut().find(|t| t.0 == id)?;
        (touch.1, touch.2) = (x, y);
        let (apart, scale) = self.start?;
        Some(scale * self.distance() / apart)
    }

    /// A finger went up (or the browser took it over): the pinch, if any, ends.
    pub fn up(&mut self, id: i32) {
        self.touches.retain(|t| t.0 != id);
        self.start = None;
    }

    fn distance(&self) -> f64 {
        match self.touches[..] {
            [(_, x1, y1), (_, x2, y2)] => (x1 - x2).hypot(y1 - y2),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(got: Option<f64>, want: f64) -> bool {
        got.is_some_and(|g| (g - want).abs() < 1e-9)
    }

    #[test]
    fn the_scale_follows_the_fingers_distance() {
        let mut pinch = Pinch::default();
        pinch.down(1, 100.0, 100.0, 0.8);
        assert_eq!(pinch.moved(1, 90.0, 100.0), None, "one finger scrolls, it does not zoom");
        pinch.down(2, 140.0, 100.0, 0.8);
        assert!(near(pinch.moved(2, 190.0, 100.0), 1.6), "twice as far apart: twice the scale");
        assert!(near(pinch.moved(1, 140.0, 100.0), 0.8), "back to the distance it started at");
        pinch.up(2);
        assert_eq!(pinch.moved(1, 0.0, 0.0), None, "a finger up ends the pinch");
        pinch.down(3, 10.0, 0.0, 1.0);
        assert!(near(pinch.moved(3, 20.0, 0.0), 2.0), "a new second finger starts a new pinch");
    }

    #[test]
    fn a_third_finger_or_fingers_together_do_not_pinch() {
        let mut pinch = Pinch::default();
        pinch.down(1, 5.0, 5.0, 1.0);
        pinch.down(2, 5.0, 5.0, 1.0);
        assert_eq!(pinch.moved(2, 50.0, 5.0), None, "no distance to scale from");
        pinch.down(3, 0.0, 0.0, 1.0);
        assert_eq!(pinch.moved(3, 1.0, 1.0), None);
    }
}
