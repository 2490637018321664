//! Raw ESC/POS for thermal receipt printers, and a strict reader of what we emit so
//! tests can check a printed file says what the layout says.
//!
//! Only a handful of commands that every ESC/POS printer since the Epson TM-T88
//! understands are used. Text is printable ASCII: code pages differ between
//! printers, so anything else is transliterated or becomes '?'.

use super::layout::{print_lines, Align, Emphasis};
use super::{Paper, ReceiptDoc};

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// ESC @: initialise, clearing whatever mode the last job left behind.
const INIT: [u8; 2] = [ESC, b'@'];
/// ESC t 0: code page PC437, which every printer has. We only send ASCII, but
/// a printer left on another page could map even that oddly on some models.
const CODE_PAGE_PC437: [u8; 3] = [ESC, b't', 0];
/// ESC d 4: print and feed four lines, so the cut falls below the footer.
const FEED: [u8; 3] = [ESC, b'd', 4];
/// GS V 66 0: feed to the cutter and cut, leaving a tab (partial cut).
const CUT: [u8; 4] = [GS, b'V', 66, 0];

/// GS ! n: bit 0x10 is double width, 0x01 double height.
const SIZE_NORMAL: u8 = 0x00;
const SIZE_DOUBLE_HEIGHT: u8 = 0x01;
const SIZE_DOUBLE: u8 = 0x11;

/// Why a byte stream is not a receipt as `encode` writes them.
#[derive(Debug, thiserror::Error)]
pub enum EscPosError {
    #[error(
        "the receipt does not start with ESC @ (initialise); a printer would keep \
         the previous job's modes, so encode receipts with receipt::encode"
    )]
    MissingInit,
    #[error(
        "the receipt does not end with GS V 66 0 (feed and cut); the paper would \
         not be cut, so encode receipts with receipt::encode"
    )]
    MissingCut,
    #[error(
        "unknown command {prefix} 0x{code:02X} at byte {offset}; the receipt reader \
         only knows the commands receipt::encode emits"
    )]
    UnknownCommand {
        prefix: &'static str,
        code: u8,
        offset: usize,
    },
    #[error("the command at byte {offset} is cut short: its arguments are missing")]
    Truncated { offset: usize },
    #[error(
        "byte 0x{byte:02X} at {offset} is not printable ASCII; text must be \
         transliterated before it is sent to a printer"
    )]
    NotPrintable { byte: u8, offset: usize },
    #[error(
        "text at the end of the receipt has no line feed after it, so the receipt \
         does not end with a whole line"
    )]
    UnterminatedLine,
}

/// The receipt as bytes for an ESC/POS printer on `paper`: the lines of `layout`,
/// with the header centred, the shop name large and the grand total bold.
pub fn encode(doc: &ReceiptDoc, paper: Paper) -> Vec<u8> {
    let mut out = Vec::with_capacity(2_048);
    out.extend_from_slice(&INIT);
    out.extend_from_slice(&CODE_PAGE_PC437);
    let mut align = None;
    for line in print_lines(doc, paper) {
        // Alignment only takes effect at the start of a line, so it is set before
        // the text, and only when it changes.
        if align != Some(line.align) {
            let code = match line.align {
                Align::Left => 0,
                Align::Center => 1,
            };
            out.extend_from_slice(&[ESC, b'a', code]);
            align = Some(line.align);
        }
        let size = match line.emphasis {
            Emphasis::Normal => None,
            Emphasis::Strong => Some(SIZE_DOUBLE_HEIGHT),
            Emphasis::Title => Some(SIZE_DOUBLE),
        };
        if let Some(size) = size {
            out.extend_from_slice(&[ESC, b'E', 1, GS, b'!', size]);
        }
        out.extend(line.text.chars().map(to_ascii));
        out.push(LF);
        // Reset after the line feed: the size applies to the line as it is printed.
        if size.is_some() {
            out.extend_from_slice(&[GS, b'!', SIZE_NORMAL, ESC, b'E', 0]);
        }
    }
    out.extend_from_slice(&FEED);
    out.extend_from_slice(&CUT);
    out
}

/// One printable ASCII byte for a character: accented Latin letters lose their
/// accent, a few typographic marks become their plain forms, the rest '?'. Always
/// one byte for one character, so column widths hold.
fn to_ascii(c: char) -> u8 {
    let plain = if c.is_ascii_graphic() || c == ' ' {
        c
    } else {
        transliterate(c)
    };
    // Both branches give ASCII; '?' is only a guard against a slip in the table.
    u8::try_from(plain).unwrap_or(b'?')
}

