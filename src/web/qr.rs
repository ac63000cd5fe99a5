//! A QR code of a page's address, as inline SVG: no image request, no script. The modules are
//! drawn as one path of horizontal runs (`M x y h n v 1 h -n z` per run), which is a fraction of
//! the size of one rectangle per module, for the 30 KB page budget.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// The SVG of a QR code holding `text`, labelled for screen readers with `label`, or `None`
/// when the text is too long for a QR code.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    // The quiet zone the standard asks for: four modules on each side.
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::with_capacity(width * width);
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(path, "M{} {}h{run}v1h-{run}z", start + quiet, y + quiet);
            } else {
                x += 1;
            }
        }
    }
    let label = escape(label);
    Some(format!(
        "<svg viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_a_small_labelled_svg() {
        let url = "https://fairhire.example.org/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";
        let svg = svg(url, "QR \"code\"").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\" aria-label=\"QR &quot;code&quot;\""));
        assert!(svg.len() < 8_000, "{} bytes", svg.len());
        assert!(!svg.contains(url), "the address is drawn, not written");
    }

    #[test]
    fn the_modules_drawn_are_the_code_s_dark_modules() {
        let code = QrCode::with_error_correction_level(b"x", EcLevel::M).unwrap();
        let dark = code.to_colors().iter().filter(|c| **c == Color::Dark).count();
        let svg = svg("x", "l").unwrap();
        let path = svg.split(" d=\"").nth(1).unwrap();
        let drawn: usize =
            path.split('h').skip(1).step_by(2).map(|n| n.split('v').next().unwrap().parse::<usize>().unwrap()).sum();
        assert_eq!(drawn, dark);
    }
}
