//! Making untrusted text (affiliations, names from the internet) safe to show
//! on a terminal: control characters, bidi overrides and zero-width characters
//! are replaced by visible escapes.

/// Replaces characters that could move the cursor, recolour the terminal or
/// reorder text with `\u{..}` escapes.
pub fn for_terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bad = c.is_control()
            || matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF);
        if bad {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_are_neutralised() {
        assert_eq!(for_terminal("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(for_terminal("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(for_terminal("哈尔滨"), "哈尔滨");
    }
}

/// True for characters that reorder or hide text (bidi controls, zero-width
/// characters, BOM): shown as visible escapes in reports so a reviewer sees them.
pub fn is_invisible_control(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF)
}

/// Replaces [`is_invisible_control`] characters with `\u{..}` escapes.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_invisible_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_invisible_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Neutralises spreadsheet formula injection: a cell starting with `=`, `+`,
/// `-`, `@`, tab or CR gets a leading apostrophe (OWASP's recommendation).
/// Bidi and zero-width characters are made visible too.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let s = visible(s);
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => std::borrow::Cow::Owned(format!("'{s}")),
        _ => s,
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("Harbin"), "Harbin");
        assert_eq!(csv_cell("a\u{202e}b\u{200b}"), "a\\u{202e}b\\u{200b}");
        assert_eq!(csv_cell("-1"), "'-1");
    }
}
