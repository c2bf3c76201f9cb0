import Disclose
import YearbookCore

/// What is withheld from release, why, and the smallest roster figure published (the internal edition
/// keeps every value; `data/withheld.csv` lists the same cells for `release` and later editions).
public struct DisclosureReport: Encodable {
    struct Cell: Encodable {
        var area: String
        var indicator: String
        var period: Int
        var confStatus: String
        var reason: String
    }

    struct Smallest: Encodable {
        var area: String
        var indicator: String
        var period: Int
        var units: Int
        var unit: String
    }

    var minUnits: Int
    var primary: Int
    var secondary: Int
    var keptFromEarlierEditions: Int
    var smallestPublished: Smallest?
    var withheld: [Cell]
    var summary: String

    init(_ result: StageResults, registry: AreaRegistry) {
        let disclosure = result.disclosure, facts = disclosure.facts
        minUnits = facts.minUnits
        primary = facts.primary
        secondary = facts.secondary
        keptFromEarlierEditions = facts.kept
        smallestPublished = facts.smallest.map {
            Smallest(area: $0.key.area, indicator: $0.key.indicator, period: $0.key.period, units: $0.units, unit: $0.unit)
        }
        withheld = ObservationKey.sorted(disclosure.withholding.cells.keys).map { key in
            Cell(area: key.area, indicator: key.indicator, period: key.period, confStatus: disclosure.withholding.cells[key]!.rawValue,
                 reason: disclosure.reasons[key] ?? "")
        }
        summary = Self.sentence(facts, registry: registry)
    }

    /// What was withheld and the smallest published count, in English then Chinese:
    /// `nothing withheld; the smallest published count is 76 persons (…) · 无保密数据；公布的最小名册数为76人`.
    public static func sentence(_ facts: Disclosure.Facts, registry: AreaRegistry?) -> String {
        var en: String, zh: String
        let withheld = facts.primary + facts.secondary
        if withheld == 0 {
            en = facts.minUnits == 0 ? "nothing withheld (no disclosure.min_units)" : "nothing withheld"
            zh = facts.minUnits == 0 ? "未设 disclosure.min_units，无保密数据" : "无保密数据"
        } else {
            en = "\(withheld) figures withheld from release: \(facts.primary) primary (counted from fewer than \(facts.minUnits) households or persons), "
                + "\(facts.secondary) secondary (they would reveal the primary ones)"
                + (facts.kept > 0 ? ", \(facts.kept) because an earlier edition withheld them" : "")
                + "; listed in data/withheld.csv and reports/disclosure.md"
            zh = "\(withheld)项数据不公布：首要保密\(facts.primary)项（少于\(facts.minUnits)户或人），次要保密\(facts.secondary)项（可推算首要保密数）"
                + (facts.kept > 0 ? "，其中\(facts.kept)项因往年已保密" : "") + "；详见 data/withheld.csv 与 reports/disclosure.md"
        }
        if let smallest = facts.smallest {
            let word = ["households": "户", "persons": "人"][smallest.unit] ?? smallest.unit
            let area = registry?[smallest.key.area].map { "\(smallest.key.area) \($0.nameZH) \($0.nameEN)" } ?? smallest.key.area
            en += "; the smallest published count is \(smallest.units) \(smallest.unit) (\(area) · \(smallest.key.indicator) · \(smallest.key.period))"
            zh += "；公布的最小名册数为\(smallest.units)\(word)"
        }
        return "\(en) · \(zh)"
    }

    var markdown: String {
        var out = "# 保密 Disclosure\n\n"
        out += "A roster figure counted from fewer active households or persons than disclosure.min_units (\(minUnits)) is withheld "
        out += "from release (A, primary) with every figure made from the same rows; figures that would let it be worked out "
        out += "(a parent minus its other areas) are withheld too (D, secondary). The internal edition keeps every value.\n\n"
        out += "\(summary)\n\n"
        out += withheld.isEmpty ? "None withheld.\n" : mdTable(["area", "indicator", "period", "conf_status", "why"],
                                                             withheld.map { [$0.area, $0.indicator, String($0.period), $0.confStatus, $0.reason] },
                                                             leftAligned: 5)
        return out
    }
}
