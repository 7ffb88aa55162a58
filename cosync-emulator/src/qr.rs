//! The `QRDataImage` of Google two-factor set-up: a PNG QR code of the `otpauth://` URI as a
//! `data:` URL, shaped like the npm `qrcode` package's defaults (error correction M, 4-module
//! quiet zone, 4 pixels per module).

use base64ct::{Base64, Encoding};
use qrcode::{Color, EcLevel, QrCode};

const SCALE: usize = 4;
const MARGIN: usize = 4;

/// Why an image could not be made (the text is too long for a QR code, or PNG encoding failed).
#[derive(Debug, thiserror::Error)]
#[error("could not render QR code: {0}")]
pub struct QrError(String);

/// PNG bytes of a QR code for `text`.
pub fn png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| QrError(e.to_string()))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * MARGIN) * SCALE;
    let mut pixels = vec![255_u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (index % modules, index / modules);
        for dy in 0..SCALE {
            let row = (my + MARGIN) * SCALE + dy;
            let start = row * side + (mx + MARGIN) * SCALE;
            pixels[start..start + SCALE].fill(0);
        }
    }
    let side_u32 = u32::try_from(side).map_err(|e| QrError(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| QrError(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| QrError(e.to_string()))?;
        writer.finish().map_err(|e| QrError(e.to_string()))?;
    }
    Ok(out)
}

/// `data:image/png;base64,…` of [`png`].
pub fn data_url(text: &str) -> Result<String, QrError> {
    Ok(format!(
        "data:image/png;base64,{}",
        Base64::encode_string(&png(text)?)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_png_data_url() {
        let url = data_url("otpauth://totp/A:b?secret=ABCD").unwrap();
        let body = url.strip_prefix("data:image/png;base64,").unwrap();
        let bytes = Base64::decode_vec(body).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
