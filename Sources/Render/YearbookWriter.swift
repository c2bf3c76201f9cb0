import Foundation
import YearbookCore

/// The rendered pages of an edition, by path under `<out>/<year>/`: the
/// index, and each chapter with its tables as data.
public enum YearbookWriter {
    /// The index: title and contents; it reads no figure.
    public static func index(_ edition: Edition) -> [String: [UInt8]] {
        ["index.md": Array(MarkdownWriter.index(edition).utf8), "index.html": Array(HTMLWriter.index(edition).utf8)]
    }

    /// The files one chapter's target writes.
    public static func chapterFiles(_ id: String) -> [String] {
        ["chapters/\(id).md", "chapters/\(id).html", "data/tables/\(id).json"]
    }

    /// One chapter as Markdown, HTML and its tables as data (what `yearbook diff` compares).
    public static func chapter(_ chapter: Chapter, edition: Edition, presentation: Presentation) -> [String: [UInt8]] {
        let document = edition.document(for: chapter, presentation: presentation)
        let files = chapterFiles(chapter.id)
        return [files[0]: Array(MarkdownWriter.chapter(document, edition: edition).utf8),
                files[1]: Array(HTMLWriter.chapter(document, edition: edition).utf8),
                files[2]: TablesData(document, edition: edition).json]
    }
}

/// A chapter's tables as data (`data/tables/<chapter>.json`): each cell by
/// table, row area and column, with names beside codes, so that a diff of two
/// editions never reads rendered pages.
public struct TablesData: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        public var id: String
        public var zh: String
        public var en: String
    }

    public struct Row: Codable, Sendable, Equatable {
        public var area: String
        public var cells: [String]
        /// The status mark of each cell (`P`, `E`), empty where none.
        public var marks: [String]
    }

    public struct TableData: Codable, Sendable, Equatable {
        public var id: String
        public var indicator: String
        public var caption: Bilingual
        public var columns: [Column]
        public var rows: [Row]
    }

    public var chapter: String
    public var title: Bilingual
    public var edition: Int
    public var tables: [TableData]

    public init(_ document: ChapterDocument, edition: Edition) {
        chapter = document.chapter.id
        title = Bilingual(zh: document.chapter.titleZH, en: document.chapter.titleEN)
        self.edition = edition.year
        tables = document.tables.map { table in
            TableData(id: table.id, indicator: table.indicator, caption: table.caption,
                      columns: zip(table.columnIDs, table.columns).map { Column(id: $0, zh: $1.zh, en: $1.en) },
                      rows: zip(table.rowAreas, table.rows).map { area, cells in
                          Row(area: area, cells: cells.map(\.text), marks: cells.map { $0.mark ?? "" })
                      })
        }
    }

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self)) + [0x0A]
    }
}
