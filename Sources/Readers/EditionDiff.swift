import Foundation
import YearbookCore

/// How large a difference may be and still not count: an absolute figure in
/// the indicator's base unit (`0.5`) or a share of the first edition's value (`0.5%`).
public enum Tolerance: Sendable, Equatable, CustomStringConvertible {
    case absolute(Exact)
    case percent(Exact)

    public static let zero = Tolerance.absolute(.zero)

    /// nil for a malformed or negative tolerance.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Exact(decimal: String(trimmed.dropLast())), !value.isNegative else { return nil }
            self = .percent(value)
        } else {
            guard let value = Exact(decimal: trimmed), !value.isNegative else { return nil }
            self = .absolute(value)
        }
    }

    public var isZero: Bool { self == .absolute(.zero) || self == .percent(.zero) }

    func allows(_ a: Exact, _ b: Exact) -> Bool {
        switch self {
        case .absolute(let limit): return (b - a).magnitude <= limit
        case .percent(let limit): return (b - a).magnitude * Exact(100) <= limit * a.magnitude
        }
    }

    public var description: String {
        switch self {
        case .absolute(let value): return value.plainDecimal
        case .percent(let value): return value.plainDecimal + "%"
        }
    }
}

/// A comparison of two editions, figure by figure: observations (value,
/// status, source), ranks and chapter table cells, named by area, indicator
/// and column. Two editions of different years are compared period by
/// period within the edition (this year with this year, last year with last
/// year), and an area is followed across code successions, so a renamed
/// county is one row.
public struct EditionDiff: Encodable {
    public struct Change: Encodable, Equatable {
        /// `value`, `status`, `source`, `added`, `removed`, `rank` or `cell`.
        public var kind: String
        public var chapter: String
        public var area: String
        public var indicator: String
        /// The period in each edition, e.g. `2019` or `2018 → 2019`.
        public var period: String
        /// For a table cell: the table and column.
        public var table: String?
        public var column: String?
        public var a: String
        public var b: String
        public var difference: String?
        public var relative: String?
    }

    public var a: String
    public var b: String
    public var editionA: Int
    public var editionB: Int
    /// Which periods were compared with which, in words.
    public var alignment: String
    /// Areas followed across a change of code (`430221 → 430212`).
    public var followed: [String] = []
    public var tolerance: String
    public var changes: [Change] = []
    /// Differences within the tolerance, not listed.
    public var withinTolerance = 0
    public var filesOnlyInA: [String] = []
    public var filesOnlyInB: [String] = []
    public var filesDiffering: [String] = []

    public var differs: Bool {
        !changes.isEmpty || (filesOnlyInA.count + filesOnlyInB.count + filesDiffering.count > 0 && tolerance == "0")
    }

    /// Moved figures per chapter (title), in chapter order of first appearance.
    public var byChapter: [(chapter: String, count: Int)] {
        var counts: [(String, Int)] = []
        for change in changes {
            if let index = counts.firstIndex(where: { $0.0 == change.chapter }) { counts[index].1 += 1 } else { counts.append((change.chapter, 1)) }
        }
        return counts.map { (chapter: $0.0, count: $0.1) }
    }

