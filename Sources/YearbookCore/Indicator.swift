/// Where an indicator's values come from.
public enum IndicatorSource: String, Sendable {
    case dibao, tekun, submission, derived
}

public enum RankDirection: String, Sendable {
    /// Highest value ranks first.
    case desc
    /// Lowest value ranks first.
    case asc
}

/// One row of the indicator dictionary (`indicators.csv`).
public struct Indicator: Hashable, Sendable {
    public var code: String
    public var chapter: String
    public var nameZH: String
    public var nameEN: String
    public var unit: String
    public var source: IndicatorSource
    public var formula: String
    public var additive: Bool
    public var decimals: Int
    public var rank: RankDirection?

    public init(code: String, chapter: String, nameZH: String, nameEN: String, unit: String,
                source: IndicatorSource, formula: String = "", additive: Bool, decimals: Int,
                rank: RankDirection? = nil) {
        self.code = code
        self.chapter = chapter
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.unit = unit
        self.source = source
        self.formula = formula
        self.additive = additive
        self.decimals = decimals
        self.rank = rank
    }

    /// Year-over-year change of a percentage is a difference in points.
    public var changeIsInPoints: Bool { unit == "%" }

    /// The roster this indicator is counted from, if any.
    public var roster: String? {
        switch source {
        case .dibao, .tekun: return source.rawValue
        case .submission, .derived: return nil
        }
    }
}

/// One row of `chapters.csv`.
public struct Chapter: Hashable, Sendable {
    public var id: String
    public var order: Int
    public var titleZH: String
    public var titleEN: String

    public init(id: String, order: Int, titleZH: String, titleEN: String) {
        self.id = id
        self.order = order
        self.titleZH = titleZH
        self.titleEN = titleEN
    }
}
