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

/// True for characters that reorder, hide or break text: control characters
/// (NUL, ESC, line feeds, C1), line and paragraph separators (U+2028/2029),
/// bidi marks and overrides (U+061C, U+200E/F, U+202A-E, U+2066-9), zero-width
/// and invisible characters (U+180E, U+200B-D, U+2060-4, BOM): shown as
/// visible escapes in report cells so a reviewer sees them.
pub fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c as u32,
            0x061C | 0x180E | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF
        )
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

    #[test]
    fn issue_21_control_characters_are_neutralised_in_cells() {
        for (raw, want) in [
            ("a\0b", "a\\u{0}b"),
            ("\x1b[31mred", "\\u{1b}[31mred"),
            ("x\u{2028}y\u{2029}z", "x\\u{2028}y\\u{2029}z"),
            ("\u{61c}a\u{2060}b", "\\u{61c}a\\u{2060}b"),
            ("\n=cmd", "\\u{a}=cmd"),
        ] {
            assert_eq!(csv_cell(raw), want, "{raw:?}");
            assert!(!csv_cell(raw).chars().any(is_invisible_control));
        }
    }
}

/// Removes the `user:password@` part of every URL in `s`
/// (`http://user:secret@host/x` -> `http://host/x`): base URLs may carry
/// credentials, and nothing printed or stored may show them.
pub fn strip_credentials(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("://") || !s.contains('@') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => out.push_str(&authority[at + 1..]),
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod credential_tests {
    use super::strip_credentials;

    #[test]
    fn issue_21_credentials_in_urls_are_stripped() {
        assert_eq!(
            strip_credentials("OpenAlex http://user:secret@127.0.0.1:9/x?y=1 and https://a@b.org"),
            "OpenAlex http://127.0.0.1:9/x?y=1 and https://b.org"
        );
        assert_eq!(strip_credentials("mail me@x.org"), "mail me@x.org");
        assert_eq!(
            strip_credentials("giving up on http://u:p%40ss@h/works?filter=a:b"),
            "giving up on http://h/works?filter=a:b"
        );
    }
}
