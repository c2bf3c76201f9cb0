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
/// and column. Two builds of one year are compared period by period. Two
/// editions of different years are compared on the periods both publish (the
/// 2018 edition's 2018 with the 2019 edition's 2018): a figure that differs
/// there was revised, while a movement from one year to the next is what the
/// chapters show, not a difference. An area is followed across code
/// successions, so a renamed county is one row; table cells are paired by the
/// period they hold, never by their position.
public struct EditionDiff: Encodable {
    public struct Change: Encodable, Equatable {
        /// `value`, `status`, `source`, `added`, `removed`, `rank`, `cell`, or `revised` (in `revisions`).
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
        /// For a revised figure: its status and source in each edition.
        public var statusA: String?
        public var statusB: String?
        public var sourceA: String?
        public var sourceB: String?
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
    /// Editions of different years: the figures of the periods both publish that differ (修订).
    public var revisions: [Change] = []
    /// Differences within the tolerance, not listed.
    public var withinTolerance = 0
    public var filesOnlyInA: [String] = []
    public var filesOnlyInB: [String] = []
    public var filesDiffering: [String] = []

    /// Anything beyond the tolerance moved. The files of editions of different years always differ: not counted.
    public var differs: Bool {
        !changes.isEmpty || !revisions.isEmpty
            || (editionA == editionB && filesOnlyInA.count + filesOnlyInB.count + filesDiffering.count > 0 && tolerance == "0")
    }

    /// Moved figures per chapter (title), in chapter order of first appearance.
    public var byChapter: [(chapter: String, count: Int)] {
        var counts: [(String, Int)] = []
        for change in revisions + changes {
            if let index = counts.firstIndex(where: { $0.0 == change.chapter }) { counts[index].1 += 1 } else { counts.append((change.chapter, 1)) }
        }
        return counts.map { (chapter: $0.0, count: $0.1) }
    }

