import Extract
import Foundation
import Normalize
import YearbookCore

/// What `yearbook inspect` tells about one input file.
public struct FileInspection: Encodable, Sendable {
    public struct Column: Encodable, Sendable {
        public var header: String
        public var canonical: String
    }

    public var file: String
    /// `roster`, `sdmx`, `registry` or `unreadable`.
    public var kind: String
    public var error: String?
    // Rosters
    public var roster: String?
    public var county: String?
    public var encoding: String?
    public var columns: [Column]?
    public var ignoredColumns: [String]?
    public var rows: Int?
    public var accepted: Int?
    public var inactive: Int?
    public var rejected: Int?
    /// The first `Inspection.shownRejects` rejected rows ("line N: reason"); `rejected` counts them all.
    public var rejects: [String]?
    public var values: [String: String]?
    // SDMX messages
    public var form: String?
    public var messageID: String?
    public var sender: String?
    public var senderName: String?
    public var prepared: String?
    public var series: Int?
    public var groups: Int?
    public var observations: Int?
    public var areas: [String]?
    public var indicators: [String]?
    public var periods: [String]?
    public var components: [String]?
    // The area registry (areas.csv)
    /// Areas per level: `province`, `prefecture`, `county`.
    public var levels: [String: Int]?
    /// Retired codes and their successors: `430221 株洲县 → 430212 渌口区 (valid to 2018)`.
    public var successions: [String]?
    /// What keeps the registry from being a hierarchy, with file and line.
    public var problems: [String]?

    init(file: String, kind: String) {
        self.file = file
        self.kind = kind
    }
}

public enum Inspection {
    /// Rejected rows listed by name (the rest are counted): a roster can have millions.
    public static let shownRejects = 20

    /// Inspects a roster export (by its name `<county>_<roster>.csv.gz`, else
    /// by its header), an SDMX message (by its content) or the area registry
    /// (`areas.csv`, or a file with its header).
    public static func inspect(path: String, registry: AreaRegistry?, indicators: [Indicator]) -> FileInspection {
        let name = (path as NSString).lastPathComponent
        if name == "areas.csv" || looksLikeRegistry(path) { return inspectRegistry(path: path) }
        if name.hasSuffix(".xml") || name.hasSuffix(".xml.gz") || looksLikeXML(path) {
            return inspectMessage(path: path)
        }
        return inspectRoster(path: path, registry: registry, indicators: indicators)
    }

    static func looksLikeXML(_ path: String) -> Bool {
        guard let stream = try? openByteStream(path: path) else { return false }
        var head = [UInt8](repeating: 0, count: 64)
        let count = (try? head.withUnsafeMutableBytes { try stream.read(into: $0) }) ?? 0
        let text = String(decoding: head.prefix(count), as: UTF8.self)
        return text.drop(while: { $0 == "\u{FEFF}" || $0.isWhitespace }).hasPrefix("<")
    }

    static func looksLikeRegistry(_ path: String) -> Bool {
        guard let stream = try? openByteStream(path: path) else { return false }
        // A stream may give its first bytes in more than one read.
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while head.count < 64, let count = try? chunk.withUnsafeMutableBytes({ try stream.read(into: $0) }), count > 0 {
            head += chunk.prefix(count)
        }
        return String(decoding: head, as: UTF8.self).drop(while: { $0 == "\u{FEFF}" }).hasPrefix("code,name_zh,name_en,level")
    }

    /// The registry read as a build reads it: its areas by level, its successions and what keeps it from
    /// being a hierarchy; a row that does not read makes it unreadable, with the file and line.
    static func inspectRegistry(path: String) -> FileInspection {
        var report = FileInspection(file: path, kind: "registry")
        do {
            let (registry, problems) = try Dictionaries.loadAreaHierarchy(path: path, displayName: path)
            var levels: [String: Int] = [:]
            var successions: [String] = []
            for code in registry.codes {
                let area = registry[code]!
                levels[area.level.rawValue, default: 0] += 1
                if let successor = area.successor {
                    let name = registry[successor].map { " \($0.nameZH)" } ?? ""
                    let until = area.validTo.map { " (valid to \($0))" } ?? ""
                    successions.append("\(code) \(area.nameZH) → \(successor)\(name)\(until)")
                }
            }
            report.levels = levels
            report.successions = successions
            report.problems = problems.map(\.description)
        } catch {
            report.kind = "unreadable"
            report.error = "\(error)"
        }
        return report
    }

    static func inspectMessage(path: String) -> FileInspection {
        var report = FileInspection(file: path, kind: "sdmx")
        var areas: Set<String> = [], codes: Set<String> = [], periods: Set<String> = [], components: Set<String> = []
        do {
            let summary = try SDMXReader(path: path).read { observation in
                if let area = observation.components["REF_AREA"] { areas.insert(area) }
                if let code = observation.components["INDICATOR"] { codes.insert(code) }
                if let period = observation.components["TIME_PERIOD"] { periods.insert(period) }
                components.formUnion(observation.components.keys)
            }
            report.form = summary.form.rawValue
            report.messageID = summary.header.id
            report.sender = summary.header.senderID
            report.senderName = summary.header.senderName
            report.prepared = summary.header.prepared
            report.series = summary.series
            report.groups = summary.groups
            report.observations = summary.observations
            report.areas = areas.sorted()
            report.indicators = codes.sorted()
            report.periods = periods.sorted()
            report.components = components.sorted()
        } catch {
            report.kind = "unreadable"
            report.error = "\(error)"
        }
        return report
    }

