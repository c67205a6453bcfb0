//! What travels between Proxi's laptops and its relay, and nothing else: the sealed blob (its
//! routing header in clear, the rest encrypted and signed), the frame a pull answers with, and the
//! invitation code with the proof the relay checks. Both the core and the relay use it, so that the
//! relay, which must never read health data, does not link the store, the search index, the PDF
//! maker or automerge.

pub mod envelope;
pub mod frame;
pub mod invitation;
