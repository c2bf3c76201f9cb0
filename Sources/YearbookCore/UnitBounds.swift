/// What a submitted figure may be in its indicator's base unit (after `UNIT_MULT`):
/// a count is a whole number ≥ 0, an amount in yuan has at most 2 decimals, and every
/// unit bounds the digits a real figure can have. A figure outside is a typing or
/// UNIT_MULT mistake, never something to add up.
public struct UnitBound: Sendable, Hashable {
    /// The base units (as `indicators.csv` writes them) the bound is for; empty for any other unit.
    public var units: [String]
    /// A count: a whole number ≥ 0. Other units leave the sign to the `non_negative` rule.
    public var isCount: Bool
    public var maximumDecimals: Int
    public var maximumIntegerDigits: Int
    /// What a figure in the unit is, completing "a count of beds", "an amount in yuan".
    public var what: Bilingual

    /// The one table of what each unit admits; the last row is for any unit not named.
    public static let table: [UnitBound] = [
        UnitBound(units: ["persons", "households", "beds", "units"], isCount: true, maximumDecimals: 0, maximumIntegerDigits: 12,
                  what: Bilingual(zh: "数量", en: "a count")),
        UnitBound(units: ["yuan"], isCount: false, maximumDecimals: 2, maximumIntegerDigits: 15,
                  what: Bilingual(zh: "金额", en: "an amount")),
        UnitBound(units: ["yuan/person-month", "yuan/person-year"], isCount: false, maximumDecimals: 2, maximumIntegerDigits: 9,
                  what: Bilingual(zh: "人均金额", en: "an amount per person")),
        UnitBound(units: ["%", "beds/1000 elderly", "units/10000 persons"], isCount: false, maximumDecimals: 4, maximumIntegerDigits: 9,
                  what: Bilingual(zh: "比率", en: "a ratio")),
        UnitBound(units: ["m2"], isCount: false, maximumDecimals: 4, maximumIntegerDigits: 12,
                  what: Bilingual(zh: "面积", en: "an area")),
        UnitBound(units: [], isCount: false, maximumDecimals: 6, maximumIntegerDigits: 15,
                  what: Bilingual(zh: "数值", en: "a figure")),
    ]

    public static func bound(forUnit unit: String) -> UnitBound {
        table.first { $0.units.contains(unit) } ?? table[table.count - 1]
    }

    /// What a figure of the bound may be, said of no unit in particular (the definitions page).
    public var rule: Bilingual {
        isCount ? Bilingual(zh: "不小于 0 的整数，至多 \(maximumIntegerDigits) 位", en: "a whole number ≥ 0 of at most \(maximumIntegerDigits) digits")
                : Bilingual(zh: "至多 \(maximumIntegerDigits) 位整数、\(maximumDecimals) 位小数",
                            en: "at most \(maximumIntegerDigits) integer digits and \(maximumDecimals) decimals")
    }

    /// What the unit admits, e.g. "a count of beds is a whole number ≥ 0 of at most 12 digits".
    public func admits(unit: String) -> Bilingual {
        isCount ? Bilingual(zh: "以“\(unit)”计的\(what.zh)为\(rule.zh)", en: "\(what.en) of \(unit) is \(rule.en)")
                : Bilingual(zh: "以“\(unit)”计的\(what.zh)\(rule.zh)", en: "\(what.en) in \(unit) has \(rule.en)")
    }

    /// Why `value` (in `unit`) is no figure this bound admits, or nil when it is one:
    /// e.g. "is not a whole number: a count of beds is a whole number ≥ 0 of at most 12 digits".
    public func violation(of value: Exact, unit: String) -> Bilingual? {
        func because(_ zh: String, _ en: String) -> Bilingual {
            let rule = admits(unit: unit)
            return Bilingual(zh: "\(zh)：\(rule.zh)", en: "\(en): \(rule.en)")
        }
        if isCount && value.isNegative { return because("为负数", "is negative") }
        // A decimal times a power of ten always has a finite decimal form; nil is counted as too many decimals.
        let decimals = value.decimalPlaces ?? Int.max
        if isCount && decimals > 0 { return because("不是整数", "is not a whole number") }
        if decimals > maximumDecimals {
            if decimals == Int.max { return because("小数无尽", "has endless decimals") }
            return because("有 \(decimals) 位小数", "has \(decimals) decimals")
        }
        if !(value.magnitude < Exact(units: 1, scale: -maximumIntegerDigits)) {
            let digits = value.magnitude.plainDecimal.prefix { $0 != "." }.count
            return because("整数部分有 \(digits) 位", "has \(digits) integer digits")
        }
        return nil
    }
}
