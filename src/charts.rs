//! The dashboard's charts, drawn in the worker as SVG text with charts-rs from the pure
//! [`ChartSpec`]s of `domain::dashboard` (the main-thread wasm never links charts-rs: it would
//! add ~217 KB gzip to the first paint).
//!
//! charts-rs measures text with the font a chart names, and its own font (Roboto) has no CJK
//! glyphs: Chinese labels were measured as narrow boxes and legends ran into each other. The
//! worker registers `assets/fonts/gridledger-chart.ttf` instead (Roboto's Latin glyphs plus one
//! 1-em glyph for every CJK code point, made by `scripts/make_chart_font.py`), so a Chinese
//! label is measured as wide as browsers draw it. The font only measures: the SVG names
//! [`FONT_FAMILY`] and the page's stylesheet draws chart text with the system's CJK fonts. An
//! end-to-end test compares the drawn text boxes in the browser and fails on any overlap.
//!
//! charts-rs escapes every label it writes (`&`, `<`, `>`, quotes), so a grid called
//! `<img src=x onerror=…>` arrives as text; the page also parses the SVG as XML and keeps only
//! drawing elements before it shows it.

use crate::domain::dashboard::{ChartKind, ChartSpec};
use charts_rs::{BarChart, HorizontalBarChart, LineChart, Series};
use std::sync::Once;

const FONT: &[u8] = include_bytes!("../assets/fonts/gridledger-chart.ttf");
/// The family name inside the metrics font.
pub const FONT_FAMILY: &str = "GridLedger Chart";

fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Err(e) = charts_rs::add_fonts(&[FONT]) {
            // Measured with Roboto then: labels may crowd, nothing else breaks.
            log(&format!("chart font: {e:?}"));
        }
    });
}

fn log(_s: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&_s.into());
}

/// The series to draw; a value that is not a number (a rate of nothing) is drawn as no bar.
/// `reverse`: horizontal bars are drawn bottom up, so the first row is given last.
fn series(spec: &ChartSpec, labels: bool, reverse: bool) -> Vec<Series> {
    spec.series
        .iter()
        .map(|s| {
            let mut v: Vec<Option<f32>> = s
                .values
                .iter()
                .map(|v| v.is_finite().then_some(*v as f32))
                .collect();
            if reverse {
                v.reverse();
            }
            let mut x = Series::new_nullable(s.name.clone(), v);
            x.label_show = labels;
            x
        })
        .collect()
}

/// Room around the plot: above for the top tick label, right for the last tick and the value
/// at the end of the longest bar.
fn margin() -> charts_rs::Box {
    (10.0, 16.0, 44.0, 8.0).into()
}

