import CRosterScan
import Foundation
import YearbookCore

/// What a roster column holds, and so how it is validated.
public enum RosterColumnKind: Sendable {
    case identifier
    case areaCode
    /// A word from a fixed vocabulary, stored as its code.
    case code(vocabulary: [String: String], what: String)
    /// An integer ≥ 1.
    case positiveInteger
    /// Yuan, ≥ 0, at most 2 decimals.
    case amount
}

public struct RosterColumn: Sendable {
    public var canonical: String
    public var alias: String
    public var kind: RosterColumnKind
}

/// The columns of a roster export (contract section 3).
public struct RosterSchema: Sendable {
    public var name: String
    public var columns: [RosterColumn] {
        didSet { headerKeys = RosterSchema.keys(columns) }
    }
    /// Per column, the header cells that name it (canonical and alias), as lookup keys.
    private(set) var headerKeys: [Set<String>]

    public init(name: String, columns: [RosterColumn]) {
        self.name = name
        self.columns = columns
        headerKeys = RosterSchema.keys(columns)
    }

    static func keys(_ columns: [RosterColumn]) -> [Set<String>] {
        columns.map { [FieldText.headerKey($0.canonical), FieldText.headerKey($0.alias)] }
    }

    public static let category = RosterColumnKind.code(vocabulary: [
        "u": "U", "城市": "U", "城镇": "U", "urban": "U",
        "r": "R", "农村": "R", "rural": "R",
    ], what: "category")

    public static let status = RosterColumnKind.code(vocabulary: [
        "active": "active", "在保": "active", "正常": "active", "1": "active",
        "suspended": "inactive", "停保": "inactive", "暂停": "inactive", "0": "inactive",
    ], what: "status")

    public static let careMode = RosterColumnKind.code(vocabulary: [
        "c": "C", "集中": "C", "centralized": "C",
        "d": "D", "分散": "D", "dispersed": "D",
    ], what: "care mode")

    public static let dibao = RosterSchema(name: "dibao", columns: [
        RosterColumn(canonical: "household_id", alias: "户编号", kind: .identifier),
        RosterColumn(canonical: "area_code", alias: "行政区划代码", kind: .areaCode),
        RosterColumn(canonical: "category", alias: "城乡类别", kind: category),
        RosterColumn(canonical: "members", alias: "保障人数", kind: .positiveInteger),
        RosterColumn(canonical: "monthly_amount", alias: "月保障金额(元)", kind: .amount),
        RosterColumn(canonical: "status", alias: "状态", kind: status),
    ])

    public static let tekun = RosterSchema(name: "tekun", columns: [
        RosterColumn(canonical: "person_id", alias: "人员编号", kind: .identifier),
        RosterColumn(canonical: "area_code", alias: "行政区划代码", kind: .areaCode),
        RosterColumn(canonical: "category", alias: "城乡类别", kind: category),
        RosterColumn(canonical: "care_mode", alias: "供养方式", kind: careMode),
        RosterColumn(canonical: "annual_amount", alias: "年供养金额(元)", kind: .amount),
        RosterColumn(canonical: "status", alias: "状态", kind: status),
    ])

    public static let all = [dibao, tekun]

    public static func named(_ name: String) -> RosterSchema? { all.first { $0.name == name } }

    public func index(of canonical: String) -> Int? { columns.firstIndex { $0.canonical == canonical } }
}

/// What one roster indicator counts, from its formula in `indicators.csv`:
/// `count where category=U`, `sum members where category=U`.
public struct RosterMeasure: Sendable, Equatable {
    public var indicator: String
    /// The column summed; nil for a row count.
    public var sumColumn: Int?
    /// Conditions `column = code` that all must hold.
    public var conditions: [(column: Int, code: String)]

    public static func == (a: RosterMeasure, b: RosterMeasure) -> Bool {
        a.indicator == b.indicator && a.sumColumn == b.sumColumn
            && a.conditions.map(\.column) == b.conditions.map(\.column)
            && a.conditions.map(\.code) == b.conditions.map(\.code)
    }

    /// As many as the roster scan holds (one per column is already more than any formula needs).
    static let maxConditions = Int(YEARBOOK_SCAN_MAX_CONDITIONS)

    public init(indicator: String, formula: String, schema: RosterSchema) throws {
        self.indicator = indicator
        let words = formula.split(separator: " ").map(String.init)
        var rest = words[...]
        func fail(_ why: String) -> YearbookError {
            .definition("indicator \(indicator): formula '\(formula)': \(why)")
        }
        switch rest.popFirst() {
        case "count":
            sumColumn = nil
        case "sum":
            guard let name = rest.popFirst(), let column = schema.index(of: name) else {
                throw fail("sum of an unknown \(schema.name) column")
            }
            switch schema.columns[column].kind {
            case .amount, .positiveInteger: break
            default: throw fail("column \(name) is not a number")
            }
            sumColumn = column
        default:
            throw fail("starts with neither 'count' nor 'sum'")
        }
        conditions = []
        if let word = rest.popFirst() {
            guard word == "where" else { throw fail("expected 'where'") }
            let clause = rest.joined(separator: " ").components(separatedBy: " and ")
            for condition in clause {
                let parts = condition.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let column = schema.index(of: parts[0]) else {
                    throw fail("condition '\(condition)' is not column=code")
                }
                conditions.append((column, parts[1]))
            }
            if conditions.count > RosterMeasure.maxConditions { throw fail("more than \(RosterMeasure.maxConditions) conditions") }
        }
    }
}
