import ArgumentParser
import Pipeline
import Extract
import Foundation
import YearbookCore

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the yearbook of one year (default: the samples' latest year into output/).")

    @Option(help: "The input tree: areas.csv and <year>/exports, <year>/submissions.")
    var input = "samples/input"

    @Option(help: "The reporting year (default: the latest year folder of the input).")
    var year: Int?

    @Option(help: "The output folder; the build writes <out>/<year>/.")
    var out = "output"

    @Option(help: "The pipeline definition.")
    var pipeline = "pipelines/yearbook.yml"

    @Option(help: "Regenerate only this chapter (and the index).")
    var chapter: String?

    @Option(help: "The folder of earlier editions for the chapters' history (default: the output folder).")
    var history: String?

    @Option(help: "Most bytes one input file may inflate to.")
    var maxDecompressedBytes = ReadLimits.standard.maxDecompressedBytes

    @Option(help: "Longest roster record, in bytes.")
    var maxRecordBytes = ReadLimits.standard.maxRecordBytes

    @Flag(help: "No progress and no summary on stderr; errors still print.")
    var quiet = false

    func run() throws {
        let options = BuildOptions(
            input: input, year: year, out: out, pipeline: pipeline, chapter: chapter,
            limits: ReadLimits(maxDecompressedBytes: maxDecompressedBytes, maxRecordBytes: maxRecordBytes),
            showProgress: !quiet && Progress.stderrIsTerminal, history: history)
        let result: BuildResult
        do {
            result = try YearbookBuild.run(options)
        } catch let error as UsageError {
            printError("yearbook: \(error)")
            throw ExitCode(2)
        }
        let errors = result.problems.errors
        for problem in result.problems.items.filter({ $0.severity == .error }).sorted(by: Problem.reportOrder) {
            printError(problem.description)
        }
        if !quiet {
            let rows = result.rosters.reduce((0, 0, 0, 0)) {
                ($0.0 + $1.rowsRead, $0.1 + $1.accepted, $0.2 + $1.inactive, $0.3 + $1.rejected.count)
            }
            printError("""
                yearbook \(result.year): \(result.rosters.count) roster files, \(rows.0) rows = \(rows.1) accepted + \(rows.2) inactive + \(rows.3) rejected; \
                \(result.submissions.count) submissions, \(result.submissions.reduce(0) { $0 + $1.observationsRead }) observations; \
                \(errors.count) errors, \(result.problems.warnings.count) warnings
                """)
            let folder = (out as NSString).appendingPathComponent(String(result.year))
            if result.published, let chapter {
                printError("regenerated chapter \(chapter): \(result.filesRead) input files read, the others unchanged since the last build; "
                    + "wrote \(result.written.isEmpty ? "nothing (no change)" : result.written.joined(separator: ", ")) in \(folder)/")
            } else if result.published {
                printError("wrote \(folder)/: \(result.written.count) files changed (reports in reports/)")
            } else {
                printError("nothing written: the previous output is left as it was")
            }
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
