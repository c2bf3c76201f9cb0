/// Names beside codes in messages (`株洲市 430200`, `城市低保对象 DIBAO_PERSONS_U`):
/// a statistician reads the name, a tool greps the code.
public enum Language: Sendable {
    case zh, en
}

extension AreaRegistry {
    /// The area's name and code; the code alone for one the registry does not hold.
    public func label(_ code: String, _ language: Language) -> String {
        guard let area = self[code] else { return code }
        return "\(language == .zh ? area.nameZH : area.nameEN) \(code)"
    }
}

extension Indicator {
    public func label(_ language: Language) -> String {
        "\(language == .zh ? nameZH : nameEN) \(code)"
    }
}

/// Indicator labels by code, for stages that hold codes.
public struct IndicatorNames: Sendable {
    private let indicators: [String: Indicator]

    public init(_ indicators: [Indicator]) {
        self.indicators = Dictionary(indicators.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func label(_ code: String, _ language: Language) -> String {
        indicators[code]?.label(language) ?? code
    }
}

/// Years as a statistician says them: "2018", "2018 and 2019" / "2018、2019年".
public func yearsText(_ years: [Int], _ language: Language) -> String {
    let texts = years.sorted().map(String.init)
    switch language {
    case .zh: return texts.joined(separator: "、") + "年"
    case .en: return texts.count <= 1 ? texts.joined() : texts.dropLast().joined(separator: ", ") + " and " + texts.last!
    }
}
