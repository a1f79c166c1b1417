//! The ring's drawing geometry: integer view units, points on the ring, and the SVG path text
//! of ticks and key dots. The lab keeps per-node tick paths and key dots up to date while a node
//! is dragged, and the view model draws with the same functions.
//!
//! Geometry is in integer units of 1/1000 of the ring's radius, centred on (0, 0), with angle 0
//! at the top and angles growing clockwise. Integers keep the SVG path text short and fast to
//! build, which matters while a node is dragged.

use crate::hash::ring_fraction;

/// Radius of the ring in view units.
pub const RADIUS: i32 = 1_000;

/// A point in view units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Point {
    /// Rightwards.
    pub x: i32,
    /// Downwards.
    pub y: i32,
}

/// The point at `fraction` of a turn (clockwise from the top) and `radius`.
pub fn polar(fraction: f64, radius: f64) -> Point {
    let angle = fraction * std::f64::consts::TAU;
    Point {
        x: libm::round(libm::sin(angle) * radius) as i32,
        y: libm::round(-libm::cos(angle) * radius) as i32,
    }
}

/// The fraction of a turn (clockwise from the top) of a point relative to the centre.
pub fn fraction_of(x: f64, y: f64) -> f64 {
    let turn = libm::atan2(x, -y) / std::f64::consts::TAU;
    if turn < 0.0 { turn + 1.0 } else { turn }
}

/// Where a key with hash `h` is drawn: at its ring angle, on a radius jittered by the hash so
/// dots at nearby angles do not hide each other.
pub(crate) fn key_point(h: u64) -> Point {
    let jitter = (h & 0xFF) as f64 / 255.0;
    polar(ring_fraction(h), 760.0 + 160.0 * jitter)
}

/// Appends an integer without going through `core::fmt`, which dominates path building.
fn push_int(out: &mut String, n: i32) {
    if n < 0 {
        out.push('-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits[..len].iter().rev() {
        out.push(d as char);
    }
}

/// Appends a key's dot: a zero-length segment drawn with a round cap.
pub(crate) fn push_dot(path: &mut String, p: Point) {
    out_point(path, 'M', p);
    path.push_str("h0");
}

/// The path of a node's tokens as radial ticks. One sine and cosine per token: both ends of its
/// tick share the angle.
pub(crate) fn tick_path(tokens: &[u64]) -> String {
    let mut path = String::with_capacity(tokens.len() * 24);
    for &p in tokens {
        let angle = ring_fraction(p) * std::f64::consts::TAU;
        let (sin, cos) = (libm::sin(angle), libm::cos(angle));
        let at = |r: f64| Point {
            x: libm::round(sin * r) as i32,
            y: libm::round(-cos * r) as i32,
        };
        out_point(&mut path, 'M', at(955.0));
        out_point(&mut path, 'L', at(1_045.0));
    }
    path
}

fn out_point(path: &mut String, command: char, p: Point) {
    path.push(command);
    push_int(path, p.x);
    path.push(' ');
    push_int(path, p.y);
}
