import Database
import EditionFiles
import Foundation
import Render
import YearbookCore

/// `yearbook explain`: where one figure of an edition comes from, read from
/// the edition's database, as a tree down to files and rows.
public struct Explanation: Encodable, Sendable {
    /// One figure and what it was made from.
    public final class Figure: Encodable, Sendable {
        public let area: String
        public let areaZH: String
        public let areaEN: String
        public let indicator: String
        public let indicatorZH: String
        public let unit: String
        public let period: Int
        /// Exact decimal text in the base unit; nil when missing.
        public let value: String?
        public let status: String
        public let source: String
        /// The formula of a derived figure.
        public let formula: String?
        public let steps: [Step]

        init(area: String, areaZH: String, areaEN: String, indicator: String, indicatorZH: String, unit: String, period: Int,
             value: String?, status: String, source: String, formula: String?, steps: [Step]) {
            self.area = area
            self.areaZH = areaZH
            self.areaEN = areaEN
            self.indicator = indicator
            self.indicatorZH = indicatorZH
            self.unit = unit
            self.period = period
            self.value = value
            self.status = status
            self.source = source
            self.formula = formula
            self.steps = steps
        }
    }

    /// A row of the `lineage` table; an operand's figure is traced in turn.
    public struct Step: Encodable, Sendable {
        public var recorded: LineageStep
        public var operand: Figure?

        enum CodingKeys: CodingKey { case operand }

        public func encode(to encoder: Encoder) throws {
            try recorded.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(operand, forKey: .operand)
        }
    }

    /// The figure as the chapters print it (the build year's, and last year's as this year's tables show it).
    public struct Published: Encodable, Sendable {
        /// `374`: rounded once from the exact value to the indicator's decimals.
        public var value: String
        public var decimals: Int
        /// Year-over-year change as printed (`+6.1%`, `+18.4 pp`), with last year's published figure.
        public var change: String?
        public var previous: String?
        /// Rank as printed (`3`, `1/1`) and its move (`↑2`, `=`), where the indicator is ranked.
        public var rank: String?
        public var rankMove: String?
    }

    public var edition: Int
    public var figure: Figure
    public var published: Published?
    /// Why a figure has no value (a part missing or `M`, children incomplete, a zero denominator),
    /// and the problems the build reported about it.
    public var why: [String] = []
    /// Whether the figure is withheld from release and why (`withheld from release: A, primary: 2 persons <
    /// disclosure.min_units 3`); nil where it is published.
    public var withheld: String?

    /// `edition`: an edition folder (`output/2019`); `area` and `indicator` by
    /// code or by name; `period` the edition's year unless given.
    public static func load(edition: String, area: String, indicator: String, period: Int?) throws -> Explanation {
        let path = (edition as NSString).appendingPathComponent(EditionLayout.database)
        guard POSIX.exists(SystemPath(path)) else {
            throw YearbookError.usage("\(edition) is not an edition with a database: no \(EditionLayout.database)")
        }
        let db = try SQLiteConnection.readOnly(path: path)
        let schema = try Schema(db)
        guard let year = try db.rows("SELECT value FROM edition WHERE key = 'year'").first?.first?.text.flatMap({ Int($0) }) else {
            throw YearbookError.usage("\(path) has no edition year")
        }
        // Both names are resolved before either is refused: one run tells everything to correct.
        let areaCode = Result { try resolve(db, table: "areas", what: "area", given: area) }
        let indicatorCode = Result { try resolve(db, table: "indicators", what: "indicator", given: indicator) }
        guard case .success(let areaCode) = areaCode, case .success(let indicatorCode) = indicatorCode else {
            let refused = [areaCode, indicatorCode].compactMap { result -> Error? in
                if case .failure(let error) = result { return error } else { return nil }
            }
            guard refused.count == 2, let first = refused[0] as? YearbookError, let second = refused[1] as? YearbookError,
                  first.code == .usage, second.code == .usage else { throw refused[0] }
            throw YearbookError.usage("\(first.message); \(second.message)")
        }
        let key = (area: areaCode, indicator: indicatorCode, period: period ?? year)
        if let figure = try figure(db, key, schema: schema, depth: 0) {
            var explanation = Explanation(edition: year, figure: figure)
            explanation.published = try published(db, figure, schema: schema, year: year)
            if figure.value == nil { explanation.why = try whyEmpty(figure) + problems(db, key) }
            explanation.withheld = try withheld(db, key)
            return explanation
        }
        // A figure of the edition's periods without a row: no value and no status. Why is the answer.
        guard key.period == year || key.period == year - 1, let empty = try emptyFigure(db, key, schema: schema) else {
            // A period the edition does not hold: the edition, read as input, lacks it (exit 1).
            throw YearbookError(.input, "\(areaCode) \(indicatorCode) \(key.period) has no value or status in the edition \(year)")
        }
        var explanation = Explanation(edition: year, figure: empty)
        explanation.why = try whyEmpty(empty) + problems(db, key)
        return explanation
    }

