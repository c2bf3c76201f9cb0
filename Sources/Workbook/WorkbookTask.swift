import Foundation
import Render

/// The workbook as one piece of an edition's parallel work (whose pieces give
/// bytes, not errors): a failure of libxlsxwriter is kept for the build to
/// throw once every piece has run.
public final class WorkbookTask: @unchecked Sendable {
    public static let path = "yearbook.xlsx"
    private let edition: Edition
    private let presentation: Presentation
    private let lock = NSLock()
    private var error: Error?

    public init(_ edition: Edition, presentation: Presentation) {
        self.edition = edition
        self.presentation = presentation
    }

    public func run() -> [String: [UInt8]] {
        do {
            return [Self.path: try WorkbookWriter.bytes(edition, presentation: presentation)]
        } catch {
            lock.lock()
            self.error = error
            lock.unlock()
            return [:]
        }
    }

    /// Why the workbook could not be made, once `run` has returned.
    public var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