    public static func compare(_ a: String, _ b: String, tolerance: Tolerance = .zero) throws -> EditionDiff {
        let left = try EditionFolder.load(a), right = try EditionFolder.load(b)
        let shift = right.edition - left.edition
        var diff = EditionDiff(a: a, b: b, editionA: left.edition, editionB: right.edition, alignment: "", tolerance: tolerance.description)
        diff.alignment = shift == 0
            ? "both editions are of \(left.edition): periods \(left.edition - 1) and \(left.edition) with themselves"
            : "edition \(left.edition) (periods \(left.edition - 1), \(left.edition)) with edition \(right.edition) (periods \(right.edition - 1), \(right.edition)): "
              + "\(left.edition - 1) with \(right.edition - 1) and \(left.edition) with \(right.edition)"
        // An area of A in B's period: itself, or its successor valid then (B's registry).
        var followed: Set<String> = []
        func areaInB(_ area: String, period: Int) -> String {
            guard shift != 0, let registry = right.registry ?? left.registry,
                  let current = registry.currentCode(for: area, in: period), current != area else { return area }
            followed.insert("\(left.areaName(area)) → \(right.areaName(current))")
            return current
        }
        func chapterOf(_ indicator: String) -> String {
            guard let chapter = right.indicators[indicator]?.chapter ?? left.indicators[indicator]?.chapter else { return "(no chapter table)" }
            let title = right.chapterTitles[chapter] ?? left.chapterTitles[chapter]
            return title.map { "\($0.zh) \($0.en)" } ?? chapter
        }
        func name(_ indicator: String) -> String {
            right.indicators[indicator] != nil ? right.indicatorName(indicator) : left.indicatorName(indicator)
        }
        func periods(_ p: Int) -> String { shift == 0 ? String(p) : "\(p) → \(p + shift)" }
        func change(_ kind: String, _ area: String, _ indicator: String, _ period: Int, _ x: String, _ y: String) -> Change {
            Change(kind: kind, chapter: chapterOf(indicator), area: right.areaName(area), indicator: name(indicator),
                   period: periods(period), a: x, b: y)
        }

        var matched: Set<ObservationKey> = []
        for key in ObservationKey.sorted(left.observations.keys) {
            let cellA = left.observations[key]!
            let keyB = ObservationKey(area: areaInB(key.area, period: key.period + shift), indicator: key.indicator, period: key.period + shift)
            guard let cellB = right.observations[keyB] else {
                diff.changes.append(change("removed", keyB.area, key.indicator, key.period, "\(cellA.value) \(cellA.status)", ""))
                continue
            }
            matched.insert(keyB)
            if cellA.status != cellB.status { diff.changes.append(change("status", keyB.area, key.indicator, key.period, cellA.status, cellB.status)) }
            if cellA.source != cellB.source { diff.changes.append(change("source", keyB.area, key.indicator, key.period, cellA.source, cellB.source)) }
            guard cellA.value != cellB.value else { continue }
            var moved = change("value", keyB.area, key.indicator, key.period, cellA.value, cellB.value)
            if let x = Exact(decimal: cellA.value), let y = Exact(decimal: cellB.value) {
                if tolerance.allows(x, y) {
                    diff.withinTolerance += 1
                    continue
                }
                moved.difference = (y - x).plainDecimal
                moved.relative = (y - x).divided(by: x.magnitude).map { ($0 * Exact(100)).formatted(decimals: 2) + "%" }
            }
            diff.changes.append(moved)
        }
        for key in ObservationKey.sorted(right.observations.keys) where !matched.contains(key) {
            let cell = right.observations[key]!
            diff.changes.append(change("added", key.area, key.indicator, key.period - shift, "", "\(cell.value) \(cell.status)"))
        }
        // Ranks of the edition year.
        for indicator in Set(left.ranks.keys).union(right.ranks.keys).sorted() {
            let ranksA = left.ranks[indicator] ?? [:], ranksB = right.ranks[indicator] ?? [:]
            var byArea: [String: (a: Int?, b: Int?)] = [:]
            for (area, rank) in ranksA { byArea[areaInB(area, period: left.edition + shift), default: (nil, nil)].a = rank.rank }
            for (area, rank) in ranksB { byArea[area, default: (nil, nil)].b = rank.rank }
            for area in byArea.keys.sorted() where byArea[area]!.a != byArea[area]!.b {
                let ranks = byArea[area]!
                diff.changes.append(change("rank", area, indicator, left.edition, ranks.a.map(String.init) ?? "–", ranks.b.map(String.init) ?? "–"))
            }
        }
        // Chapter tables, cell by cell: rows by area (and indicator), columns by what they hold.
        for id in Set(left.tables.keys).union(right.tables.keys).sorted() {
            let tableA = left.tables[id], tableB = right.tables[id]
            let table = (tableB ?? tableA)!
            let rowsA = Dictionary((tableA?.rows ?? [:]).values.map { row -> (String, EditionFolder.TableRow) in
                var followed = row
                followed.area = areaInB(row.area, period: left.edition + shift)
                return (EditionFolder.TableRow.key(area: followed.area, indicator: row.indicator), followed)
            }, uniquingKeysWith: { x, _ in x })
            let rowsB = tableB?.rows ?? [:]
            // Columns of both editions, B's order first (a history table gains a year and loses one).
            var columns = table.columns
            for column in (tableA?.columns ?? []) where !columns.contains(where: { $0.id == column.id }) { columns.append(column) }
            for rowKey in Set(rowsA.keys).union(rowsB.keys).sorted() {
                let rowA = rowsA[rowKey], rowB = rowsB[rowKey]
                let row = (rowB ?? rowA)!
                for column in columns where column.id != "area" && column.id != "indicator" {
                    let x = rowA?.cells[column.id], y = rowB?.cells[column.id]
                    guard x != y else { continue }
                    let area = row.area
                    let indicator = row.indicator ?? column.indicator ?? table.indicator
                    if let p = x.flatMap({ Exact(decimal: numeric($0.text)) }), let q = y.flatMap({ Exact(decimal: numeric($0.text)) }),
                       x?.mark == y?.mark, !tolerance.isZero, tolerance.allows(p, q) {
                        diff.withinTolerance += 1
                        continue
                    }
                    var cell = change("cell", area, indicator, left.edition, x.map(shown) ?? "", y.map(shown) ?? "")
                    cell.chapter = "\(table.chapterTitle.zh) \(table.chapterTitle.en)"
                    cell.table = "\(table.caption.zh) \(table.caption.en)"
                    cell.column = "\(column.name.zh) \(column.name.en)"
                    diff.changes.append(cell)
                }
            }
        }
        for file in Set(left.files.keys).union(right.files.keys).sorted() {
            switch (left.files[file], right.files[file]) {
            case (nil, _): diff.filesOnlyInB.append(file)
            case (_, nil): diff.filesOnlyInA.append(file)
            case let (x?, y?) where x != y: diff.filesDiffering.append(file)
            default: break
            }
        }
        diff.followed = followed.sorted()
        return diff
    }

    static func shown(_ cell: EditionFolder.TableCell) -> String { cell.mark.isEmpty ? cell.text : "\(cell.text) (\(cell.mark))" }

    /// A figure as a table shows it (`28,132`, `+2.9`, `−1`) reduced to its number.
    static func numeric(_ text: String) -> String {
        String(text.replacingOccurrences(of: "−", with: "-").filter { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") })
    }
}