    /// Where the exact figures are: `value_exact` beside the numeric `value`, or, in an edition
    /// written before figures were numbers to SQL, `value` itself.
    struct Schema {
        var exact: Bool

        init(_ db: SQLiteConnection) throws {
            exact = try !db.rows("SELECT 1 FROM pragma_table_info('observations') WHERE name = 'value_exact'").isEmpty
        }

        func column(_ name: String) -> String { exact ? name + "_exact" : name }
    }

    /// A code, or the one row whose Chinese or English name is `given` (English ignoring case). A name that
    /// is part of names (`株洲` of `株洲市`, `低保对象` of `城市低保对象`) is not guessed at: the candidates are listed.
    static func resolve(_ db: SQLiteConnection, table: String, what: String, given: String) throws -> String {
        let matches = try db.rows("SELECT code FROM \(table) WHERE code = ?1 OR name_zh = ?1 OR lower(name_en) = lower(?1) ORDER BY code",
                                  [.text(given)]).compactMap { $0.first?.text }
        if matches.count == 1 { return matches[0] }
        if let exact = matches.first(where: { $0 == given }) { return exact }
        let wanted = given.trimmingCharacters(in: .whitespaces)
        guard matches.isEmpty else {
            throw YearbookError.usage("\(what) '\(given)' names \(matches.count) \(table): \(try names(db, table, matches)); give the code")
        }
        // instr, not LIKE: a name's own % or _ are letters here.
        let candidates = wanted.isEmpty ? [] : try db.rows("""
            SELECT code FROM \(table) WHERE instr(name_zh, ?1) > 0 OR instr(lower(name_en), lower(?1)) > 0
                OR instr(?1, name_zh) > 0 OR instr(upper(code), upper(?1)) > 0 ORDER BY code LIMIT 11
            """, [.text(wanted)]).compactMap { $0.first?.text }
        guard !candidates.isEmpty else {
            throw YearbookError.usage("unknown \(what) '\(given)': neither a code nor a name in the edition's \(table)")
        }
        let more = candidates.count > 10 ? ", …" : ""
        throw YearbookError.usage("unknown \(what) '\(given)': did you mean \(try names(db, table, Array(candidates.prefix(10))))\(more)? "
                                  + "give the code or the full name")
    }

    /// `株洲市 Zhuzhou (430200), 株洲县 Zhuzhou County (430221)`.
    static func names(_ db: SQLiteConnection, _ table: String, _ codes: [String]) throws -> String {
        try codes.map { code in
            let row = try db.rows("SELECT name_zh, name_en FROM \(table) WHERE code = ?", [.text(code)]).first
            return "\(row?[0].text ?? code) \(row?[1].text ?? "") (\(code))"
        }.joined(separator: ", ")
    }

    /// The published figure, its change and rank as the build year's tables print them (from `changes`), or
    /// for last year the figure this year's tables print beside it. A figure no table prints has none.
    static func published(_ db: SQLiteConnection, _ figure: Figure, schema: Schema, year: Int) throws -> Published? {
        guard schema.exact, figure.value != nil,
              let decimals = try db.rows("SELECT decimals FROM indicators WHERE code = ?", [.text(figure.indicator)]).first?.first?.integer
        else { return nil }
        if figure.period == year - 1 {
            let row = try db.rows("SELECT previous_published_exact FROM changes WHERE previous_area = ? AND indicator = ? LIMIT 1",
                                  [.text(figure.area), .text(figure.indicator)]).first
            return row?[0].text.map { Published(value: $0, decimals: decimals) }
        }
        guard figure.period == year, let row = try db.rows("""
            SELECT c.published_exact, c.change_printed, c.previous_published_exact, r.rank, r.rank_change,
                   (SELECT count(*) FROM rankings s WHERE s.indicator = r.indicator AND s.parent_code = r.parent_code)
            FROM changes c LEFT JOIN rankings r ON r.area_code = c.area_code AND r.indicator = c.indicator
            WHERE c.area_code = ? AND c.indicator = ?
            """, [.text(figure.area), .text(figure.indicator)]).first, let value = row[0].text else { return nil }
        let rank = row[3].integer.map { NumberFormat.rank($0, among: row[5].integer ?? 0) }
        return Published(value: value, decimals: decimals, change: row[2].text == nil ? nil : row[1].text, previous: row[2].text,
                         rank: rank, rankMove: rank == nil ? nil : NumberFormat.move(row[4].integer))
    }

