import Aggregate
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import YearbookCore

/// The reports of a build under `<out>/<year>/reports/`, each in Markdown for
/// people and JSON for programs, plus the rejected rows and all problems as CSV.
enum Reports {
    /// One report target: the files it writes under `reports/` and how it makes them.
    struct Report: Sendable {
        var name: String
        var files: [String]
        var make: @Sendable (BuildResult, AreaRegistry) -> [String: [UInt8]]
    }

    /// The reports, each format a target of its own; the longest first (the
    /// validation report lists every failing cell).
    static let all: [Report] = [
        Report(name: "validation.json", files: ["validation.json"]) { ["validation.json": ValidationReport($0, registry: $1).json] },
        Report(name: "validation.md", files: ["validation.md"]) { ["validation.md": ValidationReport($0, registry: $1).markdown] },
        Report(name: "problems.csv", files: ["problems.csv"]) { result, _ in ["problems.csv": problemsCSV(result)] },
        Report(name: "inputs.json", files: ["inputs.json"]) { result, _ in ["inputs.json": json(InputAccounting(result))] },
        Report(name: "inputs.md", files: ["inputs.md"]) { result, _ in ["inputs.md": Array(InputAccounting(result).markdown.utf8)] },
        Report(name: "rejects.csv", files: ["rejects.csv"]) { result, _ in ["rejects.csv": rejectsCSV(result)] },
        Report(name: "rejects.json", files: ["rejects.json"]) { result, _ in ["rejects.json": rejectsJSON(result)] },
        Report(name: "reconciliation", files: ["reconciliation.json", "reconciliation.md"]) { result, _ in
            let reconciliation = ReconciliationReport(result)
            return ["reconciliation.json": json(reconciliation), "reconciliation.md": Array(reconciliation.markdown.utf8)]
        },
    ]

    static func json<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(value)) + [0x0A]
    }

    /// Every rejected roster row: file, line, reason and the record exactly as written (the CSV makes its cells inert).
    static func rejectsJSON(_ result: BuildResult) -> [UInt8] {
        // Written straight into bytes: a roster can have millions of rejected rows.
        var out = JSONText()
        out.open("{")
        out.open("[", key: "rejects")
        for row in sortedRejects(result) {
            out.open("{")
            out.string("file", row.file)
            out.int("line", row.line)
            out.string("raw", row.raw)
            out.string("reason", row.reason)
            out.close("}")
        }
        out.close("]")
        out.close("}")
        return out.ended()
    }

    static func sortedRejects(_ result: BuildResult) -> [RejectedRow] {
        result.rosters.flatMap(\.rejected).sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) })
    }

    /// Every rejected roster row: file, line, reason and the record as written.
    static func rejectsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["file", "line", "reason", "raw"])
        for row in sortedRejects(result) {
            csv.row([Escape.csvText(row.file), String(row.line), Escape.csvText(row.reason), Escape.csvText(row.raw)])
        }
        return csv.bytes
    }

    /// Every error and warning, errors first; `message_zh` last, so readers of the earlier columns keep working.
    static func problemsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["severity", "kind", "file", "line", "area_code", "indicator", "period", "message",
                                     "message_zh"])
        for problem in result.problems.sorted {
            csv.row([problem.severity.rawValue, problem.kind, Escape.csvText(problem.file ?? ""), problem.line.map(String.init) ?? "",
                     Escape.csvText(problem.area ?? ""), Escape.csvText(problem.indicator ?? ""), problem.period.map(String.init) ?? "",
                     Escape.csvText(problem.message), Escape.csvText(problem.messageZH ?? "")])
        }
        return csv.bytes
    }
}

/// A Markdown table cell: escaped, never empty.
func mdCell(_ text: String) -> String { text.isEmpty ? " " : Escape.markdown(text) }

/// A Markdown table whose first `leftAligned` columns are text (left-aligned), the rest figures (right-aligned).
func mdTable(_ header: [String], _ rows: [[String]], leftAligned: Int = 1) -> String {
    var out = "| " + header.map(mdCell).joined(separator: " | ") + " |\n|"
    for index in header.indices { out += index < leftAligned ? " --- |" : " ---: |" }
    out += "\n"
    for row in rows { out += "| " + row.map(mdCell).joined(separator: " | ") + " |\n" }
    return out
}
