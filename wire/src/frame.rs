//! The bytes of a pull answer: the team log's blobs after a position, each framed as
//! `position: u64 BE | length: u32 BE | blob`. The relay writes them; devices read them.

use crate::envelope;

/// What the relay answers, with 403, to a device whose token was revoked; the device then knows it
/// was removed from its team (it cannot read the roster statement that says so any more).
pub const REVOKED_DEVICE: &str = "this device was revoked";

/// Frames blobs with their positions.
pub fn encode(blobs: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(blobs.iter().map(|(_, b)| 12 + b.len()).sum());
    for (position, blob) in blobs {
        out.extend_from_slice(&position.to_be_bytes());
        out.extend_from_slice(&u32::try_from(blob.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(blob);
    }
    out
}

/// Why a pull answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("the answer was cut in the middle of a blob (at byte {0})")]
    Truncated(usize),
    #[error("a blob announces {0} bytes, more than a blob may hold")]
    TooLarge(usize),
    #[error("positions do not increase (position {0} after {1})")]
    OutOfOrder(u64, u64),
}

/// Reads a pull answer.
///
/// # Errors
/// [`FrameError`]: nothing is returned of an answer that does not read whole.
pub fn decode(bytes: &[u8]) -> Result<Vec<(u64, Vec<u8>)>, FrameError> {
    let max = envelope::MAX_PLAINTEXT + 1024;
    let mut out: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let head = bytes.get(at..at + 12).ok_or(FrameError::Truncated(at))?;
        let mut position = [0u8; 8];
        position.copy_from_slice(&head[..8]);
        let position = u64::from_be_bytes(position);
        let mut length = [0u8; 4];
        length.copy_from_slice(&head[8..]);
        let length = u32::from_be_bytes(length) as usize;
        if length > max {
            return Err(FrameError::TooLarge(length));
        }
        if let Some((last, _)) = out.last()
            && position <= *last
        {
            return Err(FrameError::OutOfOrder(position, *last));
        }
        let blob = bytes
            .get(at + 12..at + 12 + length)
            .ok_or(FrameError::Truncated(at))?;
        out.push((position, blob.to_vec()));
        at += 12 + length;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn frames_read_back_and_broken_ones_are_refused() {
        let blobs = vec![(1, b"one".to_vec()), (4, Vec::new()), (9, vec![7; 300])];
        let bytes = encode(&blobs);
        assert_eq!(decode(&bytes), Ok(blobs));
        assert_eq!(decode(&[]), Ok(Vec::new()));
        assert_eq!(
            decode(&bytes[..bytes.len() - 1]),
            Err(FrameError::Truncated(27))
        );
        let backwards = encode(&[(5, vec![1]), (5, vec![2])]);
        assert_eq!(decode(&backwards), Err(FrameError::OutOfOrder(5, 5)));
        let mut huge = 1u64.to_be_bytes().to_vec();
        huge.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(decode(&huge), Err(FrameError::TooLarge(_))));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn any_frames_read_back(blobs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..8)) {
            let framed: Vec<(u64, Vec<u8>)> = (1u64..).zip(blobs).collect();
            prop_assert_eq!(decode(&encode(&framed)), Ok(framed));
        }
    }
}
