//! Product pictures, without the store: is what the owner picked a picture Galla can
//! show, what is its content hash, and what does its thumbnail look like. Pure: bytes
//! in, bytes out; `store/images.rs` writes the files and the rows.
//!
//! The bytes come from any file on the owner's disk, so every limit is checked before
//! pixels are decoded: a 2 KB PNG may claim to be 100,000 × 100,000 pixels.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

const MIB: usize = 1024 * 1024;

/// The largest file accepted. Phone photos are 2–12 MB; anything bigger is a scan or
/// a camera RAW export that the storefront would not want either. The sync server
/// keeps pictures up to the same size.
pub const MAX_IMAGE_BYTES: usize = galla_sync_protocol::MAX_BLOB_BYTES;
/// At most 50 megapixels, so decoding stays within a few hundred MB on a shop PC.
pub const MAX_PIXELS: u64 = 50_000_000;
/// No side longer than this, whatever the pixel count.
pub const MAX_SIDE: u32 = 20_000;
/// What a decoder may allocate in all: 50 megapixels of 16-bit RGBA fit.
const MAX_DECODE_BYTES: u64 = 512 * MIB as u64;
/// Thumbnails fit in a square of this side.
pub const THUMBNAIL_SIDE: u32 = 256;
/// Small enough for a list of products, sharp enough at twice the size on HiDPI.
const THUMBNAIL_QUALITY: u8 = 80;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("That file is empty. Choose a picture.")]
    Empty,
    #[error(
        "That picture is {} MB; Galla takes pictures of up to {} MB. Save a smaller copy and try again.",
        bytes.div_ceil(MIB),
        MAX_IMAGE_BYTES / MIB
    )]
    TooLarge { bytes: usize },
    #[error("That file is not a picture Galla can read (JPEG, PNG or WebP).")]
    NotAPicture,
    #[error(
        "That picture is damaged or incomplete, so Galla cannot read it. Try saving it again."
    )]
    Damaged,
    #[error(
        "That picture has too many pixels: Galla takes up to {} megapixels and {MAX_SIDE} pixels on a side. Save a smaller copy and try again.",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels,
    #[error("Galla could not make a thumbnail of that picture ({0}). Try another picture.")]
    Thumbnail(String),
    #[error("That picture is not on this product (it may have been removed).")]
    NotOnProduct,
}

/// A picture's thumbnail and the picture's own size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// A baseline JPEG fitting in `THUMBNAIL_SIDE` × `THUMBNAIL_SIDE`.
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The picture's size as it is shown, that is after the camera's rotation.
    pub original_width: u32,
    pub original_height: u32,
}

/// The name a picture is stored under: SHA-256 of its bytes, 64 lowercase hex digits,
/// the same name sync gives its blob. The same picture picked twice, or on two
/// counters, gets the same name. `is_content_hash` is true for exactly what it makes;
/// anything else must never become part of a file path (hashes also arrive from the UI
/// and by sync).
pub use galla_sync_protocol::{blob_hash as content_hash, is_blob_hash as is_content_hash};

/// Checks that `bytes` are a JPEG, PNG or WebP within the limits and makes its
/// thumbnail. The format is read from the content; a file name can lie.
pub fn make_thumbnail(bytes: &[u8]) -> Result<Thumbnail, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { bytes: bytes.len() });
    }
    // The decoders are large third-party parsers fed with any file from the owner's
    // disk; should one of them have a bug that panics, that must cost the owner this
    // picture, not the till.
    std::panic::catch_unwind(|| decode_thumbnail(bytes)).unwrap_or(Err(ImageError::Damaged))
}

