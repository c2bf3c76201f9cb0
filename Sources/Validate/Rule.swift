import Foundation
import YearbookCore

/// A validation rule of the pipeline definition, in the manner of R's
/// `validate`: a condition every cell must meet, with a severity.
///
/// ```yaml
/// - id: dibao_share_of_population
///   severity: warning
///   description: {zh: 低保对象不超过户籍人口的15%, en: Recipients at most 15% of the population}
///   check: DIBAO_PERSONS_U + DIBAO_PERSONS_R <= 0.15 * POP_TOTAL
/// ```
public struct Rule: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// `check` holds for each area (and indicator, with `each`).
        case condition
        /// Every area of `levels` has a value for every indicator of `each`.
        case completeness
    }

    public var id: String
    /// `error` fails the build; `warning` is reported.
    public var severity: String
    public var description: Bilingual?
    public var kind: Kind?
    /// `LEFT op RIGHT` with op one of `<= >= < > == !=`; sides are formulas
    /// over indicator codes, numbers, `abs()`, `min()`, `max()`, `previous()`;
    /// with `each`, the word `value` stands for each indicator in turn.
    public var check: String?
    /// `all`, or a list of indicator codes.
    public var each: IndicatorSelection?
    /// Area levels checked (default: every level).
    public var levels: [String]?
    /// `current` (default) and/or `previous`.
    public var periods: [String]?
    /// `min_base`: a check that reads `previous()` skips a cell where a last-year figure it reads is
    /// smaller than this in absolute value (1 → 2 villages is +100% and says nothing). As written, a decimal.
    public var minBase: String?

    enum CodingKeys: String, CodingKey {
        case id, severity, description, kind, check, each, levels, periods
        case minBase = "min_base"
    }

    public var effectiveKind: Kind { kind ?? .condition }
    /// `min_base` as a number; nil where it is not given (or not a number, which the definition check reports).
    public var minimumBase: Exact? { minBase.flatMap { Exact(decimal: $0) } }

    public init(id: String, severity: String, description: Bilingual? = nil, kind: Kind? = nil, check: String? = nil,
                each: IndicatorSelection? = nil, levels: [String]? = nil, periods: [String]? = nil, minBase: String? = nil) {
        self.id = id
        self.severity = severity
        self.description = description
        self.kind = kind
        self.check = check
        self.each = each
        self.levels = levels
        self.periods = periods
        self.minBase = minBase
    }
}

/// `all` or a list of indicator codes.
public enum IndicatorSelection: Codable, Sendable, Hashable {
    case all
    case codes([String])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            guard word == "all" else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "each: expected 'all' or a list of indicator codes")
            }
            self = .all
        } else {
            self = .codes(try container.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .codes(let codes): try container.encode(codes)
        }
    }
}

/// A rule's check, parsed: two formulas and a comparison.
public struct Condition: Sendable, Equatable {
    public var left: Formula
    public var comparison: String
    public var right: Formula

    static let comparisons = ["<=", ">=", "==", "!=", "<", ">"]

    public static func parse(_ text: String) throws -> Condition {
        for op in comparisons {
            if let range = text.range(of: op) {
                let left = try Formula.parse(String(text[..<range.lowerBound]))
                let right = try Formula.parse(String(text[range.upperBound...]))
                return Condition(left: left, comparison: op, right: right)
            }
        }
        throw Formula.parseError(formula: text, message: "no comparison (<=, >=, ==, !=, <, >)")
    }

    public func holds(_ a: Exact, _ b: Exact) -> Bool {
        switch comparison {
        case "<=": return a <= b
        case ">=": return a >= b
        case "==": return a == b
        case "!=": return a != b
        case "<": return a < b
        default: return a > b
        }
    }

    public func substituting(_ name: String, with code: String) -> Condition {
        Condition(left: left.substituting(name, with: code), comparison: comparison, right: right.substituting(name, with: code))
    }
}
