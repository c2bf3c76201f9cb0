import Foundation
import YearbookCore

/// What an output target makes: its files, by their path in the edition. Most are bytes; a file
/// that a C library writes to a path (the database, the workbook, a streamed report) is already
/// written into the output folder the targets were given. The publisher takes both: it writes,
/// links or compares them, and records them in the manifest.
public struct OutputFiles: Sendable {
    public var bytes: [String: [UInt8]] = [:]
    /// Files already written at `OutputFolder.place(_:)`, by their path in the edition.
    public var written: [String] = []

    public init(bytes: [String: [UInt8]] = [:], written: [String] = []) {
        self.bytes = bytes
        self.written = written
    }
}

/// Where output targets write the files they cannot hand over as bytes: the new edition's
/// staging folder, a plain path. It exists before any output target starts.
public struct OutputFolder: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    /// The path to write the edition's file `name` at: its folders made, nothing left there.
    public func place(_ name: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(name)
        try Self.creatingFolders.withLock { try POSIX.makeFolders(SystemPath(SystemPath.parent(of: full))) }
        try POSIX.removeTree(SystemPath(full))
        return full
    }

    /// Held by whoever makes a folder in the staging folder (a target here, the publisher beside
    /// it): each folder is made once, by one `mkdir`, whichever comes first.
    static let creatingFolders = NSLock()
}
