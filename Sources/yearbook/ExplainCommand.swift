import ArgumentParser
import Foundation
import Pipeline
import Readers
import YearbookCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Tell where a figure of an edition comes from: its derivation down to files and rows, with the figures at every step.")

    @Argument(help: "An edition folder (output/2019).")
    var edition: String

    @Argument(help: "The area, by code (430200) or name (株洲市, Zhuzhou).")
    var area: String

    @Argument(help: "The indicator, by code (DIBAO_PERSONS_U) or name (城市低保对象).")
    var indicator: String

    @Option(parsing: .unconditional, help: "The period (default: the edition's year).")
    var period: Int?

    @Flag(help: "Print the derivation as JSON.")
    var json = false

    func run() throws {
        let explanation: Explanation
        do {
            explanation = try Explanation.load(edition: edition, area: area, indicator: indicator, period: period)
        } catch let error as YearbookError {
            throw failure(error, printing: "error: \(error)")
        }
        print(json ? explanation.json : explanation.text)
    }
}
