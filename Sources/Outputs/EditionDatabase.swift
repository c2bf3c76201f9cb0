import Aggregate
import Database
import Definition
import EditionFiles
import Extract
import Foundation
import Normalize
import Render
import YearbookCore

/// `data/yearbook.sqlite`: the edition as a database a statistician can query
/// (`sqlite3`, Datasette), every figure a number to SQL with its exact digits
/// beside it (`value`, `value_exact`): the unified dataset exactly as `observations.csv`,
/// ranks, inputs, rejects, problems, lineage, year-over-year changes as the
/// chapters print them, views with names and units and one wide view per chapter.
public enum EditionDatabase {
    public static let fileName = EditionLayout.database

    /// Writes the database at `path`: a fixed page size and one transaction in a
    /// fixed order (each table filled in its key's order, the indexes made after),
    /// so the same build gives the same bytes; memory holds SQLite's page cache,
    /// not the database. No VACUUM: a file that was only ever appended to has no
    /// free pages to reclaim, and VACUUM would write every page twice more.
    /// `areas`: the entry of the `areas.csv` the build read (its size and digest), as the manifest has it.
    public static func write(path: String, _ result: StageResults, registry: AreaRegistry, areas: Manifest.FileEntry,
                             definition: PipelineDefinition, subject: String) throws {
        let db = try SQLiteConnection.create(path: path)
        // A new file in the staging folder, swapped in whole or dropped: no journal needed.
        try db.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;")
        try db.execute(schema)
        try insertEdition(db, result, subject: subject)
        try insertAreas(db, registry)
        try insertIndicators(db, definition.indicators)
        // The order of the observations, lineage and changes tables (their keys): sorted once.
        let order = ObservationKey.sorted(result.observations.keys)
        try insertObservations(db, result.observations, in: order)
        try insert(db, "rankings", result.rankings.map { row in
            [.text(row.indicator), .text(row.parent), .text(row.area), .integer(row.period)] + figure(row.published)
            + [.integer(row.rank), SQLiteValue(row.previousRank), SQLiteValue(row.rankChange)]
        })
        try insertInputs(db, result, areas: areas)
        try insertProblems(db, result.problems)
        try insertLineage(db, result, in: order, registry: registry, indicators: definition.indicators)
        try insertChanges(db, result, in: order, registry: registry, indicators: definition.indicators)
        try insertWithheld(db, result)
        try db.execute(indexes)
        try db.execute(namedViews)
        for chapter in definition.chapters {
            try db.execute(chapterView(chapter, definition: definition, registry: registry, subject: subject, year: result.year))
        }
        try db.execute("COMMIT;")
    }

