import Extract
import YearbookCore

/// `data/withheld.csv`, the figures withheld from release (internal; never released): written by the
/// build when something is withheld, read by `release` and by the history of later editions, so that a
/// figure withheld once stays withheld. No file means nothing was withheld.
public enum WithheldFile {
    public static let path = "data/withheld.csv"
    public static let header = ["area_code", "indicator", "period", "conf_status"]

    /// The rows in the contract's order (area, indicator, period).
    public static func write(_ withholding: Withholding) -> [UInt8] {
        var csv = CSVWriter(header: header)
        for key in ObservationKey.sorted(withholding.cells.keys) {
            csv.row([key.area, key.indicator, String(key.period), withholding.cells[key]!.rawValue])
        }
        return csv.bytes
    }

    /// The file at `path` (named `displayName` in errors). A row whose period is not a year or whose
    /// status is neither `A` nor `D` is an input error naming its line.
    public static func read(path: String, displayName: String? = nil) throws -> Withholding {
        let name = displayName ?? path
        let table = try CSVTable.read(path: path, displayName: name)
        let found = try table.columns(header)
        let column = header.map { found[$0]! }
        var cells: [ObservationKey: Confidentiality] = [:]
        for (line, row) in table.rows {
            try ObservationsFile.fieldCount(row, of: table, line: line)
            guard let period = Int(row[column[2]]) else {
                throw YearbookError.input(file: name, line: line, "period '\(row[column[2]])' is not a year")
            }
            guard let status = Confidentiality(rawValue: row[column[3]]) else {
                throw YearbookError.input(file: name, line: line, "conf_status '\(row[column[3]])' is neither A (primary) nor D (secondary)")
            }
            cells[ObservationKey(area: row[column[0]], indicator: row[column[1]], period: period)] = status
        }
        return Withholding(cells: cells)
    }
}
