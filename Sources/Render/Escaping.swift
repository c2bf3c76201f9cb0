/// Every text that reaches an output is escaped for it: area names and
/// labels come from input files and may hold markup.
public enum Escape {
    public static func html(_ text: String) -> String {
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
        if !text.utf8.contains(where: { markdownSpecial[Int($0)] }) { return text }
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

    /// Bytes that `markdown` escapes or replaces.
    private static let markdownSpecial: [Bool] = (0..<256).map { byte in
        Array("\\`*_[]|~<>&\n\r".utf8).contains(UInt8(byte))
    }
}
