import ArgumentParser
import Definition
import EditionFiles
import Pipeline
import Foundation
import Readers

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Tell what input files hold: a roster's encoding, header and row counts; an SDMX message's form, sender and observations; the area registry's levels, successions and problems.")

    @Argument(help: "Roster exports (.csv.gz), SDMX messages (.xml, .xml.gz) or the area registry (areas.csv).")
    var files: [String]

    @Flag(help: "Print JSON: an array with one object per file.")
    var json = false

    @Option(help: "The pipeline definition, for the indicators a roster yields (default: as for build).")
    var pipeline: String?

    func run() throws {
        let definition = try? PipelineDefinition.load(path: Defaults.pipeline(pipeline, input: nil))
        let indicators = definition?.indicators ?? []
        let reports = files.map { Inspection.inspect(path: $0, registry: Inspection.registryNear($0), indicators: indicators) }
        if json {
            print(EditionJSON.text(reports))
        } else {
            print(reports.map(Inspection.text).joined(separator: "\n\n"))
        }
        if reports.contains(where: { $0.kind == "unreadable" }) { throw ExitCode(1) }
    }
}
