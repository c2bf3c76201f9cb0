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

    public var edition: Int
    public var figure: Figure

    /// `edition`: an edition folder (`output/2019`); `area` and `indicator` by
    /// code or by name; `period` the edition's year unless given.
    public static func load(edition: String, area: String, indicator: String, period: Int?) throws -> Explanation {
        let path = (edition as NSString).appendingPathComponent(EditionLayout.database)
        guard POSIX.exists(SystemPath(path)) else {
            throw YearbookError.usage("\(edition) is not an edition with a database: no \(EditionLayout.database)")
        }
        let db = try SQLiteConnection.readOnly(path: path)
        guard let year = try db.rows("SELECT value FROM edition WHERE key = 'year'").first?.first?.text.flatMap({ Int($0) }) else {
            throw YearbookError.usage("\(path) has no edition year")
        }
        let areaCode = try resolve(db, table: "areas", what: "area", given: area)
        let indicatorCode = try resolve(db, table: "indicators", what: "indicator", given: indicator)
        let key = (area: areaCode, indicator: indicatorCode, period: period ?? year)
        guard let figure = try figure(db, key, depth: 0) else {
            // An edition's figure that has no row in its dataset: the edition, read as input, lacks it (exit 1).
            throw YearbookError(.input, "\(areaCode) \(indicatorCode) \(key.period) has no value or status in the edition \(year)")
        }
        return Explanation(edition: year, figure: figure)
    }

    /// A code, or the one row whose Chinese or English name is `given` (English ignoring case).
    static func resolve(_ db: SQLiteConnection, table: String, what: String, given: String) throws -> String {
        let matches = try db.rows("SELECT code FROM \(table) WHERE code = ?1 OR name_zh = ?1 OR lower(name_en) = lower(?1) ORDER BY code",
                                  [.text(given)]).compactMap { $0.first?.text }
        if matches.count == 1 { return matches[0] }
        if let exact = matches.first(where: { $0 == given }) { return exact }
        if matches.isEmpty { throw YearbookError.usage("unknown \(what) '\(given)': neither a code nor a name in the edition's \(table)") }
        throw YearbookError.usage("\(what) '\(given)' names \(matches.count) \(table): \(matches.joined(separator: ", ")); give the code")
    }

    /// Areas nest a few levels deep and formulas a few more: far beyond this is a broken database.
    static let maximumDepth = 64

    static func figure(_ db: SQLiteConnection, _ key: (area: String, indicator: String, period: Int), depth: Int) throws -> Figure? {
        guard depth < maximumDepth, let row = try db.rows("""
            SELECT o.value_exact, o.status, o.source, a.name_zh, a.name_en, i.name_zh, i.unit, i.formula
            FROM observations o LEFT JOIN areas a ON a.code = o.area_code LEFT JOIN indicators i ON i.code = o.indicator
            WHERE o.area_code = ? AND o.indicator = ? AND o.period = ?
            """, [.text(key.area), .text(key.indicator), .integer(key.period)]).first else { return nil }
        let stepRows = try db.rows("""
            SELECT role, file, line, sha256, rows_read, accepted, inactive, rejected, prepared, value_exact, difference_exact, tolerance_exact, note,
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
                operand = try figure(db, (area, indicator, period), depth: depth + 1)
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

    /// The derivation as an indented tree, one figure or file per line.
    public var text: String {
        var lines = ["\(figure.areaZH) \(figure.areaEN) (\(figure.area)) · \(figure.indicatorZH) (\(figure.indicator)) · \(figure.period) = \(Self.describe(figure))"]
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
            let heading = figure.source == "derived" ? "the formula \(figure.formula ?? "") of:" : "the sum of \(operands.count) areas:"
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

    /// `28,132 persons [A, aggregated]`.
    static func describe(_ figure: Figure) -> String {
        "\(figure.value.map { number($0) + " " + figure.unit } ?? "missing") [\(figure.status), \(figure.source)]"
    }

    /// Exact decimal text with thousands separators, all its decimals kept.
    static func number(_ text: String) -> String { text.groupedPublished }
}