    static func inspectRoster(path: String, registry: AreaRegistry?, indicators: [Indicator]) -> FileInspection {
        var report = FileInspection(file: path, kind: "roster")
        let name = (path as NSString).lastPathComponent
        var county = "000000"
        var schemas = RosterSchema.all
        if let (code, roster) = InputTree.rosterName(name) {
            county = code
            schemas = [RosterSchema.named(roster)!]
            report.county = code
        }
        var lastError: Error?
        for schema in schemas {
            let measures = indicators.filter { $0.roster == schema.name }.compactMap {
                try? RosterMeasure(indicator: $0.code, formula: $0.formula, schema: schema)
            }
            let reader = RosterReader(schema: schema, measures: measures,
                                      registry: registry ?? AreaRegistry([]), limits: .standard)
            do {
                let result = try reader.read(path: path, displayName: path, county: county, year: 0)
                report.roster = schema.name
                report.encoding = result.encoding.rawValue
                report.columns = result.columns.map { FileInspection.Column(header: $0.header, canonical: $0.canonical) }
                report.ignoredColumns = result.ignoredColumns
                report.rows = result.rowsRead
                report.accepted = result.accepted
                report.inactive = result.inactive
                report.rejected = result.rejected
                report.rejects = try result.rejects.rows(limit: Inspection.shownRejects).map { "line \($0.line): \($0.reason)" }
                report.values = result.values.mapValues(\.plainDecimal)
                return report
            } catch {
                lastError = error
            }
        }
        report.kind = "unreadable"
        report.error = lastError.map { "\($0)" } ?? "not a roster"
        return report
    }

    /// The registry of the input tree a file sits in (`<input>/<year>/exports/<file>`), if any.
    public static func registryNear(_ path: String) -> AreaRegistry? {
        var folder = SystemPath.parent(of: path)
        for _ in 0..<3 {
            let candidate = (folder as NSString).appendingPathComponent("areas.csv")
            if POSIX.exists(SystemPath(candidate)) {
                return try? Dictionaries.loadAreas(path: candidate, displayName: candidate)
            }
            folder = SystemPath.parent(of: folder)
        }
        return nil
    }

    /// Plain text for a terminal.
    public static func text(_ report: FileInspection) -> String {
        var lines = [report.file]
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("  \(label): \(value)") }
        }
        add("error", report.error)
        if report.kind == "roster" {
            add("kind", "roster \(report.roster ?? "?")" + (report.county.map { " of county \($0)" } ?? ""))
            add("encoding", report.encoding)
            add("columns", report.columns?.map { $0.header == $0.canonical ? $0.canonical : "\($0.header) → \($0.canonical)" }
                .joined(separator: ", "))
            add("ignored columns", report.ignoredColumns?.joined(separator: ", "))
            if let rows = report.rows {
                add("rows", "\(rows) read = \(report.accepted ?? 0) accepted + \(report.inactive ?? 0) inactive + \(report.rejected ?? 0) rejected")
            }
            let listed = report.rejects ?? []
            for reject in listed { lines.append("    \(reject)") }
            if let rejected = report.rejected, rejected > listed.count { lines.append("    … and \(rejected - listed.count) more") }
            if let values = report.values {
                for key in values.keys.sorted() { lines.append("  \(key) = \(values[key]!)") }
            }
        } else if report.kind == "sdmx" {
            add("kind", "SDMX-ML 2.1 \(report.form ?? "")")
            add("message", report.messageID)
            add("sender", [report.sender, report.senderName].compactMap { $0 }.joined(separator: " "))
            add("prepared", report.prepared)
            add("counts", "\(report.series ?? 0) series, \(report.groups ?? 0) groups, \(report.observations ?? 0) observations")
            add("areas", report.areas?.joined(separator: ", "))
            add("indicators", report.indicators?.joined(separator: ", "))
            add("periods", report.periods?.joined(separator: ", "))
        } else if report.kind == "registry" {
            let levels = report.levels ?? [:]
            add("kind", "area registry")
            add("areas", "\(levels.values.reduce(0, +)): " + AreaLevel.allCases.map { "\(levels[$0.rawValue] ?? 0) \($0.rawValue)" }
                .joined(separator: ", "))
            add("successions", report.successions.map { $0.isEmpty ? "none" : $0.joined(separator: "; ") })
            let problems = report.problems ?? []
            add("problems", problems.isEmpty ? "none" : "\(problems.count)")
            for problem in problems.prefix(Inspection.shownRejects) { lines.append("    \(problem)") }
            if problems.count > Inspection.shownRejects { lines.append("    … and \(problems.count - Inspection.shownRejects) more") }
        }
        return lines.joined(separator: "\n")
    }
}
