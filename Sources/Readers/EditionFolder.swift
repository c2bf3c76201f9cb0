import Database
import EditionFiles
import Extract
import Foundation
import Normalize
import Render
import YearbookCore

/// An edition (`<out>/<year>`) read back for comparison, from the typed
/// files the build writes for it: the unified dataset, the ranks, the tables
/// as data and the registry it was built with. Never its rendered pages.
struct EditionFolder {
    struct Cell: Hashable {
        var value: String
        var status: String
        var source: String
    }

    struct TableCell: Hashable {
        var text: String
        var mark: String
    }

    /// One row of a table: its area, the indicator where the row is one indicator's, cells by column id.
    struct TableRow {
        var area: String
        var indicator: String?
        var cells: [String: TableCell]
    }

    /// One table of a chapter: rows by area code (and indicator), cells by column id.
    struct TableData {
        var chapter: String
        var chapterTitle: Bilingual
        var caption: Bilingual
        var indicator: String
        var columns: [(id: String, name: Bilingual, indicator: String?)]
        var rows: [String: TableRow]
    }

    var path: String
    var edition: Int
    /// (area, indicator, period) → cell, from `data/observations.csv`.
    var observations: [ObservationKey: Cell] = [:]
    /// (indicator, area) → rank and published value, from `data/rankings.csv`.
    var ranks: [String: [String: (rank: Int, value: String)]] = [:]
    /// chapter/table id → table, from `data/tables/*.json`.
    var tables: [String: TableData] = [:]
    /// The registry the edition was built with (`data/areas.csv`), if it carries one.
    var registry: AreaRegistry?
    /// Indicator code → name and chapter, from the tables.
    var indicators: [String: (name: Bilingual, chapter: String)] = [:]
    var chapterTitles: [String: Bilingual] = [:]
    /// Every file under the folder, relative path → bytes' hash.
    var files: [String: String] = [:]

    static func load(_ path: String) throws -> EditionFolder {
        do { return try read(path) } catch let error as YearbookError where error.code == .input {
            // diff's exit 1 means "they differ": a file that does not read makes the folder no edition (exit 2).
            throw YearbookError(.usage, "\(path) is not a yearbook edition", cause: error)
        }
    }

    private static func read(_ path: String) throws -> EditionFolder {
        let observationsPath = path + "/" + EditionLayout.observations
        guard POSIX.exists(SystemPath(observationsPath)) else { throw YearbookError.notAnEdition(path: path) }
        var folder = EditionFolder(path: path, edition: 0)
        for row in try ObservationsFile.read(path: observationsPath) {
            folder.observations[row.key] = Cell(value: row.value, status: row.status, source: row.source)
        }
        let periods = Set(folder.observations.keys.map(\.period))
        folder.edition = Manifest.statedEdition(path) ?? Int((path as NSString).lastPathComponent) ?? periods.max() ?? 0
        // A year folder's name (four digits): a damaged manifest or period must not reach the year arithmetic.
        guard (0...9999).contains(folder.edition) else {
            throw YearbookError.notAnEdition(path: path, why: "its edition \(folder.edition) is not a year")
        }
        let rankingsPath = path + "/" + EditionLayout.rankings
        if POSIX.exists(SystemPath(rankingsPath)) {
            for row in try RankingsFile.read(path: rankingsPath) {
                folder.ranks[row.indicator, default: [:]][row.area] = (row.rank, row.value)
            }
        }
        if POSIX.exists(SystemPath(path + "/" + EditionLayout.areas)) {
            folder.registry = try? Dictionaries.loadAreas(path: path + "/" + EditionLayout.areas, displayName: EditionLayout.areas)
        }
        let tablesFolder = path + "/" + EditionLayout.tablesFolder
        let tableFiles = ((try? POSIX.folderEntries(SystemPath(tablesFolder))) ?? []).map { String(decoding: $0, as: UTF8.self) }
        for file in tableFiles.sorted() where file.hasSuffix(".json") {
            guard let bytes = try? POSIX.readFile(SystemPath(tablesFolder + "/" + file)),
                  let chapter = try? JSONDecoder().decode(TablesData.self, from: Data(bytes)) else {
                throw YearbookError.notAnEdition(path: path, why: "\(EditionLayout.tablesFolder)/\(file) does not read")
            }
            folder.chapterTitles[chapter.chapter] = chapter.title
            for indicator in chapter.indicators {
                folder.indicators[indicator.code] = (Bilingual(zh: indicator.zh, en: indicator.en), chapter.chapter)
            }
            for table in chapter.tables {
                var rows: [String: TableRow] = [:]
                for row in table.rows {
                    var cells: [String: TableCell] = [:]
                    for (index, column) in table.columns.enumerated() where index < row.cells.count {
                        // A withheld cell (null) reads as the pages print it.
                        cells[column.id] = TableCell(text: row.cells[index] ?? NumberFormat.withheld, mark: index < row.marks.count ? row.marks[index] : "")
                    }
                    rows[TableRow.key(area: row.area, indicator: row.indicator)] = TableRow(area: row.area, indicator: row.indicator, cells: cells)
                }
                folder.tables[chapter.chapter + "/" + table.id] = TableData(
                    chapter: chapter.chapter, chapterTitle: chapter.title, caption: table.caption, indicator: table.indicator ?? "",
                    columns: table.columns.map { ($0.id, Bilingual(zh: $0.zh, en: $0.en), $0.indicator) }, rows: rows)
            }
        }
        for file in ((try? POSIX.regularFiles(under: SystemPath(path))) ?? []).sorted() {
            guard !file.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            folder.files[file] = (try? FileByteStream.digest(path: path + "/" + file)) ?? ""
        }
        return folder
    }

    /// Where a figure was read, from the edition's lineage (`data/yearbook.sqlite`): the file and line of
    /// the roster or message it was taken from. nil for a sum or a formula, or an edition without a database.
    static func origin(of key: ObservationKey, in db: SQLiteConnection?) -> String? {
        guard let row = try? db?.rows("""
                  SELECT file, line FROM lineage WHERE area_code = ? AND indicator = ? AND period = ?
                      AND role IN ('roster', 'submission') ORDER BY step LIMIT 1
                  """, [.text(key.area), .text(key.indicator), .integer(key.period)]).first,
              let file = row[0].text else { return nil }
        return file + (row[1].integer.map { ", line \($0)" } ?? "")
    }

    /// The edition's database, for `origin(of:in:)`; nil where it has none.
    func database() -> SQLiteConnection? {
        let path = self.path + "/" + EditionLayout.database
        return POSIX.exists(SystemPath(path)) ? try? SQLiteConnection.readOnly(path: path) : nil
    }

    /// `株洲市 430200`, or the code where the registry does not hold it.
    func areaName(_ code: String) -> String {
        guard let area = registry?[code] else { return code }
        return "\(area.nameZH) \(code)"
    }

    /// `城市低保对象 DIBAO_PERSONS_U`, or the code where no table names it.
    func indicatorName(_ code: String) -> String {
        guard let name = indicators[code]?.name else { return code }
        return "\(name.zh) \(code)"
    }
}

extension EditionFolder.TableRow {
    /// A row is the same row in two editions when its area (followed across successions) and indicator are.
    static func key(area: String, indicator: String?) -> String { indicator.map { "\(area) \($0)" } ?? area }
}

extension YearbookError {
    /// A folder that `diff` cannot compare: not a yearbook edition (a usage error).
    public static func notAnEdition(path: String, why: String = "no \(EditionLayout.observations)") -> YearbookError {
        .usage("\(path) is not a yearbook edition (\(why))")
    }
}
