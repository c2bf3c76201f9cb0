import ArgumentParser
import Compare
import Foundation
import YearbookCore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two builds cell by cell (output/2018 and output/2019, or two builds of one year).",
        discussion: "Exit code 0 when the builds are the same, 1 when they differ, 2 for a usage error or a folder that is not a build.")

    @Argument(help: "The first build folder, e.g. output/2018.")
    var a: String

    @Argument(help: "The second build folder, e.g. output/2019.")
    var b: String

    @Option(help: "Differences of at most this much (in the indicator's base unit) are not differences.")
    var tolerance = "0"

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Option(help: "Most rows a Markdown section lists.")
    var limit = 200

    func run() throws {
        guard let tolerance = Exact(decimal: tolerance), !tolerance.isNegative else {
            throw ValidationError("--tolerance must be a number ≥ 0")
        }
        let diff: BuildDiff
        do {
            diff = try BuildDiff.compare(a, b, tolerance: tolerance)
        } catch let error as NotABuild {
            printError("yearbook diff: \(error)")
            throw ExitCode(2)
        }
        print(json ? diff.json : diff.markdown(limit: limit), terminator: "")
        if diff.differs { throw ExitCode(1) }
    }
}
