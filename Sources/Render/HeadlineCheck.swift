import YearbookCore

/// What in a headline cannot print right, found before anything is built:
/// the placeholders `fill` reads, checked against the indicators.
public enum HeadlineCheck {
    /// The scales a figure can be printed in, by the word that follows it in Chinese.
    public static let scales: [String: Int] = ["千": 3, "万": 4, "亿": 8]
    public static let functions = ["rank", "move"]
    /// Scale words an English text must not write after a figure: the figure brings its own.
    static let englishScaleWords = ["ten-thousand", "ten thousand", "hundred-million", "hundred million",
                                    "thousand", "million", "billion", "10k", "千", "万", "亿"]

    /// One mistake, at `offset` Unicode scalars from the start of the headline.
    public struct Finding: Equatable, Sendable {
        public var offset: Int
        public var message: String
    }

    /// Every mistake of `template`. `chinese`: the text after a figure says its scale (万人, 亿元);
    /// otherwise (English) the figure says its own scale (`102 thousand`) and the text after it must not.
    public static func check(_ template: String, indicators: [String: Indicator], chinese: Bool) -> [Finding] {
        var findings: [Finding] = []
        let scalars = Array(template.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "}" {
                findings.append(Finding(offset: index, message: "'}' without a '{' before it"))
                index += 1
                continue
            }
            guard scalars[index] == "{" else { index += 1; continue }
            let open = index
            var close = open + 1
            while close < scalars.count, scalars[close] != "}", scalars[close] != "{" { close += 1 }
            guard close < scalars.count, scalars[close] == "}" else {
                let shown = String(String.UnicodeScalarView(scalars[open..<min(close, open + 24)]))
                findings.append(Finding(offset: open, message: "unclosed placeholder '\(shown)': no '}' after its '{'"))
                index = close
                continue
            }
            let text = String(String.UnicodeScalarView(scalars[(open + 1)..<close]))
            let after = close + 1 < scalars.count ? String(scalars[close + 1]) : ""
            for message in placeholderProblems(text, following: chinese ? after : nil, indicators: indicators) {
                findings.append(Finding(offset: open, message: "{\(text)}: \(message)"))
            }
            if !chinese, let message = englishScaleProblem(text, rest: String(String.UnicodeScalarView(scalars[(close + 1)...]))) {
                findings.append(Finding(offset: open, message: "{\(text)}: \(message)"))
            }
            index = close + 1
        }
        return findings
    }

    /// In English a scaled figure is written with its scale word (`{X|万}` of 102,000 reads `102 thousand`):
    /// a scale word after the placeholder would say it twice, or wrongly.
    static func englishScaleProblem(_ text: String, rest: String) -> String? {
        guard !text.contains(":") else { return nil }
        let after = rest.drop(while: { $0 == " " }).lowercased()
        guard let word = englishScaleWords.first(where: { after.hasPrefix($0) }) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        if parts.count > 1 {
            return "in English the figure is written in thousand, million or billion as its size needs (10.2万 reads \"102 thousand\"): remove '\(word)' after it"
        }
        return "the text after the figure says '\(word)' but the figure is printed whole; write {\(parts[0])|万} and remove '\(word)': in English it reads in thousand, million or billion as its size needs"
    }

    /// `next`: the character printed after the figure, when the text names scales with it.
    static func placeholderProblems(_ text: String, following next: String?, indicators: [String: Indicator]) -> [String] {
        func unknown(_ code: String) -> String {
            "unknown indicator '\(code)'\(Spelling.suggestion(for: code, in: indicators.keys.sorted()))"
        }
        if let colon = text.firstIndex(of: ":") {
            let function = String(text[..<colon]).trimmingSpaces
            let code = String(text[text.index(after: colon)...]).trimmingSpaces
            guard functions.contains(function) else {
                return ["unknown function '\(function):'\(Spelling.suggestion(for: function, in: functions)) (known: rank:, move:)"]
            }
            guard let indicator = indicators[code] else { return [unknown(code)] }
            if indicator.rank == nil { return ["\(code) is not ranked (indicators.csv gives it no rank order)"] }
            return []
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard parts.count <= 3 else { return ["a placeholder is {EXPR}, {EXPR|SCALE} or {EXPR|SCALE|DECIMALS}"] }
        let operands = parts[0].split(separator: "+", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !operands.contains(where: { $0.isEmpty || !$0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            return ["'\(parts[0])' is not an indicator or a sum of indicators"]
        }
        var problems: [String] = []
        let found = operands.compactMap { code in
            let indicator = indicators[code]
            if indicator == nil { problems.append(unknown(code)) }
            return indicator
        }
        guard problems.isEmpty else { return problems }
        if found.count > 1 {
            if let ratio = found.first(where: { !$0.additive }) {
                problems.append("\(ratio.code) (\(ratio.unit)) is not additive: it cannot be summed")
            } else if Set(found.map(\.unit)).count > 1 {
                problems.append("adds \(found.map { "\($0.code) (\($0.unit))" }.joined(separator: " and ")): a sum needs one unit")
            }
        }
        let scale = parts.count > 1 ? parts[1] : nil
        if let scale {
            if scales[scale] == nil {
                problems.append("unknown scale '\(scale)' (known: 千 10³, 万 10⁴, 亿 10⁸)")
            } else if let ratio = found.first(where: { !$0.additive }) {
                problems.append("the scale \(scale) does not fit \(ratio.code), a figure in \(ratio.unit)")
            }
        }
        if parts.count > 2, !(Int(parts[2]).map { (0...6).contains($0) } ?? false) {
            problems.append("decimals '\(parts[2])' is not 0 to 6")
        }
        if let next, let printed = scale, let power = scales[printed], let said = scales[next], said != power {
            problems.append("the figure is printed in \(printed) (10^\(power)) but the text after it says \(next) (10^\(said))")
        } else if let next, scale == nil, let said = scales[next] {
            problems.append("the text after the figure says \(next) (10^\(said)) but the figure is printed whole; write {\(parts[0])|\(next)}")
        } else if let next, let printed = scale, scales[printed] != nil, scales[next] == nil {
            problems.append("the figure is printed in \(printed) but the text after it does not say \(printed)")
        }
        return problems
    }
}
