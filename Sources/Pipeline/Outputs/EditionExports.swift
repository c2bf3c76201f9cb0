import Foundation
import Normalize
import Render
import YearbookCore

/// The edition's database and its SDMX export, as render tasks beside the others.
enum EditionExports {
    /// The first error an export met (render tasks return bytes, they cannot throw).
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var error: Error?

        func record(_ error: Error) {
            lock.lock()
            self.error = self.error ?? error
            lock.unlock()
        }

        var first: Error? {
            lock.lock()
            defer { lock.unlock() }
            return error
        }
    }

    static func tasks(_ result: BuildResult, registry: AreaRegistry, definition: PipelineDefinition, subject: String,
                      failures: Failures) -> [() -> [String: [UInt8]]] {
        [{
            do {
                return [EditionDatabase.fileName: try EditionDatabase.bytes(result, registry: registry, definition: definition,
                                                                            subject: subject)]
            } catch {
                failures.record(error)
                return [:]
            }
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
