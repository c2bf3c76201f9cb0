import ArgumentParser
import Extract
import Foundation
import Pipeline
import YearbookCore

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the yearbook of one year (default: the samples' latest year into output/).")

    @Option(help: "The input tree: areas.csv and <year>/exports, <year>/submissions (default: samples/input, in the repository).")
    var input: String?

    // Numbers are taken as given, a negative one too (`--year -1`), to be refused by name:
    // the parser would otherwise read `-1` as an option and say the value is missing.
    @Option(parsing: .unconditional, help: "The reporting year (default: the latest year folder of the input).")
    var year: Int?

    @Option(help: "The folder of editions; the build writes the edition <out>/<year>/.")
    var out = "output"

    @Option(help: "The pipeline definition (default: pipelines/yearbook.yml here, beside the input tree, or the one the binary was built with).")
    var pipeline: String?

    @Option(help: "Regenerate this chapter; other outputs a full build would change are listed stale.")
    var chapter: String?

    @Flag(help: "Print what would be rebuilt and why, and write nothing.")
    var dryRun = false

    @Option(help: "The folder of earlier editions for the chapters' history (default: the output folder).")
    var history: String?

    @Option(parsing: .unconditional, help: "Most bytes one input file may inflate to.")
    var maxDecompressedBytes = ReadLimits.standard.maxDecompressedBytes

    @Option(parsing: .unconditional, help: "Longest roster record, in bytes.")
    var maxRecordBytes = ReadLimits.standard.maxRecordBytes

    @Flag(help: "No progress and no summary on stderr; errors still print.")
    var quiet = false

    // A limit below one byte would reject every input file (and a negative one would leave no room to read at all).
    func validate() throws {
        for (option, value) in [("--max-decompressed-bytes", maxDecompressedBytes), ("--max-record-bytes", maxRecordBytes)] where value < 1 {
            throw ValidationError("\(option) \(value) is not a number of bytes ≥ 1: give a positive limit, or leave the option out for its default")
        }
    }

    func run() throws {
        let result: BuildResult
        let showProgress = !quiet && Progress.stderrIsTerminal
        do {
            // The defaults of --input and --pipeline are found by Pipeline's Defaults.
            let input = try Defaults.input(input)
            let options = BuildOptions(
                input: input, year: year, out: out, pipeline: try Defaults.pipeline(pipeline, input: input), chapter: chapter,
                limits: ReadLimits(maxDecompressedBytes: maxDecompressedBytes, maxRecordBytes: maxRecordBytes),
                showProgress: showProgress, say: { printError("yearbook: \($0)") }, history: history)
            if dryRun {
                print(try BuildPlan.make(options).text, terminator: "")
                return
            }
            Interruption.install()
            result = try YearbookBuild.run(options)
            Progress.finished(shown: showProgress)
        } catch let error as YearbookError {
            Progress.finished(shown: showProgress)
            let consequence = error.code.exitStatus == 2 ? "" : "; " + BuildSummary.unpublished(out: out, year: year)
            throw failure(error, printing: "yearbook: \(error)\(consequence)")
        }
        // Errors come first in report order; the warnings are the summary's.
        try result.problems.forEachError { printError($0.description) }
        if !quiet {
            // The summary is Pipeline's BuildSummary; it ends with the errors again and what was published.
            for line in try BuildSummary(result, definition: result.definition, registry: result.registry).lines { printError(line) }
            for line in try BuildSummary.ending(result, out: out, chapter: chapter) { printError(line) }
        }
        if !result.stale.isEmpty {
            printError("stale (a full build would change them; run `yearbook build` without --chapter): \(result.stale.joined(separator: ", "))")
        }
        // Ended here, not by returning: what the build made is not taken apart object by object first.
        Foundation.exit(result.exitCode)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
