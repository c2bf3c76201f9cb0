import Aggregate
import YearbookCore

extension Edition {
    /// Fills a headline's placeholders with the subject's figures of the year:
    /// `{EXPR}`, `{EXPR|千}`, `{EXPR|万}`, `{EXPR|亿}` (`{EXPR|万|1}`: at most 1 decimal),
    /// `{rank:CODE}`, `{move:CODE}`. In the English text a scaled figure is written in English
    /// scales (`{EXPR|万|1}` of 102,000 reads `102 thousand`) and a rank as an ordinal (`5th`).
    /// A figure the data lacks reads `–`: a headline never invents a number. One that reads a withheld
    /// figure (an operand, or the rank or move of one) reads `*`: a headline never discloses one either.
    func fill(_ template: String, english: Bool) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            result += placeholder(String(rest[rest.index(after: open)..<close]), english: english)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    func placeholder(_ text: String, english: Bool) -> String {
        let parts = text.split(separator: "|", maxSplits: 2).map { String($0).trimmingSpaces }
        let expression = parts[0]
        if expression.hasPrefix("rank:") || expression.hasPrefix("move:") {
            let code = String(expression.dropFirst(5)).trimmingSpaces
            if confidentiality(ObservationKey(area: subject, indicator: code, period: year)) != nil { return NumberFormat.withheld }
            if expression.hasPrefix("move:"), previousConfidentiality(area: subject, indicator: code) != nil { return NumberFormat.withheld }
            guard let row = publishedRankings.first(where: { $0.indicator == code && $0.area == subject }) else { return "–" }
            if expression.hasPrefix("rank:") {
                return english ? NumberFormat.englishRank(row.rank, among: row.rankedAmong) : NumberFormat.rank(row.rank, among: row.rankedAmong)
            }
            guard let change = row.rankChange else { return english ? "new in the ranking" : "上年无排名" }
            if change > 0 { return english ? "up \(change) place\(change == 1 ? "" : "s")" : "上升\(change)位" }
            if change < 0 { return english ? "down \(-change) place\(change == -1 ? "" : "s")" : "下降\(-change)位" }
            return english ? "unchanged" : "持平"
        }
        guard let formula = try? Formula.parse(expression), let first = formula.operands.first,
              let indicator = indicators.first(where: { $0.code == first }) else { return "{\(text)}" }
        if formula.operands.contains(where: { confidentiality(ObservationKey(area: subject, indicator: $0, period: year)) != nil }) {
            return NumberFormat.withheld
        }
        guard let value = formula.evaluate({ code in
            observations[ObservationKey(area: subject, indicator: code, period: year)]?.usableValue
        }) else { return "–" }
        let decimals = parts.count > 2 ? Int(parts[2]) ?? 2 : 2
        guard parts.count > 1, let power = HeadlineCheck.scales[parts[1]] else {
            return NumberFormat.grouped(value, decimals: indicator.decimals)
        }
        return english ? NumberFormat.englishScaled(value, power: power, decimals: decimals)
            : NumberFormat.scaled(value, power: power, decimals: decimals)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = self[...]
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
