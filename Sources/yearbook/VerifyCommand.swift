import ArgumentParser
import Pipeline
import Readers
import YearbookCore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a published yearbook against its manifest (and, with --input, against its inputs).")

    @Argument(help: "The edition, e.g. output/2019.")
    var edition: String

    @Option(help: "The input tree the yearbook was built from.")
    var input: String?

    func run() throws {
        let mismatches: [String]
        do {
            mismatches = try Verification.verify(edition: edition, input: input)
        } catch let error as YearbookError {
            throw failure(error, printing: "yearbook verify: \(error)")
        }
        for line in mismatches { print(line) }
        if !mismatches.isEmpty {
            if let remedy = Verification.remedy(edition: edition, input: input) { printError("yearbook verify: \(remedy)") }
            throw ExitCode(1)
        }
        print("\(edition): every output is as built\(input == nil ? "" : " and every input as read")")
    }
}