    static let schema = """
        CREATE TABLE edition (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE areas (code TEXT PRIMARY KEY, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, level TEXT NOT NULL,
            parent TEXT, valid_from INTEGER, valid_to INTEGER, successor TEXT) WITHOUT ROWID;
        CREATE TABLE indicators (code TEXT PRIMARY KEY, chapter TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
            unit TEXT NOT NULL, source TEXT NOT NULL, formula TEXT, additive INTEGER NOT NULL, decimals INTEGER NOT NULL,
            rank TEXT) WITHOUT ROWID;
        CREATE TABLE observations (area_code TEXT NOT NULL, indicator TEXT NOT NULL, period INTEGER NOT NULL,
            value NUMERIC, value_exact TEXT, status TEXT NOT NULL, source TEXT NOT NULL);
        CREATE TABLE rankings (indicator TEXT NOT NULL, parent_code TEXT NOT NULL, area_code TEXT NOT NULL, period INTEGER NOT NULL,
            value NUMERIC NOT NULL, value_exact TEXT NOT NULL, rank INTEGER NOT NULL, previous_rank INTEGER, rank_change INTEGER);
        CREATE TABLE inputs (file TEXT PRIMARY KEY, kind TEXT NOT NULL, year INTEGER, county TEXT, roster TEXT,
            bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, encoding TEXT, rows_read INTEGER, accepted INTEGER, inactive INTEGER,
            rejected INTEGER, form TEXT, prepared TEXT, observations_read INTEGER, observations_kept INTEGER,
            other_periods INTEGER, skipped INTEGER) WITHOUT ROWID;
        CREATE TABLE rejects (file TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL, raw TEXT NOT NULL);
        CREATE TABLE problems (severity TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL, file TEXT, line INTEGER,
            area_code TEXT, indicator TEXT, period INTEGER);
        CREATE TABLE lineage (area_code TEXT NOT NULL, indicator TEXT NOT NULL, period INTEGER NOT NULL, step INTEGER NOT NULL,
            role TEXT NOT NULL, file TEXT, line INTEGER, sha256 TEXT, rows_read INTEGER, accepted INTEGER, inactive INTEGER,
            rejected INTEGER, prepared TEXT, value NUMERIC, value_exact TEXT, operand_area TEXT, operand_indicator TEXT,
            operand_period INTEGER, difference NUMERIC, difference_exact TEXT, tolerance NUMERIC, tolerance_exact TEXT, note TEXT);
        CREATE TABLE changes (area_code TEXT NOT NULL, indicator TEXT NOT NULL, period INTEGER NOT NULL,
            value NUMERIC NOT NULL, value_exact TEXT NOT NULL, published NUMERIC NOT NULL, published_exact TEXT NOT NULL,
            previous_area TEXT, previous_value NUMERIC, previous_value_exact TEXT, previous_published NUMERIC,
            previous_published_exact TEXT, change NUMERIC, change_exact TEXT, change_printed TEXT, change_kind TEXT NOT NULL,
            rank INTEGER, previous_rank INTEGER, rank_change INTEGER);
        """

    /// Indexes for a statistician's lookups, made once the rows are in (faster than kept up row by row).
    /// The three large tables' keys are unique indexes made here too, not a primary key that every
    /// insert would search (a national build inserts 370,000 rows into them).
    static let indexes = """
        CREATE UNIQUE INDEX observations_key ON observations (area_code, indicator, period);
        CREATE UNIQUE INDEX lineage_key ON lineage (area_code, indicator, period, step);
        CREATE UNIQUE INDEX changes_key ON changes (area_code, indicator);
        CREATE INDEX areas_by_parent ON areas (parent);
        CREATE INDEX areas_by_name ON areas (name_zh);
        CREATE INDEX observations_by_indicator ON observations (indicator, period);
        CREATE INDEX rankings_by_area ON rankings (area_code, indicator);
        CREATE INDEX rankings_by_parent ON rankings (indicator, parent_code, rank);
        CREATE INDEX rejects_by_file ON rejects (file, line);
        CREATE INDEX rejects_by_reason ON rejects (reason);
        CREATE INDEX problems_by_cell ON problems (area_code, indicator, period);
        CREATE INDEX problems_by_file ON problems (file, line);
        CREATE INDEX lineage_by_operand ON lineage (operand_area, operand_indicator, operand_period);
        CREATE INDEX lineage_by_file ON lineage (file);
        CREATE INDEX changes_by_indicator ON changes (indicator);
        """

    /// The tables with the names of areas and indicators and the unit beside the codes.
    static let namedViews = """
        CREATE VIEW observations_named AS
            SELECT o.area_code, a.name_zh AS area_zh, a.name_en AS area_en, a.level, a.parent, o.indicator,
                   i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.unit, i.chapter, o.period, o.value, o.value_exact,
                   o.status, o.source
            FROM observations o LEFT JOIN areas a ON a.code = o.area_code LEFT JOIN indicators i ON i.code = o.indicator;
        CREATE VIEW changes_named AS
            SELECT c.area_code, a.name_zh AS area_zh, a.name_en AS area_en, a.level, c.indicator,
                   i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.unit, i.chapter, c.period, c.value, c.value_exact,
                   c.published, c.published_exact, c.previous_area, c.previous_value, c.previous_value_exact,
                   c.previous_published, c.previous_published_exact, c.change, c.change_exact, c.change_printed,
                   c.change_kind, c.rank, c.previous_rank, c.rank_change
            FROM changes c LEFT JOIN areas a ON a.code = c.area_code LEFT JOIN indicators i ON i.code = c.indicator;
        CREATE VIEW rankings_named AS
            SELECT r.indicator, i.name_zh AS indicator_zh, i.name_en AS indicator_en, i.unit, r.parent_code,
                   p.name_zh AS parent_zh, r.area_code, a.name_zh AS area_zh, a.name_en AS area_en, r.period, r.value,
                   r.value_exact, r.rank, r.previous_rank, r.rank_change
            FROM rankings r LEFT JOIN areas a ON a.code = r.area_code LEFT JOIN areas p ON p.code = r.parent_code
            LEFT JOIN indicators i ON i.code = r.indicator;
        """

