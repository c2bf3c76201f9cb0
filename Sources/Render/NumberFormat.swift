import YearbookCore

/// Figures formatted for reading: thousands separators, the indicator's
/// decimals, rounded half away from zero once, from the exact value.
public enum NumberFormat {
    /// `28132` → `28,132`; `1234.5` at 2 decimals → `1,234.50`.
    public static func grouped(_ value: Exact, decimals: Int) -> String {
        let plain = value.formatted(decimals: decimals)
        var integer = Substring(plain)
        var sign = ""
        if integer.hasPrefix("-") {
            sign = "-"
            integer = integer.dropFirst()
        }
        var fraction = ""
        if let point = integer.firstIndex(of: ".") {
            fraction = String(integer[point...])
            integer = integer[..<point]
        }
        var groups: [Substring] = []
        var end = integer.endIndex
        while end > integer.startIndex {
            let start = integer.index(end, offsetBy: -3, limitedBy: integer.startIndex) ?? integer.startIndex
            groups.insert(integer[start..<end], at: 0)
            end = start
        }
        if sign == "-", groups.allSatisfy({ $0.allSatisfy { $0 == "0" } }), fraction.allSatisfy({ $0 == "0" || $0 == "." }) {
            sign = ""
        }
        return sign + groups.joined(separator: ",") + fraction
    }

    /// A value in a larger unit, up to `decimals` decimals with trailing zeros dropped:
    /// 102000 in 万 → `10.2`, 348000000 in 亿 → `3.48`.
    public static func scaled(_ value: Exact, power: Int, decimals: Int = 2) -> String {
        var text = grouped(value.timesPowerOfTen(-power), decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// The same figure in English scales, for the English text of a headline: the value is rounded
    /// as the Chinese `scaled(value, power:, decimals:)` rounds it, then written in thousand, million
    /// or billion as its size needs, exactly (10.2万 → `102 thousand`, 1,265万 → `12.65 million`).
    public static func englishScaled(_ value: Exact, power: Int, decimals: Int = 2) -> String {
        let precision = power - decimals
        let rounded = value.timesPowerOfTen(-power).rounded(decimals: decimals).timesPowerOfTen(power)
        let magnitude = rounded.magnitude
        let (english, word) = magnitude >= Exact(1_000_000_000) ? (9, " billion")
            : magnitude >= Exact(1_000_000) ? (6, " million") : magnitude >= Exact(1_000) ? (3, " thousand") : (0, "")
        return scaled(rounded, power: english, decimals: max(0, english - precision)) + word
    }

    /// An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th.
    public static func ordinal(_ number: Int) -> String {
        let lastTwo = abs(number) % 100, last = abs(number) % 10
        let suffix = (11...13).contains(lastTwo) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th"
        return "\(number)\(suffix)"
    }

    /// A rank in English words: `5th`, or `1st of 1` where it ranks among one.
    public static func englishRank(_ rank: Int, among: Int) -> String {
        among == 1 ? "\(ordinal(rank)) of 1" : ordinal(rank)
    }

    /// Year-over-year change: `+2.9%`, `-0.4%`, or points `+1.2 pp` for indicators in %.
    public static func change(_ change: Exact?, inPoints: Bool) -> String {
        guard let change else { return noData }
        let text = grouped(change, decimals: 1)
        let signed = text.hasPrefix("-") ? "−" + text.dropFirst() : (text == "0.0" ? text : "+" + text)
        return inPoints ? signed + " pp" : signed + "%"
    }

    /// Marks that each mean one thing (the contract fixes none): `–` no data,
    /// `=` rank unchanged, `1/1` the only area ranked (a rank among one ranks nothing).
    public static let noData = "–"
    public static let rankUnchanged = "="
    public static let onlyRanked = "1/1"
    /// A figure withheld from release (a small cell, or one that would reveal it): `*`, never `–` (no data),
    /// and not `…`, which Chinese yearbooks read as a figure below the table's smallest unit.
    public static let withheld = "*"

    /// A rank as published: `3`, or `1/1` when it ranks among one.
    public static func rank(_ rank: Int, among: Int) -> String {
        among == 1 ? onlyRanked : String(rank)
    }

    /// Rank move: ↑7, ↓2, = (no change) or new (no rank last year).
    public static func move(_ change: Int?) -> String {
        guard let change else { return "new" }
        if change > 0 { return "↑\(change)" }
        if change < 0 { return "↓\(-change)" }
        return rankUnchanged
    }
}
