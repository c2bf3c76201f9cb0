import ArgumentParser
import Foundation
import Pipeline
import Readers
import YearbookCore

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Copy what may be published of an edition (pages, charts, workbook, public data) into a folder for a web server.",
        discussion: "Never the reports or the database: they hold household ids, rejected records and the input files' names. "
            + "Exit code 0 when released, 2 when the edition is stale or does not verify, or DEST holds files a release did not write.")

    @Argument(help: "The edition, e.g. output/2019.")
    var edition: String

    @Argument(help: "The release's folder: new, empty, or an earlier release (replaced whole).")
    var dest: String

    func run() throws {
        Interruption.install()
        let result: EditionRelease.Result
        do {
            result = try EditionRelease.publish(edition: edition, dest: dest, verify: { try Verification.verify(edition: $0, input: nil) },
                                                waiting: { printError("yearbook release: \($0)") })
        } catch let error as YearbookError {
            throw failure(error, printing: "yearbook release: \(error)")
        }
        print("\(dest): released \(result.files.count) files of \(edition), with no household id, rejected record or input file name")
    }
}