    /// The figures withheld from release, with why: a table only where something is withheld, so that an
    /// edition without one keeps the database it had.
    static func insertWithheld(_ db: SQLiteConnection, _ result: StageResults) throws {
        let withholding = result.disclosure.withholding
        guard !withholding.isEmpty else { return }
        try db.execute("""
            CREATE TABLE withheld (area_code TEXT NOT NULL, indicator TEXT NOT NULL, period INTEGER NOT NULL,
                conf_status TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (area_code, indicator, period)) WITHOUT ROWID;
            """)
        try insert(db, "withheld", ObservationKey.sorted(withholding.cells.keys).map { key in
            [.text(key.area), .text(key.indicator), .integer(key.period), .text(withholding.cells[key]!.rawValue),
             .text(result.disclosure.reasons[key] ?? "")]
        })
    }

    static func insert(_ db: SQLiteConnection, _ table: String, _ rows: [[SQLiteValue]]) throws {
        guard let width = rows.first?.count else { return }
        let statement = try db.prepare("INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))")
        for row in rows { try statement.run(row) }
    }

    /// A figure as two columns: the number SQL compares, sums and sorts (the column's NUMERIC
    /// affinity stores the decimal text as an INTEGER or REAL), and beside it the exact decimal
    /// digits as text (`_exact`), which a REAL may not hold.
    static func figure(_ text: String?) -> [SQLiteValue] { [SQLiteValue(text), SQLiteValue(text)] }

    /// A figure's two columns appended to a row (as `figure`), with no array of its own.
    static func appendFigure(_ text: String?, to row: inout [SQLiteValue]) {
        let value = SQLiteValue(text)
        row.append(value)
        row.append(value)
    }

    static func insertEdition(_ db: SQLiteConnection, _ result: StageResults, subject: String) throws {
        try insert(db, "edition", [["periods", .text("\(result.year - 1) \(result.year)")], ["subject", .text(subject)],
                                   ["tool", .text("yearbook \(YearbookVersion.current)")], ["year", .text(String(result.year))]])
    }

    static func insertAreas(_ db: SQLiteConnection, _ registry: AreaRegistry) throws {
        try insert(db, "areas", registry.codes.map { code in
            let area = registry[code]!
            return [.text(code), .text(area.nameZH), .text(area.nameEN), .text(area.level.rawValue), SQLiteValue(area.parent),
                    SQLiteValue(area.validFrom), SQLiteValue(area.validTo), SQLiteValue(area.successor)]
        })
    }

