//! Lenient PEM reading and canonical PEM writing.
//!
//! Keys arrive pasted from a web page, so reading forgives CRLF line ends, indentation, a key
//! flattened onto one line, and `\n` escapes left over from JSON. Writing produces exactly what the
//! CoSync server produces: 64-column body, `\n` line ends, no trailing newline.

use base64ct::{Base64, Encoding};

/// The decoded body of one `-----BEGIN LABEL-----` … `-----END LABEL-----` block.
#[derive(Debug)]
pub(crate) struct PemBlock {
    pub(crate) der: Vec<u8>,
}

/// Why a PEM block could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PemProblem {
    /// A BEGIN line without a matching END line.
    MissingEnd,
    /// `-----BEGIN X-----` closed by `-----END Y-----`.
    LabelMismatch,
    /// Nothing between BEGIN and END.
    EmptyBody,
    /// `Proc-Type:`-style headers, which only encrypted private keys carry.
    Headers,
    /// The body is not valid standard base64.
    Base64,
    /// More than one BEGIN block.
    SeveralBlocks,
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// Finds the first PEM block in `text`. Returns `None` if there is no BEGIN marker at all.
pub(crate) fn find_block(text: &str) -> Option<Result<PemBlock, PemProblem>> {
    let begin = text.find(BEGIN)?;
    Some(read_block(text, begin))
}

/// The label of the first BEGIN line, if any (used to recognise private keys before decoding).
pub(crate) fn first_label(text: &str) -> Option<&str> {
    let begin = text.find(BEGIN)?;
    let after = &text[begin + BEGIN.len()..];
    let close = after.find(DASHES)?;
    Some(after[..close].trim())
}

fn read_block(text: &str, begin: usize) -> Result<PemBlock, PemProblem> {
    let after_begin = &text[begin + BEGIN.len()..];
    let label_end = after_begin.find(DASHES).ok_or(PemProblem::MissingEnd)?;
    let label = after_begin[..label_end].trim();
    let body_and_rest = &after_begin[label_end + DASHES.len()..];
    let end = body_and_rest.find(END).ok_or(PemProblem::MissingEnd)?;
    let body = &body_and_rest[..end];
    let after_end = &body_and_rest[end + END.len()..];
    let end_label_end = after_end.find(DASHES).ok_or(PemProblem::MissingEnd)?;
    if after_end[..end_label_end].trim() != label {
        return Err(PemProblem::LabelMismatch);
    }
    if after_end[end_label_end..].contains(BEGIN) {
        return Err(PemProblem::SeveralBlocks);
    }
    if body.contains(':') {
        return Err(PemProblem::Headers);
    }
    let compact = compact_base64(body);
    if compact.is_empty() {
        return Err(PemProblem::EmptyBody);
    }
    let der = Base64::decode_vec(&compact).map_err(|_| PemProblem::Base64)?;
    Ok(PemBlock { der })
}

/// Removes whitespace and literal `\n`, `\r`, `\t` escapes (a PEM copied out of JSON).
pub(crate) fn compact_base64(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '\\' && matches!(chars.peek(), Some('n' | 'r' | 't')) {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Canonical PEM: 64-column base64 body, `\n` line ends, no trailing newline.
pub(crate) fn write(label: &str, der: &[u8]) -> String {
    let body = Base64::encode_string(der);
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 32);
    out.push_str(BEGIN);
    out.push_str(label);
    out.push_str(DASHES);
    for line in body.as_bytes().chunks(64) {
        out.push('\n');
        // Base64 output is ASCII, so any byte boundary is a char boundary.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
    }
    out.push('\n');
    out.push_str(END);
    out.push_str(label);
    out.push_str(DASHES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_back() {
        let der: Vec<u8> = (0..=200).collect();
        let pem = write("PUBLIC KEY", &der);
        assert!(!pem.ends_with('\n'));
        assert!(pem.lines().skip(1).all(|l| l.len() <= 64));
        let block = find_block(&pem).unwrap().unwrap();
        assert_eq!(first_label(&pem), Some("PUBLIC KEY"));
        assert_eq!(block.der, der);
    }

    #[test]
    fn forgives_crlf_indentation_one_line_and_escapes() {
        let der: Vec<u8> = (0..=120).collect();
        let pem = write("PUBLIC KEY", &der);
        let crlf = pem.replace('\n', "\r\n");
        let indented = pem.replace('\n', "\n    ");
        let one_line = pem.replace('\n', " ");
        let escaped = pem.replace('\n', "\\n");
        for variant in [crlf, indented, one_line, escaped] {
            let block = find_block(&variant).unwrap().unwrap();
            assert_eq!(block.der, der, "{variant:?}");
        }
    }

    #[test]
    fn reports_what_is_wrong() {
        let pem = write("PUBLIC KEY", &[1, 2, 3, 4, 5, 6]);
        let truncated = &pem[..pem.len() - 10];
        assert_eq!(
            find_block(truncated).unwrap().unwrap_err(),
            PemProblem::MissingEnd
        );
        let mismatch = pem.replace("END PUBLIC", "END RSA PUBLIC");
        assert_eq!(
            find_block(&mismatch).unwrap().unwrap_err(),
            PemProblem::LabelMismatch
        );
        let twice = format!("{pem}\n{pem}");
        assert_eq!(
            find_block(&twice).unwrap().unwrap_err(),
            PemProblem::SeveralBlocks
        );
        let bad = pem.replace("AQID", "A*ID");
        assert_eq!(find_block(&bad).unwrap().unwrap_err(), PemProblem::Base64);
        assert!(find_block("no pem here").is_none());
    }
}
