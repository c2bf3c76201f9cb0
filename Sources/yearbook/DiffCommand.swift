import ArgumentParser
import Readers
import Foundation
import YearbookCore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two editions figure by figure (output/2018 and output/2019, or two builds of one year).",
        discussion: "Exit code 0 when the editions are the same, 1 when they differ, 2 for a usage error or a folder that is not an edition.")

    @Argument(help: "The first edition folder, e.g. output/2018.")
    var a: String

    @Argument(help: "The second edition folder, e.g. output/2019.")
    var b: String

    @Option(parsing: .unconditional, help: "Differences of at most this much are not differences: a figure in the indicator's base unit (0.5) or a share of the first edition's value (0.5%).")
    var tolerance = "0"

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Option(parsing: .unconditional, help: "Most rows a Markdown section lists.")
    var limit = 200

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit \(limit) is not a number of rows ≥ 0: give 0 or more, or leave it out for 200") }
    }

    func run() throws {
        guard let tolerance = Tolerance(tolerance) else {
            printError("yearbook diff: --tolerance '\(self.tolerance)' is not a figure ≥ 0 (0.5) or a percentage ≥ 0 (0.5%)")
            throw ExitCode(2)
        }
        let diff: EditionDiff
        do {
            diff = try EditionDiff.compare(a, b, tolerance: tolerance)
        } catch let error as YearbookError {
            throw failure(error, printing: "yearbook diff: \(error)")
        }
        print(json ? diff.json : diff.markdown(limit: limit), terminator: "")
        if diff.differs { throw ExitCode(1) }
    }
}