/// Draws one chart `width` pixels wide. Errors come back as text for the page to show.
///
/// What keeps labels apart: Chinese measured right (the font above), long category names on
/// the vertical axis of horizontal bars (never rotated, never crowded), values on vertical bars
/// only where a bar is wide enough for them, none on lines (two series' values would collide),
/// and lines drawn in the middle of their slots so the first label clears the value axis.
pub fn render(spec: &ChartSpec, width: f32) -> Result<String, String> {
    ensure_font();
    let width = width.clamp(280.0, 1600.0);
    let legend = spec.series.len() > 1;
    let n = spec.labels.len().max(1) as f32;
    // The width of one bar of a vertical chart, roughly (axis labels take ~70 px).
    let bar = (width - 70.0) / n / spec.series.len().max(1) as f32 * 0.8;
    let svg = match spec.kind {
        ChartKind::Line => {
            // Crowded (a year of weeks): the axis shows every k-th label, starting with the
            // first, which would then hang over the value axis's "0"; leave it out.
            let mut labels = spec.labels.clone();
            if (width - 70.0) / n < 44.0 {
                if let Some(first) = labels.first_mut() {
                    first.clear();
                }
            }
            let mut c = LineChart::new(series(spec, false, false), labels);
            c.base.width = width;
            c.base.height = 300.0;
            c.base.margin = margin();
            c.base.font_family = FONT_FAMILY.to_string();
            c.base.legend.show = Some(legend);
            c.base.x_axis.boundary_gap = Some(true);
            c.base.x_axis.label_overflow = charts_rs::AxisLabelOverflow::Thin;
            c.svg()
        }
        ChartKind::Bar => {
            let mut c = BarChart::new(series(spec, bar >= 34.0, false), spec.labels.clone());
            c.base.width = width;
            c.base.height = 300.0;
            c.base.margin = margin();
            c.base.font_family = FONT_FAMILY.to_string();
            c.base.legend.show = Some(legend);
            c.base.x_axis.label_overflow = charts_rs::AxisLabelOverflow::Thin;
            c.svg()
        }
        ChartKind::HBar => {
            let mut labels = spec.labels.clone();
            labels.reverse();
            let mut c = HorizontalBarChart::new(series(spec, true, true), labels);
            let per = 12.0 + 16.0 * spec.series.len() as f32;
            c.base.width = width;
            c.base.height = (90.0 + per * n).max(180.0);
            c.base.margin = margin();
            c.base.font_family = FONT_FAMILY.to_string();
            c.base.legend.show = Some(legend);
            if spec.percent {
                c.base.series.label.formatter = "{:.1}".to_string();
            }
            c.svg()
        }
    };
    svg.map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dashboard::Series as S;

    fn spec(kind: ChartKind, labels: &[&str], series: &[(&str, &[f64])]) -> ChartSpec {
        ChartSpec {
            id: "t",
            kind,
            title: String::new(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            series: series
                .iter()
                .map(|(n, v)| S {
                    name: n.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            percent: false,
        }
    }

    #[test]
    fn chinese_is_measured_one_em_a_character() {
        ensure_font();
        let w = charts_rs::measure_text_width_family(FONT_FAMILY, 14.0, "销售额")
            .unwrap()
            .width();
        assert!((38.0..=44.0).contains(&w), "销售额 measured {w}");
        // Latin text measures as Roboto does.
        let ours = charts_rs::measure_text_width_family(FONT_FAMILY, 14.0, "Ab1%")
            .unwrap()
            .width();
        let roboto = charts_rs::measure_text_width_family("Roboto", 14.0, "Ab1%")
            .unwrap()
            .width();
        assert_eq!(ours, roboto);
    }

    #[test]
    fn labels_are_escaped_text() {
        let s = spec(
            ChartKind::HBar,
            &["<img src=x onerror=alert(1)>", "第二网格"],
            &[("收到", &[3.0, 4.0])],
        );
        let svg = render(&s, 600.0).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(svg.contains("第二网格"));
        assert!(svg.contains(FONT_FAMILY));
    }

    /// The x positions of the legend's texts and markers, left to right.
    fn legend_boxes(svg: &str, names: &[&str]) -> Vec<(f32, f32)> {
        // Each legend text is `<text … x="X" …>NAME</text>`; its width as the font measures.
        names
            .iter()
            .map(|n| {
                let end = svg
                    .find(&format!(">{n}</text>"))
                    .or_else(|| svg.find(&format!(">\n{n}\n</text>")))
                    .expect("legend text");
                let start = svg[..end].rfind("<text").unwrap();
                let tag = &svg[start..end];
                let x: f32 = tag
                    .split(" x=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .and_then(|v| v.parse().ok())
                    .expect("x");
                let w = charts_rs::measure_text_width_family(FONT_FAMILY, 14.0, n)
                    .unwrap()
                    .width();
                (x, x + w)
            })
            .collect()
    }

    #[test]
    fn a_chinese_legend_does_not_run_into_the_next() {
        let s = spec(
            ChartKind::Bar,
            &["一月", "二月"],
            &[("销售额", &[3.0, 4.0]), ("利润", &[1.0, 2.0])],
        );
        let svg = render(&s, 600.0).unwrap();
        let b = legend_boxes(&svg, &["销售额", "利润"]);
        // The second label (and its marker, drawn before it) starts after the first ends.
        assert!(b[0].1 + 20.0 < b[1].0, "{b:?}");
    }
}
