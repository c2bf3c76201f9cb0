import Aggregate
import Normalize
import Render
import YearbookCore

/// The reports of a build under `<out>/<year>/reports/`.
enum Reports {
    static func files(for result: BuildResult) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        files["rejects.csv"] = rejectsCSV(result)
        files["problems.csv"] = problemsCSV(result)
        files["inputs.csv"] = inputsCSV(result)
        return files
    }

    /// Every rejected roster row: file, line, reason and the record as written.
    static func rejectsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["file", "line", "reason", "raw"])
        for row in result.rosters.flatMap(\.rejected).sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            csv.row([row.file, String(row.line), row.reason, row.raw])
        }
        return csv.bytes
    }

    /// Every error and warning, errors first.
    static func problemsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["severity", "kind", "file", "line", "area_code", "indicator", "period", "message"])
        for problem in result.problems.sorted {
            csv.row([problem.severity.rawValue, problem.kind, problem.file ?? "", problem.line.map(String.init) ?? "",
                     problem.area ?? "", problem.indicator ?? "", problem.period.map(String.init) ?? "", problem.message])
        }
        return csv.bytes
    }

    /// Input accounting: per roster, rows read = accepted + inactive + rejected;
    /// per message, observations read and used.
    static func inputsCSV(_ result: BuildResult) -> [UInt8] {
        var csv = CSVWriter(header: ["file", "kind", "encoding", "bytes", "rows_read", "accepted", "inactive", "rejected"])
        var totals = (bytes: 0, read: 0, accepted: 0, inactive: 0, rejected: 0)
        for file in result.rosters.sorted(by: { $0.file < $1.file }) {
            csv.row([file.file, file.roster, file.encoding.rawValue, String(file.bytesOnDisk), String(file.rowsRead),
                     String(file.accepted), String(file.inactive), String(file.rejected.count)])
            totals.bytes += file.bytesOnDisk
            totals.read += file.rowsRead
            totals.accepted += file.accepted
            totals.inactive += file.inactive
            totals.rejected += file.rejected.count
        }
        for file in result.submissions.sorted(by: { $0.file < $1.file }) {
            let used = file.observations.count
            csv.row([file.file, "sdmx", "", String(file.bytesOnDisk), String(file.observationsRead), String(used),
                     String(file.otherPeriods), String(file.skipped)])
        }
        csv.row(["TOTAL rosters", "", "", String(totals.bytes), String(totals.read), String(totals.accepted),
                 String(totals.inactive), String(totals.rejected)])
        return csv.bytes
    }
}
