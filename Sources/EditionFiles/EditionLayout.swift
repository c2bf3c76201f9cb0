import Foundation

/// Where each machine-readable file of an edition (`<out>/<year>/`) lives. The build writes them and
/// `diff`, `verify`, `explain` and the history of later editions read them by these names.
public enum EditionLayout {
    public static let manifest = "manifest.json"
    public static let observations = "data/observations.csv"
    public static let rankings = "data/rankings.csv"
    public static let areas = "data/areas.csv"
    /// The unified dataset as an SDMX-ML 2.1 structure-specific data message.
    public static let sdmx = "data/observations.xml"
    public static let database = "data/yearbook.sqlite"
    public static let tablesFolder = "data/tables"

    /// `data/tables/<chapter>.json`: a chapter's tables as data.
    public static func tables(chapter: String) -> String { "\(tablesFolder)/\(chapter).json" }

    /// The folder of the bureau's own reports: rejected records with household ids, the input files' names.
    public static let reportsFolder = "reports"

    /// Whether a reader may see an output: the pages, charts, workbook and public data. Never the
    /// reports or the database (household ids, rejected records, input file names, lineage).
    public static func isPublic(_ file: String) -> Bool {
        let pages = ["index.html", "index.md", "definitions.html", "definitions.md", "yearbook.xlsx"]
        let data = [observations, rankings, areas, sdmx]
        return pages.contains(file) || data.contains(file) || file.hasPrefix("chapters/") || file.hasPrefix(tablesFolder + "/")
    }
}

/// The one JSON form of the edition's files and of the commands' `--json`: keys sorted, indented,
/// slashes unescaped, a final line break, so that two builds of the same inputs write the same bytes.
public enum EditionJSON {
    public static func encoded<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(value)) + [0x0A]
    }

    /// The same without the final line break, for a command that prints it as a line.
    public static func text<T: Encodable>(_ value: T) -> String {
        var bytes = encoded(value)
        bytes.removeLast()
        return String(decoding: bytes, as: UTF8.self)
    }
}
