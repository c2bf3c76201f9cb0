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
    /// The reports as independent pieces of work, by path under `reports/`.
    static func tasks(for result: BuildResult, registry: AreaRegistry) -> [() -> [String: [UInt8]]] {
        // The longest first (the validation report lists every failing cell), each format a task of its own.
        [
            { ["validation.json": ValidationReport(result, registry: registry).json] },
            { ["validation.md": ValidationReport(result, registry: registry).markdown] },
            { ["problems.csv": problemsCSV(result)] },
            { ["inputs.json": json(InputAccounting(result))] },
            { ["inputs.md": Array(InputAccounting(result).markdown.utf8)] },
            { ["rejects.csv": rejectsCSV(result)] },
            { ["rejects.json": rejectsJSON(result)] },
            {
                let reconciliation = ReconciliationReport(result)
                return ["reconciliation.json": json(reconciliation), "reconciliation.md": Array(reconciliation.markdown.utf8)]
            },
        ]
    }

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

    /// Every error and warning, errors first.
    static func problemsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["severity", "kind", "file", "line", "area_code", "indicator", "period", "message"])
        for problem in result.problems.sorted {
            csv.row([problem.severity.rawValue, problem.kind, Escape.csvText(problem.file ?? ""), problem.line.map(String.init) ?? "",
                     Escape.csvText(problem.area ?? ""), Escape.csvText(problem.indicator ?? ""), problem.period.map(String.init) ?? "",
                     Escape.csvText(problem.message)])
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