    /// A figure of the edition's periods that has no row: a sum whose areas are not all there, a formula with
    /// an operand missing, or nothing reported. Its parts are explained as any figure is.
    static func emptyFigure(_ db: SQLiteConnection, _ key: (area: String, indicator: String, period: Int), schema: Schema) throws -> Figure? {
        guard let area = try db.rows("SELECT name_zh, name_en FROM areas WHERE code = ?", [.text(key.area)]).first,
              let indicator = try db.rows("SELECT name_zh, unit, formula, additive FROM indicators WHERE code = ?",
                                          [.text(key.indicator)]).first else { return nil }
        var parts: [(area: String, indicator: String)] = []
        var source = "none"
        if let formula = indicator[2].text, let parsed = try? Formula.parse(formula) {
            source = "derived"
            parts = parsed.operands.map { (key.area, $0) }
        } else if indicator[3].integer == 1 {
            let children = try db.rows("""
                SELECT code FROM areas WHERE parent = ?1 AND (valid_from IS NULL OR valid_from <= ?2) AND (valid_to IS NULL OR valid_to >= ?2)
                ORDER BY code
                """, [.text(key.area), .integer(key.period)]).compactMap { $0.first?.text }
            if !children.isEmpty { source = "aggregated" }
            parts = children.map { ($0, key.indicator) }
        }
        let steps = try parts.map { part -> Step in
            var recorded = LineageStep(ObservationKey(area: key.area, indicator: key.indicator, period: key.period), .operand)
            recorded.operand = ObservationKey(area: part.area, indicator: part.indicator, period: key.period)
            let figure = try figure(db, (part.area, part.indicator, key.period), schema: schema, depth: 1)
                ?? emptyFigure(db, (part.area, part.indicator, key.period), schema: schema)
            return Step(recorded: recorded, operand: figure)
        }
        return Figure(area: key.area, areaZH: area[0].text ?? key.area, areaEN: area[1].text ?? key.area, indicator: key.indicator,
                      indicatorZH: indicator[0].text ?? key.indicator, unit: indicator[1].text ?? "", period: key.period, value: nil,
                      status: "", source: source, formula: source == "derived" ? indicator[2].text : nil, steps: steps)
    }

    /// Why `figure` has no value, in a sentence each: its own `M`, the areas of a sum without a value, the
    /// operands of a formula without one or a denominator of zero.
    static func whyEmpty(_ figure: Figure) -> [String] {
        let parts = figure.steps.compactMap(\.operand)
        let missing = parts.filter { $0.value == nil }
        switch figure.source {
        case "aggregated" where !parts.isEmpty && missing.isEmpty:
            return ["no sum although its \(parts.count) areas have values: see the build's problems below"]
        case "aggregated" where !parts.isEmpty:
            return ["no sum: \(missing.count) of its \(parts.count) areas \(missing.count == 1 ? "has" : "have") no value "
                    + "(\(missing.map { "\($0.areaZH) \($0.area)" }.joined(separator: ", "))), so no sum is given"]
        case "derived":
            if !missing.isEmpty {
                return ["no value from the formula \(figure.formula ?? ""): \(missing.map(\.indicator).joined(separator: ", ")) "
                        + "\(missing.count == 1 ? "has" : "have") no value"]
            }
            let values = Dictionary(parts.map { ($0.indicator, $0.value.flatMap { Exact(decimal: $0) }) }, uniquingKeysWith: { x, _ in x })
            let zero = (try? Formula.parse(figure.formula ?? "")).map { zeroDenominators($0) { values[$0] ?? nil } } ?? []
            return ["no value from the formula \(figure.formula ?? ""): " + (zero.isEmpty ? "it gives none for these operands"
                    : "the denominator \(zero.joined(separator: ", ")) is 0")]
        default:
            if figure.status == "M" {
                let sent = figure.steps.map(\.recorded).first { $0.role == .submission }
                let place = sent.map { " in \($0.file ?? ""), the <Obs> element at line \($0.line.map(String.init) ?? "?")" } ?? ""
                return ["sent as missing (OBS_STATUS M, or no OBS_VALUE)\(place): ask the submitter for the figure"]
            }
            return figure.status.isEmpty ? ["no roster and no submission gave a value for it"] : []
        }
    }