fn decode_thumbnail(bytes: &[u8]) -> Result<Thumbnail, ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageError::NotAPicture)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(ImageError::NotAPicture);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    // Only the header has been read here; the pixel count is checked before any pixel
    // buffer exists.
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged);
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS || decoder.total_bytes() > MAX_DECODE_BYTES
    {
        return Err(ImageError::TooManyPixels);
    }
    // A broken EXIF block should not cost the picture; it is shown unrotated.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let picture = DynamicImage::from_decoder(decoder).map_err(classify)?;

    let (thumb_width, thumb_height) = fit(width, height, THUMBNAIL_SIDE);
    let mut thumb = if (thumb_width, thumb_height) == (width, height) {
        picture
    } else {
        picture.thumbnail_exact(thumb_width, thumb_height)
    };
    // Rotating after scaling touches 256² pixels instead of the whole photo; the
    // bounding box is square, so the result is the same.
    thumb.apply_orientation(orientation);
    let (original_width, original_height) = if turns_sideways(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let rgb = flatten_on_white(&thumb);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, THUMBNAIL_QUALITY)
        .encode_image(&rgb)
        .map_err(|e| ImageError::Thumbnail(e.to_string()))?;
    Ok(Thumbnail {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
        original_width,
        original_height,
    })
}

fn classify(error: image::ImageError) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        image::ImageError::Unsupported(_) => ImageError::NotAPicture,
        _ => ImageError::Damaged,
    }
}

/// The largest size within `side` × `side` with the same aspect ratio, never larger
/// than the picture itself. Integer arithmetic, rounded to the nearest pixel.
fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    if width <= side && height <= side {
        return (width, height);
    }
    let scale = |short: u32, long: u32| {
        let (short, long) = (u64::from(short), u64::from(long));
        let scaled = (short * u64::from(side) + long / 2) / long;
        u32::try_from(scaled.max(1)).unwrap_or(side)
    };
    if width >= height {
        (side, scale(height, width))
    } else {
        (scale(width, height), side)
    }
}

fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// JPEG has no transparency. Dropping the alpha channel would show whatever colour the
/// transparent pixels happen to hold (often black), so they are laid on white, the
/// background product pictures are shown on.
fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u32::from(a);
        let over_white = |c: u8| {
            let c = (u32::from(c) * a + 255 * (255 - a) + 127) / 255;
            u8::try_from(c).unwrap_or(u8::MAX)
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use image::codecs::webp::WebPEncoder;
    use image::{ImageEncoder, Rgba, RgbaImage};
    use proptest::prelude::*;

    fn picture(width: u32, height: u32) -> RgbaImage {
        RgbaImage::from_fn(width, height, |x, y| {
            Rgba([(x * 7 % 256) as u8, (y * 13 % 256) as u8, 90, 255])
        })
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(picture(width, height))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&DynamicImage::ImageRgba8(picture(width, height)).to_rgb8())
            .unwrap();
        out
    }

    fn webp(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let image = picture(width, height);
        WebPEncoder::new_lossless(&mut out)
            .write_image(
                image.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgba8,
            )
            .unwrap();
        out
    }

    fn decoded(jpeg: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).unwrap()
    }

    #[test]
    fn hash_is_lowercase_sha256_hex() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_content_hash(&content_hash(b"")));
    }

    #[test]
    fn only_exact_hashes_pass() {
        let good = content_hash(b"x");
        assert!(is_content_hash(&good));
        assert!(!is_content_hash(&good.to_uppercase()));
        assert!(!is_content_hash(&good[1..]));
        assert!(!is_content_hash(&format!("{good}0")));
        assert!(!is_content_hash("../../etc/passwd"));
        assert!(!is_content_hash(&format!("../{}", &good[3..])));
        assert!(!is_content_hash(""));
        // 64 bytes, but not 64 hex digits.
        assert!(!is_content_hash(&"é".repeat(32)));
    }

    #[test]
    fn every_format_makes_a_thumbnail_within_the_square() {
        for (name, bytes) in [
            ("png", png(640, 480)),
            ("jpeg", jpeg(300, 1200)),
            ("webp", webp(512, 512)),
        ] {
            let thumb = make_thumbnail(&bytes).unwrap();
            assert!(thumb.width.max(thumb.height) == THUMBNAIL_SIDE, "{name}");
            let shown = decoded(&thumb.jpeg);
            let size = (shown.width(), shown.height());
            assert_eq!(size, (thumb.width, thumb.height), "{name}");
        }
        let thumb = make_thumbnail(&png(640, 480)).unwrap();
        assert_eq!((thumb.width, thumb.height), (256, 192));
        assert_eq!((thumb.original_width, thumb.original_height), (640, 480));
        let thumb = make_thumbnail(&jpeg(300, 1200)).unwrap();
        assert_eq!((thumb.width, thumb.height), (64, 256));
    }

    #[test]
    fn small_pictures_are_not_blown_up() {
        let thumb = make_thumbnail(&png(40, 30)).unwrap();
        assert_eq!((thumb.width, thumb.height), (40, 30));
    }

    #[test]
    fn a_thin_strip_keeps_at_least_one_pixel() {
        assert_eq!(fit(20_000, 10, 256), (256, 1));
        assert_eq!(fit(10, 20_000, 256), (1, 256));
        assert_eq!(fit(1000, 999, 256), (256, 256));
    }

    #[test]
    fn a_phone_photo_taken_upright_is_shown_upright() {
        // EXIF orientation 6: the sensor's landscape pixels are to be turned 90°.
        let exif = [
            b"MM\0*\0\0\0\x08\0\x01".as_slice(),
            b"\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0",
        ]
        .concat();
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 90);
        encoder.set_exif_metadata(exif).unwrap();
        encoder
            .encode_image(&DynamicImage::ImageRgba8(picture(600, 300)).to_rgb8())
            .unwrap();
        let thumb = make_thumbnail(&bytes).unwrap();
        assert_eq!((thumb.original_width, thumb.original_height), (300, 600));
        assert_eq!((thumb.width, thumb.height), (128, 256));
        let shown = decoded(&thumb.jpeg);
        assert_eq!((shown.width(), shown.height()), (128, 256));
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let clear = RgbaImage::from_pixel(8, 8, Rgba([0, 0, 0, 0]));
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(clear)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        let shown = decoded(&make_thumbnail(&bytes).unwrap().jpeg).to_rgb8();
        assert!(shown.pixels().all(|p| p.0.iter().all(|&c| c > 245)));
    }

    #[test]
    fn limits_come_before_decoding() {
        assert_eq!(make_thumbnail(&[]), Err(ImageError::Empty));
        assert_eq!(
            make_thumbnail(&vec![0; MAX_IMAGE_BYTES + 1]),
            Err(ImageError::TooLarge {
                bytes: MAX_IMAGE_BYTES + 1
            })
        );
        assert_eq!(
            make_thumbnail(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            Err(ImageError::NotAPicture)
        );
        assert!(ImageError::TooLarge { bytes: 21 * MIB }
            .to_string()
            .contains("21 MB"));
    }

    /// Real pictures of each format, to cut and damage.
    fn samples() -> Vec<Vec<u8>> {
        vec![png(37, 23), jpeg(41, 29), webp(19, 31)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        // These call the decoding step without `make_thumbnail`'s catch_unwind, so a
        // panic in a decoder shows up here instead of being hidden.

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = decode_thumbnail(&bytes);
        }

        #[test]
        fn random_bytes_behind_a_real_signature_never_panic(
            which in 0usize..3,
            tail in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let signature: &[u8] = match which {
                0 => b"\x89PNG\r\n\x1a\n",
                1 => b"\xff\xd8\xff\xe0",
                _ => b"RIFF\x00\x10\x00\x00WEBPVP8L",
            };
            let _ = decode_thumbnail(&[signature, &tail].concat());
        }

        #[test]
        fn cut_pictures_never_panic(which in 0usize..3, keep in any::<usize>()) {
            let full = &samples()[which];
            let _ = decode_thumbnail(&full[..keep % full.len()]);
        }

        #[test]
        fn damaged_pictures_never_panic(
            which in 0usize..3,
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        ) {
            let mut bytes = samples()[which].clone();
            let len = bytes.len();
            for (at, value) in flips {
                bytes[at % len] = value;
            }
            if let Ok(thumb) = decode_thumbnail(&bytes) {
                prop_assert!(thumb.width <= THUMBNAIL_SIDE && thumb.height <= THUMBNAIL_SIDE);
            }
        }
    }
}