    static func insertIndicators(_ db: SQLiteConnection, _ indicators: [Indicator]) throws {
        try insert(db, "indicators", indicators.sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }.map { indicator in
            [.text(indicator.code), .text(indicator.chapter), .text(indicator.nameZH), .text(indicator.nameEN),
             .text(indicator.unit), .text(indicator.source.rawValue), SQLiteValue(indicator.formula.isEmpty ? nil : indicator.formula),
             .integer(indicator.additive ? 1 : 0), .integer(indicator.decimals), SQLiteValue(indicator.rank?.rawValue)]
        })
    }

    static func insertObservations(_ db: SQLiteConnection, _ observations: [ObservationKey: Observation],
                                   in order: [ObservationKey]) throws {
        let statement = try db.prepare("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?)")
        // One row's values, refilled for each row: a national build inserts a hundred thousand.
        var row: [SQLiteValue] = []
        row.reserveCapacity(7)
        for key in order {
            let observation = observations[key]!
            let value = DataFiles.valueText(observation)
            row.removeAll(keepingCapacity: true)
            row.append(.text(key.area))
            row.append(.text(key.indicator))
            row.append(.integer(key.period))
            appendFigure(value.isEmpty ? nil : value, to: &row)
            row.append(.text(observation.status.rawValue))
            row.append(.text(observation.source.rawValue))
            try statement.run(row)
        }
    }

    static func insertInputs(_ db: SQLiteConnection, _ result: StageResults, areas: Manifest.FileEntry) throws {
        var rows: [[SQLiteValue]] = []
        rows.append(["areas.csv", "registry", .null, .null, .null, .integer(areas.bytes), .text(areas.sha256),
                     .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null])
        for file in result.rosters {
            rows.append([.text(file.file), "roster", .integer(file.year), .text(file.county), .text(file.roster),
                         .integer(file.bytesOnDisk), .text(file.sha256), .text(file.encoding.rawValue), .integer(file.rowsRead),
                         .integer(file.accepted), .integer(file.inactive), .integer(file.rejected),
                         .null, .null, .null, .null, .null, .null])
        }
        for file in result.submissions {
            rows.append([.text(file.file), "submission", .null, .null, .null, .integer(file.bytesOnDisk), .text(file.sha256),
                         .null, .null, .null, .null, .null, .text(file.form.rawValue), SQLiteValue(file.header.prepared),
                         .integer(file.observationsRead), .integer(file.observations.count), .integer(file.otherPeriods),
                         .integer(file.skipped)])
        }
        try insert(db, "inputs", rows.sorted { ($0[0].text ?? "") < ($1[0].text ?? "") })
        let rejects = try db.prepare("INSERT INTO rejects VALUES (?, ?, ?, ?)")
        for file in result.rosters.sorted(by: { $0.file < $1.file }) {
            try file.rejects.forEach { row in try rejects.run([.text(row.file), .integer(row.line), .text(row.reason), .text(row.raw)]) }
        }
    }

    static func insertProblems(_ db: SQLiteConnection, _ problems: ProblemList) throws {
        let statement = try db.prepare("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        var row: [SQLiteValue] = []
        row.reserveCapacity(8)
        try problems.forEach { problem in
            row.removeAll(keepingCapacity: true)
            row.append(.text(problem.severity.rawValue))
            row.append(.text(problem.kind.rawValue))
            row.append(.text(problem.message))
            row.append(SQLiteValue(problem.file))
            row.append(SQLiteValue(problem.line))
            row.append(SQLiteValue(problem.area))
            row.append(SQLiteValue(problem.indicator))
            row.append(SQLiteValue(problem.period))
            try statement.run(row)
        }
    }

    static func insertLineage(_ db: SQLiteConnection, _ result: StageResults, in order: [ObservationKey], registry: AreaRegistry,
                              indicators: [Indicator]) throws {
        let statement = try db.prepare("INSERT INTO lineage VALUES (\(Array(repeating: "?", count: 23).joined(separator: ", ")))")
        var row: [SQLiteValue] = []
        row.reserveCapacity(23)
        try ObservationLineage.forEachObservation(result, in: order, registry: registry, indicators: indicators) { key, steps in
            for (offset, step) in steps.enumerated() {
                row.removeAll(keepingCapacity: true)
                row.append(.text(key.area))
                row.append(.text(key.indicator))
                row.append(.integer(key.period))
                row.append(.integer(offset + 1))
                row.append(.text(step.role.rawValue))
                row.append(SQLiteValue(step.file))
                row.append(SQLiteValue(step.line))
                row.append(SQLiteValue(step.sha256))
                row.append(SQLiteValue(step.rowsRead))
                row.append(SQLiteValue(step.accepted))
                row.append(SQLiteValue(step.inactive))
                row.append(SQLiteValue(step.rejected))
                row.append(SQLiteValue(step.prepared))
                appendFigure(step.value, to: &row)
                row.append(SQLiteValue(step.operand?.area))
                row.append(SQLiteValue(step.operand?.indicator))
                row.append(SQLiteValue(step.operand?.period))
                appendFigure(step.difference, to: &row)
                appendFigure(step.tolerance, to: &row)
                row.append(SQLiteValue(step.note))
                try statement.run(row)
            }
        }
    }

    /// For every area and indicator with a value in the build year: the figures,
    /// change and ranks exactly as the chapters compute and print them.
    static func insertChanges(_ db: SQLiteConnection, _ result: StageResults, in order: [ObservationKey], registry: AreaRegistry,
                              indicators: [Indicator]) throws {
        let byCode = Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) })
        var ranks: [String: [String: RankingRow]] = [:]
        for row in result.rankings { ranks[row.indicator, default: [:]][row.area] = row }
        let statement = try db.prepare("INSERT INTO changes VALUES (\(Array(repeating: "?", count: 19).joined(separator: ", ")))")
        var row: [SQLiteValue] = []
        row.reserveCapacity(19)
        for key in order where key.period == result.year {
            guard let indicator = byCode[key.indicator], let current = result.observations[key],
                  let value = current.usableValue else { continue }
            let yoy = YearOverYear.lookup(area: key.area, indicator: key.indicator, year: result.year,
                                          observations: result.observations, registry: registry)
            let previous = yoy.previous?.usableValue
            let change = yoy.change(for: indicator)
            let rank = ranks[key.indicator]?[key.area]
            row.removeAll(keepingCapacity: true)
            row.append(.text(key.area))
            row.append(.text(key.indicator))
            row.append(.integer(key.period))
            appendFigure(DataFiles.valueText(current), to: &row)
            appendFigure(value.formatted(decimals: indicator.decimals), to: &row)
            row.append(SQLiteValue(yoy.previous?.area))
            appendFigure(yoy.previous.map(DataFiles.valueText).flatMap { $0.isEmpty ? nil : $0 }, to: &row)
            appendFigure(previous?.formatted(decimals: indicator.decimals), to: &row)
            appendFigure(change?.formatted(decimals: 1), to: &row)
            row.append(SQLiteValue(change.map { NumberFormat.change($0, inPoints: indicator.changeIsInPoints) }))
            row.append(.text(indicator.changeIsInPoints ? "percentage points" : "percent"))
            row.append(SQLiteValue(rank?.rank))
            row.append(SQLiteValue(rank?.previousRank))
            row.append(SQLiteValue(rank?.rankChange))
            try statement.run(row)
        }
    }

    /// A chapter's tables side by side: the subject and its areas (the rows of
    /// every table of the chapter), and for each indicator of the chapter its
    /// published value, last year's, the change as printed, and the rank.
    static func chapterView(_ chapter: Chapter, definition: PipelineDefinition, registry: AreaRegistry,
                            subject: String, year: Int) -> String {
        var codes: [String] = []
        for code in definition.presentation.layout(of: chapter.id).tables?.flatMap(\.indicatorCodes)
            ?? definition.indicators.filter({ $0.chapter == chapter.id }).map(\.code) where !codes.contains(code) {
            codes.append(code)
        }
        let areas = [subject] + registry.children(of: subject, in: year)
        let rows = areas.enumerated().map { "(\($0.offset + 1), \(literal($0.element)))" }.joined(separator: ", ")
        var columns = ["rows.area_code", "a.name_zh AS area_zh", "a.name_en AS area_en"]
        for code in codes {
            for (field, suffix) in [("published", ""), ("previous_published", "_previous"), ("change_printed", "_change"), ("rank", "_rank")] {
                columns.append("MAX(CASE WHEN c.indicator = \(literal(code)) THEN c.\(field) END) AS \(identifier(code + suffix))")
            }
        }
        return """
            CREATE VIEW \(identifier(viewName(chapter))) AS
                WITH rows(position, area_code) AS (VALUES \(rows))
                SELECT \(columns.joined(separator: ",\n        "))
                FROM rows LEFT JOIN areas a ON a.code = rows.area_code LEFT JOIN changes c ON c.area_code = rows.area_code
                GROUP BY rows.position ORDER BY rows.position;
            """
    }

    /// `chapter_social_assistance` for the chapter `social-assistance`: a name SQL takes unquoted.
    public static func viewName(_ chapter: Chapter) -> String {
        "chapter_" + chapter.id.replacingOccurrences(of: "-", with: "_")
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    static func identifier(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
