import YearbookCore

/// Every text that reaches an output is escaped for it: area names and
/// labels come from input files and may hold markup.
public enum Escape {
    public static func html(_ text: String) -> String {
        let text = visibleControls(text)
        // Most texts need nothing: checked on bytes first.
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Markdown: a backslash before each character Markdown gives a meaning to,
    /// and HTML's `<` `>` `&` as entities (Markdown passes raw HTML through).
    public static func markdown(_ text: String) -> String {
        let text = visibleControls(text)
        let special = markdownSpecial
        if !text.utf8.contains(where: { special[Int($0)] }) { return text }
        // Every special character is ASCII, so UTF-8 bytes can be rewritten one by one.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case 0x0A, 0x0D: out.append(UInt8(ascii: " "))
            case _ where markdownSpecial[Int(byte)]:
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A CSV cell meant for people, made inert as OWASP recommends: a cell that begins with
    /// `=`, `+`, `-`, `@`, tab or CR (which spreadsheets run as a formula) gets a leading `'`;
    /// bidirectional and zero-width characters are shown as `<U+202E>`. Not for figures
    /// (a negative value stays as it is): data files keep their numbers.
    public static func csvText(_ text: String) -> String {
        let visible = visibleControls(text)
        guard let first = visible.utf8.first, SpreadsheetText.formulaStarts.contains(first) else { return visible }
        return "'" + visible
    }

    /// Bidirectional controls (which reorder what follows, e.g. the digits of a figure) and
    /// zero-width characters (which hide), written as visible text: `<U+202E>`.
    public static func visibleControls(_ text: String) -> String {
        // Each of them is E2 80/81 xx or EF BB BF in UTF-8: looked for in the bytes (Chinese punctuation
        // such as `，` begins with EF too, so the lead byte alone says little).
        if text.utf8.withContiguousStorageIfAvailable(holdsHidingControl) == false { return text }
        guard text.unicodeScalars.contains(where: isHidingControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isHidingControl(scalar) {
                result += "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether valid UTF-8 holds a scalar `isHidingControl` takes: U+200B–U+200F (E2 80 8B–8F),
    /// U+202A–U+202E (E2 80 AA–AE), U+2060 (E2 81 A0), U+2066–U+2069 (E2 81 A6–A9), U+FEFF (EF BB BF).
    private static func holdsHidingControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index + 2 < bytes.count {
            let lead = bytes[index]
            if lead == 0xE2 {
                let second = bytes[index + 1], third = bytes[index + 2]
                if second == 0x80 && ((0x8B...0x8F).contains(third) || (0xAA...0xAE).contains(third)) { return true }
                if second == 0x81 && (third == 0xA0 || (0xA6...0xA9).contains(third)) { return true }
            } else if lead == 0xEF && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF {
                return true
            }
            index += 1
        }
        return false
    }

    private static func isHidingControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// Bytes that `markdown` escapes or replaces.
    private static let markdownSpecial: [Bool] = (0..<256).map { byte in
        Array("\\`*_[]|~<>&\n\r".utf8).contains(UInt8(byte))
    }
}
