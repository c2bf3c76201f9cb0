import Extract
import YearbookCore

/// `data/observations.csv`, the unified dataset (contract section 6): written by the build, read back
/// by `diff` and by the history of later editions, with one list of columns.
public enum ObservationsFile {
    public static let header = ["area_code", "indicator", "period", "value", "status", "source"]

    /// One row as the file holds it: the value is the exact decimal text, empty when missing.
    public struct Row: Sendable, Hashable {
        public var key: ObservationKey
        public var value: String
        public var status: String
        public var source: String
        /// The physical line of the row (the header is line 1).
        public var line: Int

        public init(key: ObservationKey, value: String, status: String, source: String, line: Int = 0) {
            self.key = key
            self.value = value
            self.status = status
            self.source = source
            self.line = line
        }
    }

    /// Rows already in the contract's order (area, indicator, period).
    public static func write(_ rows: some Sequence<Row>) -> [UInt8] {
        var csv = CSVWriter(header: header)
        for row in rows {
            csv.row([row.key.area, row.key.indicator, String(row.key.period), row.value, row.status, row.source])
        }
        return csv.bytes
    }

    /// Every row of the file at `path` (named `displayName` in errors), or only those `keep` accepts.
    /// A row whose period is not a year is an input error naming its line.
    public static func read(path: String, displayName: String? = nil, keep: (_ area: String) -> Bool = { _ in true }) throws -> [Row] {
        let name = displayName ?? path
        let table = try CSVTable.read(path: path, displayName: name)
        let found = try table.columns(header)
        let column = header.map { found[$0]! }
        var rows: [Row] = []
        for (line, cells) in table.rows {
            try fieldCount(cells, of: table, line: line)
            guard keep(cells[column[0]]) else { continue }
            guard let period = Int(cells[column[2]]) else {
                throw YearbookError.input(file: name, line: line, "period '\(cells[column[2]])' is not a year")
            }
            rows.append(Row(key: ObservationKey(area: cells[column[0]], indicator: cells[column[1]], period: period),
                            value: cells[column[3]], status: cells[column[4]], source: cells[column[5]], line: line))
        }
        return rows
    }

    /// A row with more or fewer fields than the header is a damaged file, never a row skipped.
    static func fieldCount(_ cells: [String], of table: CSVTable, line: Int) throws {
        guard cells.count != table.header.count else { return }
        throw YearbookError.input(file: table.file, line: line, "\(cells.count) fields where the header has \(table.header.count)")
    }
}

/// `data/rankings.csv`, the build year's ranks (contract section 6).
public enum RankingsFile {
    public static let header = ["indicator", "parent_code", "area_code", "period", "value", "rank", "previous_rank", "rank_change"]

    public struct Row: Sendable, Hashable {
        public var indicator: String
        public var parent: String
        public var area: String
        public var period: Int
        /// The published value, with exactly the indicator's decimals.
        public var value: String
        public var rank: Int
        public var previousRank: Int?
        public var rankChange: Int?

        public init(indicator: String, parent: String, area: String, period: Int, value: String, rank: Int,
                    previousRank: Int?, rankChange: Int?) {
            self.indicator = indicator
            self.parent = parent
            self.area = area
            self.period = period
            self.value = value
            self.rank = rank
            self.previousRank = previousRank
            self.rankChange = rankChange
        }
    }

    public static func write(_ rows: some Sequence<Row>) -> [UInt8] {
        var csv = CSVWriter(header: header)
        for row in rows {
            csv.row([row.indicator, row.parent, row.area, String(row.period), row.value, String(row.rank),
                     row.previousRank.map(String.init) ?? "", row.rankChange.map(String.init) ?? ""])
        }
        return csv.bytes
    }

    public static func read(path: String, displayName: String? = nil) throws -> [Row] {
        let name = displayName ?? path
        let table = try CSVTable.read(path: path, displayName: name)
        let found = try table.columns(header)
        let column = header.map { found[$0]! }
        var rows: [Row] = []
        for (line, cells) in table.rows {
            try ObservationsFile.fieldCount(cells, of: table, line: line)
            guard let period = Int(cells[column[3]]), let rank = Int(cells[column[5]]) else {
                throw YearbookError.input(file: name, line: line, "period or rank does not read as a whole number")
            }
            rows.append(Row(indicator: cells[column[0]], parent: cells[column[1]], area: cells[column[2]], period: period,
                            value: cells[column[4]], rank: rank, previousRank: Int(cells[column[6]]), rankChange: Int(cells[column[7]])))
        }
        return rows
    }
}
