import YearbookCore

/// A chapter's tables as data (`data/tables/<chapter>.json`): each cell by
/// table, row area and column, with names beside codes, so that a diff of two
/// editions never reads rendered pages.
public struct TablesData: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        public var id: String
        public var zh: String
        public var en: String
        /// The indicator the column shows, where it is one indicator's (a topic table).
        public var indicator: String?

        public init(id: String, zh: String, en: String, indicator: String?) {
            self.id = id
            self.zh = zh
            self.en = en
            self.indicator = indicator
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var area: String
        /// The indicator the row shows, where it is one indicator's (key figures, history).
        public var indicator: String?
        /// Each cell's text; null where the figure is withheld from release.
        public var cells: [String?]
        /// The status mark of each cell (`P`, `E`), empty where none.
        public var marks: [String]
        /// Where a cell of the row is withheld: each cell's SDMX `CONF_STATUS` (`A` primary, `D` secondary),
        /// empty where published; absent from a row that withholds nothing.
        public var confStatus: [String]?

        enum CodingKeys: String, CodingKey {
            case area, indicator, cells, marks
            case confStatus = "conf_status"
        }

        public init(area: String, indicator: String?, cells: [String?], marks: [String], confStatus: [String]? = nil) {
            self.area = area
            self.indicator = indicator
            self.cells = cells
            self.marks = marks
            self.confStatus = confStatus
        }
    }

    public struct TableData: Codable, Sendable, Equatable {
        public var id: String
        public var indicator: String?
        public var caption: Bilingual
        public var columns: [Column]
        public var rows: [Row]

        public init(id: String, indicator: String?, caption: Bilingual, columns: [Column], rows: [Row]) {
            self.id = id
            self.indicator = indicator
            self.caption = caption
            self.columns = columns
            self.rows = rows
        }
    }

    /// An indicator the tables show, by code, with its names.
    public struct IndicatorName: Codable, Sendable, Equatable {
        public var code: String
        public var zh: String
        public var en: String

        public init(code: String, zh: String, en: String) {
            self.code = code
            self.zh = zh
            self.en = en
        }
    }

    public var chapter: String
    public var title: Bilingual
    public var edition: Int
    public var indicators: [IndicatorName]
    public var tables: [TableData]

    public init(chapter: String, title: Bilingual, edition: Int, indicators: [IndicatorName], tables: [TableData]) {
        self.chapter = chapter
        self.title = title
        self.edition = edition
        self.indicators = indicators
        self.tables = tables
    }

    public var json: [UInt8] { EditionJSON.encoded(self) }
}
