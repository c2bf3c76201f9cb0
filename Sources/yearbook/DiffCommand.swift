import ArgumentParser
import Readers
import Foundation
import YearbookCore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two editions figure by figure: what was revised between output/2018 and output/2019, or what moved between two builds of one year.",
        discussion: "Editions of different years are compared on the year both publish: the figures that differ there are revisions (修订). "
            + "Exit code 0 when nothing moved beyond the tolerance, 1 when something did, 2 for a usage error or a folder that is not an edition.")

    @Argument(help: "The first edition folder, e.g. output/2018.")
    var a: String

    @Argument(help: "The second edition folder, e.g. output/2019.")
    var b: String

    @Option(parsing: .unconditional, help: "Differences of at most this much are not differences: a figure in the indicator's base unit (0.5) or a share of the first edition's value (0.5%).")
    var tolerance = "0"

    @Flag(help: "Print JSON instead of Markdown (the same as --format json).")
    var json = false

    @Option(parsing: .unconditional, help: "markdown (for a CI job summary or a review comment) or json.")
    var format = "markdown"

    @Option(parsing: .unconditional, help: "Most rows a Markdown section lists, the largest changes first.")
    var limit = 50

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit \(limit) is not a number of rows ≥ 0: give 0 or more, or leave it out for 50") }
        if !["markdown", "json"].contains(format) {
            throw ValidationError("--format '\(format)' is not a format: give markdown or json")
        }
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
        print(json || format == "json" ? diff.json : diff.markdown(limit: limit), terminator: "")
        if diff.differs { throw ExitCode(1) }
    }
}
