import ArgumentParser
import YearbookCore

struct YearbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yearbook",
        abstract: "Builds the statistical yearbook of a civil-affairs bureau from county rosters and SDMX submissions.",
        version: "yearbook \(YearbookVersion.current)",
        subcommands: [BuildCommand.self, InspectCommand.self, DiffCommand.self, VerifyCommand.self, ExplainCommand.self, ReleaseCommand.self],
        defaultSubcommand: BuildCommand.self)
}