    /// The denominators of `formula` that are zero, as written (`POP_60PLUS`).
    static func zeroDenominators(_ formula: Formula, _ value: (String) -> Exact?) -> [String] {
        switch formula {
        case .indicator, .number: return []
        case .call(_, let arguments): return arguments.flatMap { zeroDenominators($0, value) }
        case .binary(let op, let left, let right):
            var found = zeroDenominators(left, value) + zeroDenominators(right, value)
            if op == "/", right.evaluate(value)?.isZero == true { found.append(right.operands.joined(separator: ", ")) }
            return found
        }
    }

    /// The problems the build reported about this figure: `warning (incomplete): …`. A problem of the
    /// area that names no indicator (a roster file's rejected rows) is about this figure only when it
    /// names no file or a file the figure was read from.
    static func problems(_ db: SQLiteConnection, _ key: (area: String, indicator: String, period: Int)) throws -> [String] {
        try db.rows("""
            SELECT severity, kind, message FROM problems p WHERE area_code = ?1 AND (period = ?3 OR period IS NULL)
                AND (indicator = ?2 OR (indicator IS NULL AND (p.file IS NULL OR p.file IN (SELECT file FROM lineage
                    WHERE area_code = ?1 AND indicator = ?2 AND period = ?3 AND file IS NOT NULL))))
            ORDER BY rowid
            """, [.text(key.area), .text(key.indicator), .integer(key.period)]).map { row in
            "\(row[0].text ?? "") (\(row[1].text ?? "")): \(row[2].text ?? "")"
        }
    }

    /// Areas nest a few levels deep and formulas a few more: far beyond this is a broken database.
    static let maximumDepth = 64

    static func figure(_ db: SQLiteConnection, _ key: (area: String, indicator: String, period: Int), schema: Schema,
                       depth: Int) throws -> Figure? {
        guard depth < maximumDepth, let row = try db.rows("""
            SELECT o.\(schema.column("value")), o.status, o.source, a.name_zh, a.name_en, i.name_zh, i.unit, i.formula
            FROM observations o LEFT JOIN areas a ON a.code = o.area_code LEFT JOIN indicators i ON i.code = o.indicator
            WHERE o.area_code = ? AND o.indicator = ? AND o.period = ?
            """, [.text(key.area), .text(key.indicator), .integer(key.period)]).first else { return nil }
        let stepRows = try db.rows("""
            SELECT role, file, line, sha256, rows_read, accepted, inactive, rejected, prepared, \(schema.column("value")), \(schema.column("difference")), \(schema.column("tolerance")), note,
                   operand_area, operand_indicator, operand_period
            FROM lineage WHERE area_code = ? AND indicator = ? AND period = ? ORDER BY step
            """, [.text(key.area), .text(key.indicator), .integer(key.period)])
        var steps: [Step] = []
        for r in stepRows {
            guard let role = r[0].text.flatMap(LineageStep.Role.init(rawValue:)) else { continue }
            var recorded = LineageStep(ObservationKey(area: key.area, indicator: key.indicator, period: key.period), role)
            (recorded.file, recorded.line, recorded.sha256) = (r[1].text, r[2].integer, r[3].text)
            (recorded.rowsRead, recorded.accepted, recorded.inactive, recorded.rejected) = (r[4].integer, r[5].integer, r[6].integer, r[7].integer)
            (recorded.prepared, recorded.value, recorded.difference, recorded.tolerance, recorded.note) = (r[8].text, r[9].text, r[10].text, r[11].text, r[12].text)
            var operand: Figure?
            if let area = r[13].text, let indicator = r[14].text, let period = r[15].integer {
                recorded.operand = ObservationKey(area: area, indicator: indicator, period: period)
                operand = try figure(db, (area, indicator, period), schema: schema, depth: depth + 1)
            }
            steps.append(Step(recorded: recorded, operand: operand))
        }
        return Figure(area: key.area, areaZH: row[3].text ?? key.area, areaEN: row[4].text ?? key.area, indicator: key.indicator,
                      indicatorZH: row[5].text ?? key.indicator, unit: row[6].text ?? "", period: key.period,
                      value: row[0].text, status: row[1].text ?? "", source: row[2].text ?? "",
                      formula: row[2].text == "derived" ? row[7].text : nil, steps: steps)
    }

    public var json: String {
        EditionJSON.text(self)
    }

    /// From the `withheld` table, which an edition has only where something is withheld.
    static func withheld(_ db: SQLiteConnection, _ key: (area: String, indicator: String, period: Int)) throws -> String? {
        guard try !db.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'withheld'").isEmpty,
              let row = try db.rows("SELECT conf_status, reason FROM withheld WHERE area_code = ? AND indicator = ? AND period = ?",
                                    [.text(key.area), .text(key.indicator), .integer(key.period)]).first else { return nil }
        return "withheld from release 不公布: \(row[0].text ?? ""), \(row[1].text ?? "")"
    }

