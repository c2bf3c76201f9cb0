import Extract
import YearbookCore

/// Loads the area registry, the indicator dictionary and the chapter list
/// from their CSV files, checking every row. Problems name the file and line.
public enum Dictionaries {
    public static func loadAreas(path: String, displayName: String) throws -> AreaRegistry {
        try loadAreaHierarchy(path: path, displayName: displayName).registry
    }

    /// The registry and every problem that keeps it from being a hierarchy (see
    /// `AreaRegistry.hierarchyProblems`), as errors at the line of the area concerned.
    /// A row that cannot be read at all (a bad code, level or year) is thrown.
    public static func loadAreaHierarchy(path: String, displayName: String) throws -> (registry: AreaRegistry, problems: [Problem]) {
        // Untrimmed, for the names: data/areas.csv is this file's bytes, a leading tab included.
        let table = try CSVTable.read(path: path, displayName: displayName, trimming: false)
        let col = try table.columns(["code", "name_zh", "name_en", "level", "parent", "valid_from", "valid_to", "successor"])
        var areas: [Area] = []
        var seen: [String: Int] = [:]
        var nameProblems: [Problem] = []
        func cell(_ cells: [String], _ name: String) -> String {
            untrimmedCell(cells, name).trimmingASCIISpaces
        }
        func untrimmedCell(_ cells: [String], _ name: String) -> String {
            let index = col[name]!
            return index < cells.count ? cells[index] : ""
        }
        func year(_ text: String, _ line: Int, _ name: String) throws -> Int? {
            if text.isEmpty { return nil }
            guard text.count == 4, let value = Int(text) else {
                throw YearbookError.input(file: displayName, line: line, "\(name) '\(text)' is not a year")
            }
            return value
        }
        for (line, cells) in table.rows {
            let code = cell(cells, "code")
            guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw YearbookError.input(file: displayName, line: line, "area code '\(code)' is not six digits")
            }
            if let first = seen[code] {
                throw YearbookError.input(file: displayName, line: line, "area code \(code) listed twice (first on line \(first))")
            }
            seen[code] = line
            guard let level = AreaLevel(rawValue: cell(cells, "level")) else {
                throw YearbookError.input(file: displayName, line: line, "level '\(cell(cells, "level"))' is not province, prefecture or county")
            }
            nameProblems += ["name_zh", "name_en"].compactMap {
                formulaNameProblem(untrimmedCell(cells, $0), column: $0, code: code, file: displayName, line: line)
            }
            let parent = cell(cells, "parent")
            let successor = cell(cells, "successor")
            areas.append(Area(code: code, nameZH: cell(cells, "name_zh"), nameEN: cell(cells, "name_en"), level: level,
                              parent: parent.isEmpty ? nil : parent,
                              validFrom: try year(cell(cells, "valid_from"), line, "valid_from"),
                              validTo: try year(cell(cells, "valid_to"), line, "valid_to"),
                              successor: successor.isEmpty ? nil : successor))
        }
        let registry = AreaRegistry(areas)
        var problems = registry.hierarchyProblems().map { Problem.error(.registry, $0.message, file: displayName, line: seen[$0.code]) }
        problems += nameProblems
        return (registry, problems)
    }

    /// A name a spreadsheet would run as a formula (as written, or once its spaces are
    /// trimmed): areas.csv is published as it is (data/areas.csv), so it is an error, never copied.
    static func formulaNameProblem(_ name: String, column: String, code: String, file: String, line: Int) -> Problem? {
        func startsAFormula(_ text: String) -> Bool { text.utf8.first.map(SpreadsheetText.formulaStarts.contains) ?? false }
        let trimmed = name.trimmingASCIISpaces
        guard startsAFormula(name) || startsAFormula(trimmed) else { return nil }
        let shown = String(reflecting: name)
        let first = String(reflecting: String(startsAFormula(name) ? name.prefix(1) : trimmed.prefix(1)))
        return .error(.registry, "\(column) \(shown) of area \(code) begins with \(first), which a spreadsheet runs as a formula: write the name without it",
                      file: file, line: line, area: code,
                      messageZH: "地区 \(code) 的 \(column) \(shown) 以 \(first) 开头，电子表格会将其当作公式执行：请去掉该字符")
    }

    public static func loadIndicators(path: String, displayName: String) throws -> [Indicator] {
        let table = try CSVTable.read(path: path, displayName: displayName)
        let col = try table.columns(["code", "chapter", "name_zh", "name_en", "unit", "source", "formula", "additive", "decimals", "rank"])
        var indicators: [Indicator] = []
        for (line, cells) in table.rows {
            func cell(_ name: String) -> String { col[name]! < cells.count ? cells[col[name]!] : "" }
            guard let source = IndicatorSource(rawValue: cell("source")) else {
                throw YearbookError.input(file: displayName, line: line, "source '\(cell("source"))' is not dibao, tekun, submission or derived")
            }
            guard let decimals = Int(cell("decimals")), (0...6).contains(decimals) else {
                throw YearbookError.input(file: displayName, line: line, "decimals '\(cell("decimals"))' is not 0 to 6")
            }
            guard ["yes", "no"].contains(cell("additive")) else {
                throw YearbookError.input(file: displayName, line: line, "additive '\(cell("additive"))' is not yes or no")
            }
            let rank: RankDirection?
            if cell("rank").isEmpty { rank = nil } else {
                guard let direction = RankDirection(rawValue: cell("rank")) else {
                    throw YearbookError.input(file: displayName, line: line, "rank '\(cell("rank"))' is not desc, asc or empty")
                }
                rank = direction
            }
            indicators.append(Indicator(code: cell("code"), chapter: cell("chapter"), nameZH: cell("name_zh"),
                                        nameEN: cell("name_en"), unit: cell("unit"), source: source,
                                        formula: cell("formula"), additive: cell("additive") == "yes",
                                        decimals: decimals, rank: rank))
        }
        return indicators
    }

    public static func loadChapters(path: String, displayName: String) throws -> [Chapter] {
        let table = try CSVTable.read(path: path, displayName: displayName)
        let col = try table.columns(["chapter", "order", "title_zh", "title_en"])
        return try table.rows.map { line, cells in
            func cell(_ name: String) -> String { col[name]! < cells.count ? cells[col[name]!] : "" }
            guard let order = Int(cell("order")) else {
                throw YearbookError.input(file: displayName, line: line, "order '\(cell("order"))' is not a number")
            }
            // The contract's own chapters.csv leaves a comma in the last column unquoted
            // ("Charity, Welfare Lottery and Funeral Services"): extra cells belong to it.
            var titleEN = cell("title_en")
            if col["title_en"]! == table.header.count - 1, cells.count > table.header.count {
                titleEN = cells[col["title_en"]!...].joined(separator: ", ")
            }
            return Chapter(id: cell("chapter"), order: order, titleZH: cell("title_zh"), titleEN: titleEN)
        }.sorted { $0.order < $1.order }
    }
}
