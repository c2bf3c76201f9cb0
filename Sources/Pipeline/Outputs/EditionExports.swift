import Foundation
import Normalize
import Render
import YearbookCore

/// The edition's database and its SDMX export, as render tasks beside the others.
enum EditionExports {
    /// What the exports gave beyond bytes: the database's manifest entry, or the first error met.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var error: Error?
        private(set) var entries: [Manifest.FileEntry] = []

        func record(_ error: Error) {
            lock.lock()
            self.error = self.error ?? error
            lock.unlock()
        }

        func record(_ entry: Manifest.FileEntry) {
            lock.lock()
            entries.append(entry)
            lock.unlock()
        }

        var firstError: Error? {
            lock.lock()
            defer { lock.unlock() }
            return error
        }
    }

    /// The database is written straight into the staging folder (a national
    /// one is tens of MB); the SDMX export is bytes like the other outputs.
    static func tasks(_ result: BuildResult, registry: AreaRegistry, definition: PipelineDefinition, subject: String,
                      staging: Publisher.Staging, outcome: Outcome) -> [() -> [String: [UInt8]]] {
        [{
            do {
                try EditionDatabase.write(path: try staging.location(of: EditionDatabase.fileName), result, registry: registry,
                                          definition: definition, subject: subject)
                outcome.record(try staging.addWritten(EditionDatabase.fileName))
            } catch {
                outcome.record(error)
            }
            return [:]
        }, {
            ["data/observations.xml": SDMXWriter.structureSpecificData(result.observations, year: result.year, sender: subject,
                                                                       prepared: preparedTime(result))]
        }]
    }

    /// The export's `Prepared`, fixed from the inputs: the latest `Prepared` of
    /// the submissions read, else the last day of the build year.
    static func preparedTime(_ result: BuildResult) -> String {
        result.submissions.compactMap(\.prepared).max()?.text ?? "\(result.year)-12-31T00:00:00Z"
    }
}