    /// The derivation as an indented tree, one figure or file per line.
    public var text: String {
        var lines = ["\(figure.areaZH) \(figure.areaEN) (\(figure.area)) · \(figure.indicatorZH) (\(figure.indicator)) · \(figure.period) = "
                     + Self.describe(figure, published: published)]
        if let withheld { lines.append("   " + withheld) }
        lines += why.map { "   " + $0 }
        Self.tree(Self.children(of: figure), prefix: "", into: &lines)
        return lines.joined(separator: "\n")
    }

    struct Node {
        var text: String
        var children: [Node]
    }

    static func children(of figure: Figure) -> [Node] {
        var nodes: [Node] = []
        var operands: [Node] = []
        for explained in figure.steps {
            let step = explained.recorded
            let value = step.value.map { Self.number($0) } ?? "missing"
            let place = [step.file, step.line.map { "line \($0)" }, step.prepared.map { "Prepared \($0)" }].compactMap { $0 }
            let note = step.note.map { "; \($0)" } ?? ""
            switch step.role {
            case .roster:
                let counts = [("rows read", step.rowsRead), ("accepted", step.accepted), ("inactive", step.inactive), ("rejected", step.rejected)]
                    .map { "\(number(String($0.1 ?? 0))) \($0.0)" }.joined(separator: ", ")
                nodes.append(Node(text: "roster \(step.file ?? "") (SHA-256 \(step.sha256 ?? "")): \(counts); its active rows give \(value)\(note)", children: []))
            case .submission:
                nodes.append(Node(text: "submitted in \(place.joined(separator: ", ")): \(value)\(note)", children: []))
            case .superseded:
                nodes.append(Node(text: "won over \(place.joined(separator: ", ")): \(value) (older Prepared)", children: []))
            case .notUsed:
                let difference = step.difference.map { ", differs by \(number($0)) (tolerance \(number(step.tolerance ?? "")))" } ?? ""
                nodes.append(Node(text: "not used: \(place.joined(separator: ", ")) reported \(value)\(difference)\(note)", children: []))
            case .operand:
                guard let operand = explained.operand else {
                    nodes.append(Node(text: "operand missing from the dataset", children: []))
                    continue
                }
                let label = operand.area == figure.area
                    ? "\(operand.indicatorZH) (\(operand.indicator))"
                    : "\(operand.areaZH) \(operand.areaEN) (\(operand.area))"
                operands.append(Node(text: "\(label) = \(describe(operand))", children: children(of: operand)))
            }
        }
        if !operands.isEmpty {
            let heading = figure.source == "derived" ? "the formula \(figure.formula ?? "") of:"
                : figure.value == nil ? "no sum of \(operands.count) areas:" : "the sum of \(operands.count) areas:"
            nodes.append(Node(text: heading, children: operands))
        }
        return nodes
    }

    static func tree(_ nodes: [Node], prefix: String, into lines: inout [String]) {
        for (index, node) in nodes.enumerated() {
            let last = index == nodes.count - 1
            lines.append(prefix + (last ? "└─ " : "├─ ") + node.text)
            tree(node.children, prefix: prefix + (last ? "   " : "│  "), into: &lines)
        }
    }

    /// `28,132 persons [A, aggregated]`; with what the chapters print, `374 yuan (373.6200, rounded to 0 decimals)
    /// [A, derived]; +6.1% on 2018 (352); rank 1/1, =`; `no value` for a figure without a row.
    static func describe(_ figure: Figure, published: Published? = nil) -> String {
        guard !figure.status.isEmpty else { return "no value" }
        guard let value = figure.value else { return "missing [\(figure.status), \(figure.source)]" }
        var text = number(published?.value ?? value) + " " + figure.unit
        if let published, published.value != value {
            text += " (\(number(value)), rounded to \(published.decimals) decimal\(published.decimals == 1 ? "" : "s"))"
        }
        text += " [\(figure.status), \(figure.source)]"
        if let change = published?.change, let previous = published?.previous {
            text += "; \(change) on \(figure.period - 1) (\(number(previous)))"
        }
        if let rank = published?.rank { text += "; rank \(rank), \(published?.rankMove ?? "")" }
        return text
    }

    /// Exact decimal text with thousands separators, all its decimals kept.
    static func number(_ text: String) -> String { text.groupedPublished }
}
