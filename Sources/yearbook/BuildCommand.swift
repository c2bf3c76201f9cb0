import ArgumentParser
import Extract
import Foundation
import Pipeline
import YearbookCore

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the yearbook of one year (default: the samples' latest year into output/).")

    @Option(help: "The input tree: areas.csv and <year>/exports, <year>/submissions.")
    var input = "samples/input"

    @Option(help: "The reporting year (default: the latest year folder of the input).")
    var year: Int?

    @Option(help: "The output folder; the build writes the edition <out>/<year>/.")
    var out = "output"

    @Option(help: "The pipeline definition.")
    var pipeline = "pipelines/yearbook.yml"

    @Option(help: "Regenerate this chapter; other outputs a full build would change are listed stale.")
    var chapter: String?

    @Flag(help: "Print what would be rebuilt and why, and write nothing.")
    var dryRun = false

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
            showProgress: !quiet && Progress.stderrIsTerminal, say: { printError("yearbook: \($0)") })
        let result: BuildResult
        do {
            if dryRun {
                print(try BuildPlan.make(options).text, terminator: "")
                return
            }
            Interruption.install()
            result = try YearbookBuild.run(options)
        } catch let error as UsageError {
            printError("yearbook: \(error)")
            throw ExitCode(2)
        } catch let error as SystemError {
            printError("yearbook: \(error); nothing was published, the edition is as it was")
            throw ExitCode(1)
        }
        let errors = result.problems.errors
        for problem in result.problems.items.filter({ $0.severity == .error }).sorted(by: Problem.reportOrder) {
            printError(problem.description)
        }
        if !quiet {
            let counts = result.counts
            printError("""
                yearbook \(result.year): \(counts.rosterFiles) roster files, \(counts.rowsRead) rows = \(counts.accepted) accepted + \(counts.inactive) inactive + \(counts.rejected) rejected; \
                \(counts.submissionFiles) submissions, \(counts.observationsRead) observations; \
                \(errors.count) errors, \(result.problems.warnings.count) warnings
                """)
            let folder = (out as NSString).appendingPathComponent(String(result.year))
            if result.published, let chapter {
                printError("regenerated chapter \(chapter): \(result.filesRead) input files read, the others taken from the last build; "
                    + "wrote \(result.written.isEmpty ? "nothing (no change)" : result.written.joined(separator: ", ")) in \(folder)/")
            } else if result.published {
                printError("wrote \(folder)/: \(result.written.count) files changed (reports in reports/)")
            } else {
                printError("nothing published: the edition in \(folder)/ is as it was"
                    + (result.failedReports.map { "; the reports of this build are in \($0)/reports/" } ?? ""))
            }
        }
        if !result.stale.isEmpty {
            printError("stale (a full build would change them; run `yearbook build` without --chapter): \(result.stale.joined(separator: ", "))")
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
