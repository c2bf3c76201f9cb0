/// Every text that reaches an output is escaped for it: area names and
/// labels come from input files and may hold markup.
public enum Escape {
    public static func html(_ text: String) -> String {
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
        var result = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "~":
                result.append("\\")
                result.append(character)
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\n", "\r": result.append(" ")
            default: result.append(character)
            }
        }
        return result
    }
}
