import Aggregate
import EditionFiles
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import YearbookCore

/// The reports of a build under `<out>/<year>/reports/`, each in Markdown for
/// people and JSON for programs, plus the rejected rows and all problems as CSV.
public enum Reports {
    /// One report target: the files it writes under `reports/` and how it makes them.
    public struct Report: Sendable {
        public var name: String
        public var files: [String]
        public var make: Making
    }

    public enum Making: Sendable {
        /// Each file's bytes, made whole.
        case bytes(@Sendable (StageResults, AreaRegistry) -> [String: [UInt8]])
        /// The report's one file written at a path in bounded pieces (it grows with the rejected rows or the problems).
        case streamed(@Sendable (StageResults, AreaRegistry, SystemPath) throws -> Void)
    }

    /// The reports, each format a target of its own; the longest first (the
    /// validation report lists every failing cell).
    public static let all: [Report] = [
        Report(name: "validation.json", files: ["validation.json"], make: .streamed { try ValidationReport($0, registry: $1).writeJSON(to: $2) }),
        Report(name: "validation.md", files: ["validation.md"], make: .streamed { try ValidationReport($0, registry: $1).writeMarkdown(to: $2) }),
        Report(name: "problems.csv", files: ["problems.csv"], make: .streamed { result, _, path in try problemsCSV(result, to: path) }),
        Report(name: "inputs.json", files: ["inputs.json"], make: .bytes { result, _ in ["inputs.json": EditionJSON.encoded(InputAccounting(result))] }),
        Report(name: "inputs.md", files: ["inputs.md"], make: .bytes { result, _ in ["inputs.md": Array(InputAccounting(result).markdown.utf8)] }),
        Report(name: "rejects.csv", files: ["rejects.csv"], make: .streamed { result, _, path in try rejectsCSV(result, to: path) }),
        Report(name: "rejects.json", files: ["rejects.json"], make: .streamed { result, _, path in try rejectsJSON(result, to: path) }),
        Report(name: "reconciliation", files: ["reconciliation.json", "reconciliation.md"], make: .bytes { result, _ in
            let reconciliation = ReconciliationReport(result)
            return ["reconciliation.json": EditionJSON.encoded(reconciliation), "reconciliation.md": Array(reconciliation.markdown.utf8)]
        }),
        Report(name: "disclosure", files: ["disclosure.json", "disclosure.md"], make: .bytes { result, registry in
            let disclosure = DisclosureReport(result, registry: registry)
            return ["disclosure.json": EditionJSON.encoded(disclosure), "disclosure.md": Array(disclosure.markdown.utf8)]
        }),
    ]

    /// Every rejected roster row: file, line, reason and the record exactly as written (the CSV makes its cells inert).
    static func rejectsJSON(_ result: StageResults, to path: SystemPath) throws {
        let file = try BufferedFileWriter(creating: path)
        var out = JSONText()
        out.open("{")
        out.open("[", key: "rejects")
        try eachReject(result) { row in
            out.open("{")
            out.string("file", row.file)
            out.int("line", row.line)
            out.string("raw", row.raw)
            out.string("reason", row.reason)
            out.close("}")
            if out.bytes.count >= BufferedFileWriter.bufferSize { try file.write(out.takeBytes()) }
        }
        out.close("]")
        out.close("}")
        try file.write(out.ended())
        try file.close()
    }

    /// Every rejected row by file and line, read from the files' spools one after the other.
    static func eachReject(_ result: StageResults, _ body: (RejectedRow) throws -> Void) throws {
        for roster in result.rosters.sorted(by: { $0.file < $1.file }) { try roster.rejects.forEach(body) }
    }

    /// Every rejected roster row: file, line, reason and the record as written.
    static func rejectsCSV(_ result: StageResults, to path: SystemPath) throws {
        let file = try BufferedFileWriter(creating: path)
        var csv = CSVWriter(header: ["file", "line", "reason", "raw"])
        try eachReject(result) { row in
            csv.row([Escape.csvText(row.file), String(row.line), Escape.csvText(row.reason), Escape.csvText(row.raw)])
            if csv.bytes.count >= BufferedFileWriter.bufferSize { try file.write(csv.takeBytes()) }
        }
        try file.write(csv.takeBytes())
        try file.close()
    }

    /// Every error and warning, errors first; `message_zh` last, so readers of the earlier columns keep working.
    /// Written in bounded pieces: at national scale the warnings alone make tens of megabytes.
    static func problemsCSV(_ result: StageResults, to path: SystemPath) throws {
        let file = try BufferedFileWriter(creating: path)
        var csv = CSVWriter(header: ["severity", "kind", "file", "line", "area_code", "indicator", "period", "message",
                                     "message_zh"])
        try result.problems.forEach { problem in
            csv.row([problem.severity.rawValue, problem.kind.rawValue, Escape.csvText(problem.file ?? ""), problem.line.map(String.init) ?? "",
                     Escape.csvText(problem.area ?? ""), Escape.csvText(problem.indicator ?? ""), problem.period.map(String.init) ?? "",
                     Escape.csvText(problem.message), Escape.csvText(problem.messageZH ?? "")])
            if csv.bytes.count >= BufferedFileWriter.bufferSize { try file.write(csv.takeBytes()) }
        }
        try file.write(csv.takeBytes())
        try file.close()
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
