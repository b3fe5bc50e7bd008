//! Tiny but well-formed media samples for scenarios that send media: an image of each common
//! format, sounds, and a video container. Each is the smallest file its format's readers
//! accept, so a refusal is about the type or the size a scenario chose, never a broken file.
//! MS-OMS lists GIF, JPEG, MIDI and AMR among its MMS types (2.2.4.3) and not MP4.

/// A 1x1 GIF89a.
pub const GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// A 1x1 grey baseline JPEG: one quantisation table, one-code Huffman tables, one block.
pub fn jpeg() -> Vec<u8> {
    let mut v = vec![0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00];
    v.extend([1u8; 64]);
    v.extend([
        0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
    ]);
    for class in [0x00u8, 0x10] {
        v.extend([0xff, 0xc4, 0x00, 0x14, class, 0x01]);
        v.extend([0u8; 15]);
        v.push(0x00);
    }
    v.extend([
        0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f, 0xff, 0xd9,
    ]);
    v
}

/// A format-0 standard MIDI file with one empty track.
pub const MIDI: &[u8] = &[
    0x4d, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x60, 0x4d, 0x54,
    0x72, 0x6b, 0x00, 0x00, 0x00, 0x04, 0x00, 0xff, 0x2f, 0x00,
];

/// An AMR-NB file (RFC 4867 storage format) with one NO_DATA frame.
pub const AMR: &[u8] = b"#!AMR\n\x7c";

/// An MP4 file type box: a video container MS-OMS does not list.
pub const MP4: &[u8] = &[
    0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0x00, 0x00, 0x02, 0x00,
    0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31,
];

/// A GIF of at least `size` bytes: the 1x1 image padded with comment extension blocks
/// before its trailer, so it stays a valid GIF89a.
pub fn gif_of_size(size: usize) -> Vec<u8> {
    let (image, trailer) = GIF.split_at(GIF.len() - 1);
    let mut v = image.to_vec();
    v.extend([0x21, 0xfe]);
    while v.len() + 2 < size {
        let n = (size - v.len() - 2).clamp(1, 255);
        v.push(n as u8);
        v.extend(std::iter::repeat_n(b'x', n));
    }
    v.push(0x00);
    v.extend(trailer);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(10)]
    #[case(300)]
    #[case(30_001)]
    fn padded_gifs_are_gifs_of_at_least_the_size(#[case] size: usize) {
        let gif = gif_of_size(size);
        assert!(gif.len() >= size && gif.len() < size + 260, "{}", gif.len());
        assert!(gif.starts_with(b"GIF89a"));
        assert_eq!(gif.last(), Some(&0x3b));
    }

    #[test]
    fn media_samples_carry_their_signatures() {
        let jpeg = jpeg();
        assert!(jpeg.starts_with(&[0xff, 0xd8]) && jpeg.ends_with(&[0xff, 0xd9]));
        assert!(MIDI.starts_with(b"MThd"));
        assert!(AMR.starts_with(b"#!AMR\n"));
        assert_eq!(&MP4[4..8], b"ftyp");
    }
}