/// The plain letter or mark for a character outside printable ASCII, or '?'.
fn transliterate(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'ď' | 'đ' => 'd',
        'Ď' | 'Đ' => 'D',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'E',
        'ğ' => 'g',
        'Ğ' => 'G',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => 'I',
        'ł' => 'l',
        'Ł' => 'L',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => 'O',
        'ř' => 'r',
        'Ř' => 'R',
        'ś' | 'š' | 'ş' => 's',
        'Ś' | 'Š' | 'Ş' => 'S',
        'ť' | 'ţ' => 't',
        'Ť' | 'Ţ' => 'T',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        'ź' | 'ż' | 'ž' => 'z',
        'Ź' | 'Ż' | 'Ž' => 'Z',
        '‘' | '’' | '‚' | '′' => '\'',
        '“' | '”' | '„' | '″' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        '\u{a0}' | '\u{2007}' | '\u{202f}' => ' ',
        '×' => 'x',
        '·' | '•' => '*',
        _ => '?',
    }
}

/// The text lines a printer would print from `bytes`, checking on the way that the
/// stream is one `encode` could have written: initialised, cut, only our commands,
/// only printable ASCII.
pub fn printed_text(bytes: &[u8]) -> Result<Vec<String>, EscPosError> {
    if !bytes.starts_with(&INIT) {
        return Err(EscPosError::MissingInit);
    }
    let body = bytes.strip_suffix(&CUT).ok_or(EscPosError::MissingCut)?;
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut offset = 0;
    while let Some(&byte) = body.get(offset) {
        match byte {
            ESC => offset = skip_command(body, offset, "ESC")?,
            GS => offset = skip_command(body, offset, "GS")?,
            LF => {
                lines.push(std::mem::take(&mut current));
                offset += 1;
            }
            b' '..=b'~' => {
                current.push(char::from(byte));
                offset += 1;
            }
            _ => return Err(EscPosError::NotPrintable { byte, offset }),
        }
    }
    if !current.is_empty() {
        return Err(EscPosError::UnterminatedLine);
    }
    Ok(lines)
}