    public static func compare(_ a: String, _ b: String, tolerance: Tolerance = .zero) throws -> EditionDiff {
        let left = try EditionFolder.load(a), right = try EditionFolder.load(b)
        let shift = right.edition - left.edition
        var diff = EditionDiff(a: a, b: b, editionA: left.edition, editionB: right.edition, alignment: "", tolerance: tolerance.description)
        let periodsA = Set(left.observations.keys.map(\.period)), periodsB = Set(right.observations.keys.map(\.period))
        // Two builds of one year: every period; editions of different years: the periods both publish.
        let compared = shift == 0 ? periodsA.union(periodsB) : periodsA.intersection(periodsB)
        // Editions with no period in common have nothing to compare: "the same" would be a wrong answer.
        guard !compared.isEmpty else {
            throw YearbookError.usage("the editions \(left.edition) and \(right.edition) publish no period in common: compare consecutive "
                                      + "editions (\(left.edition) with \(left.edition + 1)) or two builds of one year")
        }
        let common = compared.sorted().map(String.init).joined(separator: ", ")
        diff.alignment = shift == 0
            ? "both editions are of \(left.edition): periods \(left.edition - 1) and \(left.edition) with themselves"
            : "edition \(left.edition) (periods \(left.edition - 1), \(left.edition)) with edition \(right.edition) (periods \(right.edition - 1), \(right.edition)): "
              + "the figures of \(common) as each published them; year-over-year movements are not differences"
        // An area of A as B names it: itself, or its successor current in B's year (B's registry), where B has that row.
        var followed: Set<String> = []
        func areaInB(_ area: String, present: (String) -> Bool) -> String {
            guard shift != 0, !present(area), let registry = right.registry ?? left.registry,
                  let current = registry.currentCode(for: area, in: right.edition), current != area, present(current) else { return area }
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
        func change(_ kind: String, _ area: String, _ indicator: String, _ period: Int, _ x: String, _ y: String) -> Change {
            Change(kind: kind, chapter: chapterOf(indicator), area: right.areaName(area), indicator: name(indicator),
                   period: String(period), a: x, b: y)
        }

        let (databaseA, databaseB) = shift == 0 ? (nil, nil) : (left.database(), right.database())
        var matched: Set<ObservationKey> = []
        for key in ObservationKey.sorted(left.observations.keys) where compared.contains(key.period) {
            let cellA = left.observations[key]!
            let area = areaInB(key.area) { right.observations[ObservationKey(area: $0, indicator: key.indicator, period: key.period)] != nil }
            let keyB = ObservationKey(area: area, indicator: key.indicator, period: key.period)
            guard let cellB = right.observations[keyB] else {
                diff.changes.append(change("removed", keyB.area, key.indicator, key.period, "\(cellA.value) \(cellA.status)", ""))
                continue
            }
            matched.insert(keyB)
            guard cellA != cellB else { continue }
            var moved = change("value", keyB.area, key.indicator, key.period, cellA.value, cellB.value)
            var valueMoved = cellA.value != cellB.value
            if valueMoved, let x = Exact(decimal: cellA.value), let y = Exact(decimal: cellB.value) {
                if tolerance.allows(x, y) {
                    diff.withinTolerance += 1
                    valueMoved = false
                } else {
                    moved.difference = (y - x).plainDecimal
                    moved.relative = (y - x).divided(by: x.magnitude).map(Self.percent)
                }
            }
            if shift != 0 {
                // One entry per revised figure: both values, the difference, each edition's status and source.
                guard valueMoved || cellA.status != cellB.status || cellA.source != cellB.source else { continue }
                moved.kind = "revised"
                // The source as the kind and, for a figure read from a file, the file and line: a revision names its message.
                func source(_ cell: EditionFolder.Cell, _ origin: String?) -> String { origin.map { "\(cell.source) (\($0))" } ?? cell.source }
                (moved.statusA, moved.statusB) = (cellA.status, cellB.status)
                (moved.sourceA, moved.sourceB) = (source(cellA, EditionFolder.origin(of: key, in: databaseA)),
                                                source(cellB, EditionFolder.origin(of: keyB, in: databaseB)))
                diff.revisions.append(moved)
                continue
            }
            if cellA.status != cellB.status { diff.changes.append(change("status", keyB.area, key.indicator, key.period, cellA.status, cellB.status)) }
            if cellA.source != cellB.source { diff.changes.append(change("source", keyB.area, key.indicator, key.period, cellA.source, cellB.source)) }
            if valueMoved { diff.changes.append(moved) }
        }
        for key in ObservationKey.sorted(right.observations.keys) where !matched.contains(key) && compared.contains(key.period) {
            let cell = right.observations[key]!
            diff.changes.append(change("added", key.area, key.indicator, key.period, "", "\(cell.value) \(cell.status)"))
        }
        // Ranks of the edition year: of different years, a movement, not a difference.
        for indicator in Set(left.ranks.keys).union(right.ranks.keys).sorted() where shift == 0 {
            let ranksA = left.ranks[indicator] ?? [:], ranksB = right.ranks[indicator] ?? [:]
            var byArea: [String: (a: Int?, b: Int?)] = [:]
            for (area, rank) in ranksA { byArea[area, default: (nil, nil)].a = rank.rank }
            for (area, rank) in ranksB { byArea[area, default: (nil, nil)].b = rank.rank }
            for area in byArea.keys.sorted() where byArea[area]!.a != byArea[area]!.b {
                let ranks = byArea[area]!
                diff.changes.append(change("rank", area, indicator, left.edition, ranks.a.map(String.init) ?? "–", ranks.b.map(String.init) ?? "–"))
            }
        }
        // Chapter tables, cell by cell: rows by area (and indicator), columns by the figure and period they hold.
        for id in Set(left.tables.keys).union(right.tables.keys).sorted() {
            let tableA = left.tables[id], tableB = right.tables[id]
            let table = (tableB ?? tableA)!
            let rowsB = tableB?.rows ?? [:]
            let rowsA = Dictionary((tableA?.rows ?? [:]).values.map { row -> (String, EditionFolder.TableRow) in
                var followed = row
                followed.area = areaInB(row.area) { rowsB[EditionFolder.TableRow.key(area: $0, indicator: row.indicator)] != nil }
                return (EditionFolder.TableRow.key(area: followed.area, indicator: row.indicator), followed)
            }, uniquingKeysWith: { x, _ in x })
            let orderedA = Self.columnsByPeriod(tableA, edition: left.edition), orderedB = Self.columnsByPeriod(tableB, edition: right.edition)
            let columnsA = Dictionary(orderedA.map { ($0.key, $0.id) }, uniquingKeysWith: { x, _ in x })
            let columnsB = Dictionary(orderedB.map { ($0.key, $0.id) }, uniquingKeysWith: { x, _ in x })
            // Columns of both editions, B's order first (a history table gains a year and loses one); of different
            // years only the columns both have for the same period (this year's change is not last year's).
            var columns = orderedB.filter { shift == 0 || columnsA[$0.key] != nil }
            if shift == 0 { columns += orderedA.filter { column in !columns.contains { $0.key == column.key } } }
            for rowKey in Set(rowsA.keys).union(rowsB.keys).sorted() {
                let rowA = rowsA[rowKey], rowB = rowsB[rowKey]
                let row = (rowB ?? rowA)!
                for column in columns where column.id != "area" && column.id != "indicator" {
                    let x = columnsA[column.key].flatMap { rowA?.cells[$0] }, y = columnsB[column.key].flatMap { rowB?.cells[$0] }
                    guard x != y else { continue }
                    let area = row.area
                    let indicator = row.indicator ?? column.indicator ?? table.indicator
                    if let p = x.flatMap({ Exact(decimal: numeric($0.text)) }), let q = y.flatMap({ Exact(decimal: numeric($0.text)) }),
                       x?.mark == y?.mark, !tolerance.isZero, tolerance.allows(p, q) {
                        diff.withinTolerance += 1
                        continue
                    }
                    var cell = change("cell", area, indicator, column.key.period, x.map(shown) ?? "", y.map(shown) ?? "")
                    cell.chapter = "\(table.chapterTitle.zh) \(table.chapterTitle.en)"
                    cell.table = "\(table.caption.zh) \(table.caption.en)"
                    cell.column = "\(column.name.zh) \(column.name.en)"
                    diff.changes.append(cell)
                }
            }
        }
        // Editions of different years differ in every file: only two builds of one year are compared file by file.
        for file in Set(left.files.keys).union(right.files.keys).sorted() where shift == 0 {
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

    /// A table's columns keyed by what they hold and for which period: a year column (`2018`) and the
    /// key figures' `previous` hold the value of that year, every other column its edition's year.
    struct ColumnKey: Hashable {
        var figure: String
        var period: Int
    }

    static func columnsByPeriod(_ table: EditionFolder.TableData?, edition: Int)
        -> [(key: ColumnKey, id: String, name: Bilingual, indicator: String?)] {
        (table?.columns ?? []).map { (columnKey($0.id, edition: edition), $0.id, $0.name, $0.indicator) }
    }

    static func columnKey(_ id: String, edition: Int) -> ColumnKey {
        if id == "previous" { return ColumnKey(figure: "value", period: edition - 1) }
        if id.utf8.count == 4, id.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let year = Int(id) { return ColumnKey(figure: "value", period: year) }
        return ColumnKey(figure: id, period: edition)
    }

    /// A share in percent with enough decimals (at least 2) to show a change that is not zero as not zero.
    static func percent(_ ratio: Exact) -> String {
        let percent = ratio * Exact(100)
        var decimals = 2
        while decimals < 12, !percent.isZero, percent.rounded(decimals: decimals).isZero { decimals += 1 }
        return percent.formatted(decimals: decimals) + "%"
    }

    static func shown(_ cell: EditionFolder.TableCell) -> String { cell.mark.isEmpty ? cell.text : "\(cell.text) (\(cell.mark))" }

    /// A figure as a table shows it (`28,132`, `+2.9`, `−1`) reduced to its number.
    static func numeric(_ text: String) -> String {
        String(text.replacingOccurrences(of: "−", with: "-").filter { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") })
    }
}
