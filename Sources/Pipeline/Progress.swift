import Foundation

/// Progress of a build on stderr, only when stderr is a terminal and not
/// `--quiet`: each stage as it starts, and while extracting the files done,
/// rows a second and time left, at most ten updates a second, on one line.
/// Its counts are the summary's: roster files and rows, submissions and
/// observations, cached files included.
public final class Progress: @unchecked Sendable {
    /// The files to read (set once the build knows which it reads again).
    public var total: Int
    private var done = 0
    private var rosterRows = 0
    private var observations = 0
    private let start = Date()
    private var lastShown = Date.distantPast
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void

    public init(totalFiles: Int, write: @escaping @Sendable (String) -> Void = Progress.toStandardError) {
        total = totalFiles
        self.write = write
    }

    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    @Sendable public static func toStandardError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// A stage begins (`reconcile`, `aggregate and rank`, …): it replaces the line.
    public static func stage(_ name: String, shown: Bool, write: @Sendable (String) -> Void = Progress.toStandardError) {
        if shown { write("\r\u{1B}[K\(name)…") }
    }

    /// The build is over: the stage line is cleared for the summary.
    public static func finished(shown: Bool, write: @Sendable (String) -> Void = Progress.toStandardError) {
        if shown { write("\r\u{1B}[K") }
    }

    public func fileDone(rosterRows fileRows: Int, observations fileObservations: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        rosterRows += fileRows
        observations += fileObservations
        let now = Date()
        guard done == total || now.timeIntervalSince(lastShown) >= 0.1 else { return }
        lastShown = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let counts = "extract: \(done)/\(total) files, \(rosterRows) roster rows, \(observations) observations"
        if done == total {
            write(String(format: "\r\u{1B}[K%@ in %.1fs\n", counts, elapsed))
        } else {
            let left = Double(total - done) * elapsed / Double(done)
            write(String(format: "\r\u{1B}[K%@, %@ rows/s, about %.0fs left", counts,
                         Progress.grouped(Int(Double(rosterRows) / elapsed)), left))
        }
    }

    static func grouped(_ value: Int) -> String {
        var digits = String(value)
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: digits.index(digits.startIndex, offsetBy: index))
            index -= 3
        }
        return digits
    }
}
