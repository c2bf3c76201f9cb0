import Foundation

/// Temporary folders that outlive one test (a build several tests read, a file per call): all under
/// one folder of this test process, removed when the process exits, so a test run leaves nothing behind.
public enum Scratch {
    private static let root: String = {
        let path = NSTemporaryDirectory() + "yearbook-tests-\(ProcessInfo.processInfo.processIdentifier)-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        removeAtExit = path
        atexit { if let path = Scratch.removeAtExit { try? FileManager.default.removeItem(atPath: path) } }
        return path
    }()
    nonisolated(unsafe) private static var removeAtExit: String?

    /// A new empty folder named `prefix-<uuid>` inside the process's scratch folder.
    public static func folder(_ prefix: String) -> String {
        let path = root + "/" + prefix + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