/// The offset just past the command starting at `offset`, or why it is not one of
/// ours. Each command's argument count is fixed, so this is a table, not a parser.
fn skip_command(body: &[u8], offset: usize, prefix: &'static str) -> Result<usize, EscPosError> {
    let truncated = EscPosError::Truncated { offset };
    let code = *body.get(offset + 1).ok_or(truncated)?;
    let arguments = match (prefix, code) {
        ("ESC", b'@') => 0,
        ("ESC", b't' | b'a' | b'E' | b'd') => 1,
        ("GS", b'!') => 1,
        // GS V m n: 65 is a full cut, 66 a partial one, after feeding n.
        ("GS", b'V') => match body.get(offset + 2) {
            Some(65 | 66) => 2,
            Some(&mode) => {
                return Err(EscPosError::UnknownCommand {
                    prefix: "GS V",
                    code: mode,
                    offset,
                })
            }
            None => return Err(EscPosError::Truncated { offset }),
        },
        _ => {
            return Err(EscPosError::UnknownCommand {
                prefix,
                code,
                offset,
            })
        }
    };
    let end = offset + 2 + arguments;
    if end > body.len() {
        return Err(EscPosError::Truncated { offset });
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::layout::tests::sample_doc;
    use super::super::layout::{layout, print_lines};
    use super::*;

    /// What the printer should print for a layout line: the printer does the
    /// centring, so centred lines travel without the layout's padding.
    fn expected_print(doc: &ReceiptDoc, paper: Paper) -> Vec<String> {
        let lines = layout(doc, paper);
        let styled = print_lines(doc, paper);
        assert_eq!(lines.len(), styled.len());
        lines
            .iter()
            .zip(&styled)
            .map(|(line, style)| {
                let text = match style.align {
                    Align::Left => line.as_str(),
                    Align::Center => line.trim_start(),
                };
                text.chars().map(|c| char::from(to_ascii(c))).collect()
            })
            .collect()
    }

    fn accented_doc() -> ReceiptDoc {
        let mut doc = sample_doc();
        doc.shop_name = "Café Niño".to_owned();
        doc.shop_address = "Zürich Straße 5".to_owned();
        doc.lines[0].name = "Crème brûlée — ₹ special".to_owned();
        doc.footer = "Merci, à bientôt!".to_owned();
        doc
    }

    #[test]
    fn round_trips_to_the_layout() {
        for doc in [sample_doc(), accented_doc()] {
            for paper in [Paper::Mm80, Paper::Mm58] {
                let printed = printed_text(&encode(&doc, paper)).expect("our own stream reads");
                assert_eq!(
                    printed,
                    expected_print(&doc, paper),
                    "{paper:?}: the paper must say what the screen says"
                );
            }
        }
    }

    #[test]
    fn starts_initialised_and_ends_cut() {
        let bytes = encode(&sample_doc(), Paper::Mm58);
        assert!(bytes.starts_with(&[ESC, b'@', ESC, b't', 0]));
        assert!(bytes.ends_with(&[ESC, b'd', 4, GS, b'V', 66, 0]));
    }

    #[test]
    fn shop_name_is_large_and_grand_total_bold() {
        let bytes = encode(&sample_doc(), Paper::Mm80);
        let title = [
            &[ESC, b'E', 1, GS, b'!', 0x11][..],
            b"Galla General Store\n",
            &[GS, b'!', 0, ESC, b'E', 0],
        ]
        .concat();
        assert!(contains(&bytes, &title), "shop name bold and double size");
        let grand = [&[ESC, b'E', 1, GS, b'!', 0x01][..], b"Grand total"].concat();
        assert!(contains(&bytes, &grand), "grand total bold and tall");
        assert!(contains(&bytes, &[ESC, b'a', 1]), "header centred");
        assert!(contains(&bytes, &[ESC, b'a', 0]), "body left");
    }

    #[test]
    fn non_ascii_is_sent_as_ascii() {
        let bytes = encode(&accented_doc(), Paper::Mm80);
        let printed = printed_text(&bytes).expect("our own stream reads");
        assert!(printed.contains(&"Cafe Nino".to_owned()));
        assert!(printed.contains(&"Zurich Stra?e 5".to_owned()));
        assert!(printed.contains(&"Creme brulee - ? special".to_owned()));
        assert!(printed.contains(&"Merci, a bientot!".to_owned()));
        assert!(bytes.iter().all(|byte| byte.is_ascii()));
    }

    #[test]
    fn rejects_a_stream_without_init() {
        let bytes = encode(&sample_doc(), Paper::Mm58);
        let result = printed_text(&bytes[INIT.len()..]);
        assert!(
            matches!(result, Err(EscPosError::MissingInit)),
            "{result:?}"
        );
    }

    #[test]
    fn rejects_a_stream_without_cut() {
        let bytes = encode(&sample_doc(), Paper::Mm58);
        let result = printed_text(&bytes[..bytes.len() - CUT.len()]);
        assert!(matches!(result, Err(EscPosError::MissingCut)), "{result:?}");
    }

    #[test]
    fn rejects_an_unknown_command() {
        let mut bytes = encode(&sample_doc(), Paper::Mm58);
        // ESC p: open the cash drawer, which a receipt must not do on its own.
        bytes.splice(5..5, [ESC, b'p', 0, 25, 250]);
        let result = printed_text(&bytes);
        assert!(
            matches!(
                result,
                Err(EscPosError::UnknownCommand {
                    prefix: "ESC",
                    code: b'p',
                    offset: 5
                })
            ),
            "{result:?}"
        );
        let mut bytes = encode(&sample_doc(), Paper::Mm58);
        bytes.splice(5..5, [GS, b'k', 0]);
        assert!(matches!(
            printed_text(&bytes),
            Err(EscPosError::UnknownCommand { prefix: "GS", .. })
        ));
    }

    #[test]
    fn rejects_non_ascii_and_loose_text() {
        let mut bytes = encode(&sample_doc(), Paper::Mm58);
        bytes.splice(5..5, "é\n".bytes());
        assert!(matches!(
            printed_text(&bytes),
            Err(EscPosError::NotPrintable {
                byte: 0xC3,
                offset: 5
            })
        ));
        let mut bytes = encode(&sample_doc(), Paper::Mm58);
        let before_feed = bytes.len() - CUT.len() - FEED.len();
        bytes.splice(before_feed..before_feed, *b"stray");
        assert!(matches!(
            printed_text(&bytes),
            Err(EscPosError::UnterminatedLine)
        ));
    }

    #[test]
    fn rejects_a_truncated_command() {
        // ESC a without its argument, then the cut.
        let bytes = [&INIT[..], &[ESC, b'a'], &CUT].concat();
        let result = printed_text(&bytes);
        assert!(
            matches!(result, Err(EscPosError::Truncated { offset: 2 })),
            "{result:?}"
        );
        // A lone ESC just before the cut.
        let bytes = [&INIT[..], &[ESC], &CUT].concat();
        let result = printed_text(&bytes);
        assert!(
            matches!(result, Err(EscPosError::Truncated { offset: 2 })),
            "{result:?}"
        );
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }
}
