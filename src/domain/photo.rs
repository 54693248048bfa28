//! Case photos: what a stored photo must be. The browser downscales a picked or taken picture to
//! at most [`MAX_SIDE`] pixels on its longest side and encodes it as JPEG; the store (and a
//! bundle import) accepts only bytes that really are a JPEG or PNG image of that size, read from
//! the image's own header rather than from what the sender claims.

/// Longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// Largest stored photo, in bytes (a 1600 px JPEG at quality 0.85 is usually 200–600 KB).
pub const MAX_BYTES: usize = 1_500_000;
/// Photos attached to one step.
pub const MAX_PER_STEP: usize = 6;
/// Default cap on the photo bytes one bundle carries (an export option can change it).
pub const DEFAULT_BUNDLE_CAP_MB: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    /// Not a JPEG or PNG image (or its header is broken).
    NotImage,
    TooLarge,
    TooManyPixels,
}

impl PhotoError {
    pub fn code(self) -> &'static str {
        match self {
            PhotoError::NotImage => "photo_not_image",
            PhotoError::TooLarge => "photo_too_large",
            PhotoError::TooManyPixels => "photo_too_big_dimensions",
        }
    }
}

/// Reads the format and size of a JPEG or PNG from its header.
pub fn inspect(bytes: &[u8]) -> Option<ImageInfo> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return (w > 0 && h > 0).then_some(ImageInfo {
            mime: "image/png",
            width: w,
            height: h,
        });
    }
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    // Walk the JPEG segments to the first start-of-frame marker.
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 {
            return None;
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            if i + 9 > bytes.len() {
                return None;
            }
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
            return (w > 0 && h > 0).then_some(ImageInfo {
                mime: "image/jpeg",
                width: w,
                height: h,
            });
        }
        i += 2 + len;
    }
    None
}

/// Checks bytes meant to be stored as a case photo.
pub fn check(bytes: &[u8]) -> Result<ImageInfo, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let info = inspect(bytes).ok_or(PhotoError::NotImage)?;
    if info.width > MAX_SIDE || info.height > MAX_SIDE {
        return Err(PhotoError::TooManyPixels);
    }
    Ok(info)
}

/// The size a picture of `w`×`h` is scaled to so its longest side is at most [`MAX_SIDE`].
pub fn fit(w: u32, h: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= MAX_SIDE || long == 0 {
        return (w.max(1), h.max(1));
    }
    let scale = MAX_SIDE as f64 / long as f64;
    (
        ((w as f64 * scale).round() as u32).clamp(1, MAX_SIDE),
        ((h as f64 * scale).round() as u32).clamp(1, MAX_SIDE),
    )
}

/// A minimal JPEG (headers only: SOI, APP0, SOF0 of the given size, EOI) for tests.
#[doc(hidden)]
pub fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jpeg_and_png_sizes() {
        let j = jpeg_header(1600, 1200);
        assert_eq!(
            inspect(&j),
            Some(ImageInfo {
                mime: "image/jpeg",
                width: 1600,
                height: 1200
            })
        );
        let mut p = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        p.extend_from_slice(&640u32.to_be_bytes());
        p.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(
            inspect(&p).map(|i| (i.mime, i.width, i.height)),
            Some(("image/png", 640, 480))
        );
    }

    #[test]
    fn refuses_what_is_not_a_small_image() {
        assert_eq!(check(b"<svg onload=alert(1)>"), Err(PhotoError::NotImage));
        assert_eq!(check(&[0xFF, 0xD8, 0xFF]), Err(PhotoError::NotImage));
        assert_eq!(
            check(&jpeg_header(4000, 3000)),
            Err(PhotoError::TooManyPixels)
        );
        let mut big = jpeg_header(800, 600);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check(&big), Err(PhotoError::TooLarge));
        assert!(check(&jpeg_header(1600, 900)).is_ok());
    }

    #[test]
    fn fits_the_longest_side() {
        assert_eq!(fit(4000, 3000), (1600, 1200));
        assert_eq!(fit(3000, 4000), (1200, 1600));
        assert_eq!(fit(800, 600), (800, 600));
        assert_eq!(fit(10000, 10), (1600, 2));
    }
}
