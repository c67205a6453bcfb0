//! The picture cards as PDF vector drawings: each card's SVG (black and white, `assets/cards/print`) is
//! parsed once with usvg and turned into filled polygons, which print sharp at any size and need no
//! image or font.

use std::collections::HashMap;
use std::sync::OnceLock;

use printpdf::{
    Color, LinePoint, Op, PaintMode, Point, Polygon, PolygonRing, Pt, Rgb, WindingOrder,
};
use usvg::tiny_skia_path::PathSegment;

include!(concat!(env!("OUT_DIR"), "/cards.rs"));

/// One filled shape of a card, in unit coordinates (0..1, y down).
#[derive(Debug, Clone)]
struct Shape {
    rings: Vec<Vec<(f32, f32, bool)>>,
    even_odd: bool,
    rgb: (f32, f32, f32),
}

fn shapes() -> &'static HashMap<&'static str, Vec<Shape>> {
    static SHAPES: OnceLock<HashMap<&'static str, Vec<Shape>>> = OnceLock::new();
    SHAPES.get_or_init(|| SVGS.iter().map(|(id, svg)| (*id, parse(svg))).collect())
}

/// Whether a card id has a picture.
pub(crate) fn exists(card: &str) -> bool {
    shapes().contains_key(card)
}

fn parse(svg: &str) -> Vec<Shape> {
    let Ok(tree) = usvg::Tree::from_str(svg, &usvg::Options::default()) else {
        return Vec::new();
    };
    let size = tree.size();
    let (w, h) = (size.width().max(1.0), size.height().max(1.0));
    let mut out = Vec::new();
    collect(tree.root(), w, h, &mut out);
    out
}

fn collect(group: &usvg::Group, w: f32, h: f32, out: &mut Vec<Shape>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect(g, w, h, out),
            usvg::Node::Path(path) => {
                let Some(fill) = path.fill().filter(|_| path.is_visible()) else {
                    continue;
                };
                let usvg::Paint::Color(c) = fill.paint() else {
                    continue;
                };
                let t = path.abs_transform();
                let map = |p: usvg::tiny_skia_path::Point| {
                    let mut q = p;
                    t.map_point(&mut q);
                    (q.x / w, q.y / h)
                };
                let mut rings: Vec<Vec<(f32, f32, bool)>> = Vec::new();
                let mut last = (0.0, 0.0);
                for segment in path.data().segments() {
                    match segment {
                        PathSegment::MoveTo(p) => {
                            last = map(p);
                            rings.push(vec![(last.0, last.1, false)]);
                        }
                        PathSegment::LineTo(p) => {
                            last = map(p);
                            push(&mut rings, (last.0, last.1, false));
                        }
                        PathSegment::QuadTo(c, p) => {
                            // A quadratic curve is the cubic with control points 2/3 of the way.
                            let (c, p) = (map(c), map(p));
                            let c1 = (
                                last.0 + 2.0 / 3.0 * (c.0 - last.0),
                                last.1 + 2.0 / 3.0 * (c.1 - last.1),
                            );
                            let c2 = (p.0 + 2.0 / 3.0 * (c.0 - p.0), p.1 + 2.0 / 3.0 * (c.1 - p.1));
                            push(&mut rings, (c1.0, c1.1, true));
                            push(&mut rings, (c2.0, c2.1, true));
                            push(&mut rings, (p.0, p.1, false));
                            last = p;
                        }
                        PathSegment::CubicTo(c1, c2, p) => {
                            let (c1, c2, p) = (map(c1), map(c2), map(p));
                            push(&mut rings, (c1.0, c1.1, true));
                            push(&mut rings, (c2.0, c2.1, true));
                            push(&mut rings, (p.0, p.1, false));
                            last = p;
                        }
                        PathSegment::Close => {}
                    }
                }
                let rgb = (
                    f32::from(c.red) / 255.0,
                    f32::from(c.green) / 255.0,
                    f32::from(c.blue) / 255.0,
                );
                let even_odd = fill.rule() == usvg::FillRule::EvenOdd;
                out.push(Shape {
                    rings,
                    even_odd,
                    rgb,
                });
            }
            _ => {}
        }
    }
}

fn push(rings: &mut Vec<Vec<(f32, f32, bool)>>, point: (f32, f32, bool)) {
    match rings.last_mut() {
        Some(ring) => ring.push(point),
        None => rings.push(vec![point]),
    }
}

/// The drawing of `card`, `size` points wide, with its top-left corner at (`x`, `top`) in PDF
/// coordinates (y up). Empty for an unknown card.
pub(crate) fn draw(card: &str, x: f32, top: f32, size: f32) -> Vec<Op> {
    let Some(shapes) = shapes().get(card) else {
        return Vec::new();
    };
    let mut ops = Vec::with_capacity(shapes.len() * 2);
    for shape in shapes {
        let rings = shape
            .rings
            .iter()
            .map(|ring| PolygonRing {
                points: ring
                    .iter()
                    .map(|&(u, v, bezier)| LinePoint {
                        p: Point {
                            x: Pt(x + u * size),
                            y: Pt(top - v * size),
                        },
                        bezier,
                    })
                    .collect(),
            })
            .collect();
        let (r, g, b) = shape.rgb;
        ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb {
                r,
                g,
                b,
                icc_profile: None,
            }),
        });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: if shape.even_odd {
                    WindingOrder::EvenOdd
                } else {
                    WindingOrder::NonZero
                },
            },
        });
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_card_of_the_domain_has_a_drawing() {
        for card in crate::domain::CARDS {
            let shapes = shapes()
                .get(card)
                .unwrap_or_else(|| panic!("{card} has no picture"));
            assert!(!shapes.is_empty(), "{card} parsed to nothing");
            for s in shapes {
                for ring in &s.rings {
                    for &(u, v, _) in ring {
                        assert!(
                            (-0.05..=1.05).contains(&u) && (-0.05..=1.05).contains(&v),
                            "{card}: {u},{v}"
                        );
                    }
                }
            }
        }
        let mut files: Vec<&str> = SVGS.iter().map(|(id, _)| *id).collect();
        let mut ids = crate::domain::CARDS.to_vec();
        files.sort_unstable();
        ids.sort_unstable();
        assert_eq!(
            files, ids,
            "assets/cards/print holds exactly the domain's cards"
        );
    }
}
