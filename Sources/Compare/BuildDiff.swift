import Foundation
import YearbookCore

/// A cell-level comparison of two yearbook builds: observations by area,
/// indicator and period; ranks; chapter tables by table and cell; files.
/// Two editions of different years are aligned by their position in the
/// edition (this year with this year, last year with last year).
public struct BuildDiff: Encodable {
    public struct ValueChange: Encodable {
        public var area: String
        public var indicator: String
        public var periodA: Int
        public var periodB: Int
        public var a: String
        public var b: String
        public var difference: String
        /// Percent of A's value, when A is not zero.
        public var relative: String?
    }

    public struct RowChange: Encodable {
        public var area: String
        public var indicator: String
        public var period: Int
        public var value: String
        public var status: String
    }

    public struct StatusChange: Encodable {
        public var area: String
        public var indicator: String
        public var periodA: Int
        public var periodB: Int
        public var a: String
        public var b: String
    }

    public struct RankMove: Encodable {
        public var indicator: String
        public var area: String
        public var rankA: Int?
        public var rankB: Int?
    }

    public struct CellChange: Encodable {
        public var chapter: String
        public var table: String
        public var row: String
        public var column: Int
        public var a: String
        public var b: String
    }

    public struct Files: Encodable {
        public var onlyInA: [String] = []
        public var onlyInB: [String] = []
        public var differing: [String] = []
    }

    public var a: String
    public var b: String
    public var editionA: Int
    public var editionB: Int
    public var tolerance: String
    public var changedValues: [ValueChange] = []
    /// Differences within the tolerance, not listed.
    public var withinTolerance = 0
    public var added: [RowChange] = []
    public var removed: [RowChange] = []
    public var statusChanges: [StatusChange] = []
    public var rankMoves: [RankMove] = []
    public var cellChanges: [CellChange] = []
    public var files = Files()

    /// Whether the builds differ beyond the tolerance.
    public var differs: Bool {
        !changedValues.isEmpty || !added.isEmpty || !removed.isEmpty || !statusChanges.isEmpty
            || !rankMoves.isEmpty || !cellChanges.isEmpty
            || (tolerance == "0" && (!files.onlyInA.isEmpty || !files.onlyInB.isEmpty || !files.differing.isEmpty))
    }

    /// Compares build folders `a` and `b`; differences of at most `tolerance`
    /// (absolute, in the indicator's base unit) are not differences.
    public static func compare(_ a: String, _ b: String, tolerance: Exact = .zero) throws -> BuildDiff {
        let left = try BuildFolder.load(a)
        let right = try BuildFolder.load(b)
        var diff = BuildDiff(a: a, b: b, editionA: left.edition, editionB: right.edition, tolerance: tolerance.plainDecimal)
        let shift = right.edition - left.edition
        func within(_ x: String, _ y: String) -> Bool? {
            guard let p = Exact(decimal: x), let q = Exact(decimal: y) else { return nil }
            return (q - p).magnitude <= tolerance
        }
        // Observations, aligned by period within the edition.
        for key in ObservationKey.sorted(left.observations.keys) {
            let cellA = left.observations[key]!
            let keyB = ObservationKey(area: key.area, indicator: key.indicator, period: key.period + shift)
            guard let cellB = right.observations[keyB] else {
                diff.removed.append(RowChange(area: key.area, indicator: key.indicator, period: key.period,
                                              value: cellA.value, status: cellA.status))
                continue
            }
            if cellA.status != cellB.status {
                diff.statusChanges.append(StatusChange(area: key.area, indicator: key.indicator, periodA: key.period,
                                                       periodB: keyB.period, a: cellA.status, b: cellB.status))
            }
            if cellA.value != cellB.value {
                if within(cellA.value, cellB.value) == true {
                    diff.withinTolerance += 1
                    continue
                }
                var change = ValueChange(area: key.area, indicator: key.indicator, periodA: key.period, periodB: keyB.period,
                                         a: cellA.value, b: cellB.value, difference: "", relative: nil)
                if let p = Exact(decimal: cellA.value), let q = Exact(decimal: cellB.value) {
                    change.difference = (q - p).plainDecimal
                    change.relative = (q - p).divided(by: p.magnitude).map { ($0 * Exact(100)).formatted(decimals: 2) }
                }
                diff.changedValues.append(change)
            }
        }
        for key in ObservationKey.sorted(right.observations.keys) {
            let keyA = ObservationKey(area: key.area, indicator: key.indicator, period: key.period - shift)
            if left.observations[keyA] == nil {
                let cell = right.observations[key]!
                diff.added.append(RowChange(area: key.area, indicator: key.indicator, period: key.period,
                                            value: cell.value, status: cell.status))
            }
        }
        // Ranks of the edition year.
        for id in Set(left.ranks.keys).union(right.ranks.keys).sorted() {
            let rankA = left.ranks[id]?.rank, rankB = right.ranks[id]?.rank
            if rankA != rankB {
                let parts = id.split(separator: " ")
                diff.rankMoves.append(RankMove(indicator: String(parts[0]), area: String(parts[1]), rankA: rankA, rankB: rankB))
            }
        }
        // Chapter tables, cell by cell.
        for chapter in Set(left.tables.keys).union(right.tables.keys).sorted() {
            let tablesA = left.tables[chapter] ?? [:], tablesB = right.tables[chapter] ?? [:]
            for table in Set(tablesA.keys).union(tablesB.keys).sorted() {
                let rowsA = tablesA[table] ?? [:], rowsB = tablesB[table] ?? [:]
                for row in Set(rowsA.keys).union(rowsB.keys).sorted() {
                    let cellsA = rowsA[row] ?? [], cellsB = rowsB[row] ?? []
                    for column in 0..<max(cellsA.count, cellsB.count) {
                        let x = column < cellsA.count ? cellsA[column] : "", y = column < cellsB.count ? cellsB[column] : ""
                        if x == y { continue }
                        if within(numeric(x), numeric(y)) == true {
                            diff.withinTolerance += 1
                            continue
                        }
                        diff.cellChanges.append(CellChange(chapter: chapter, table: table, row: row, column: column + 1, a: x, b: y))
                    }
                }
            }
        }
        // Files.
        for file in Set(left.files.keys).union(right.files.keys).sorted() {
            switch (left.files[file], right.files[file]) {
            case (nil, _): diff.files.onlyInB.append(file)
            case (_, nil): diff.files.onlyInA.append(file)
            case let (x?, y?) where x != y: diff.files.differing.append(file)
            default: break
            }
        }
        return diff
    }

    /// A figure as a table shows it (`28,132ᴾ`, `+2.9%`) reduced to its number.
    static func numeric(_ text: String) -> String {
        String(text.filter { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") })
            .replacingOccurrences(of: "−", with: "-")
    }
}
