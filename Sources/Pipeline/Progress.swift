import Foundation

/// Progress of a long build on stderr — files done, rows per second, time
/// left — only when stderr is a terminal and not `--quiet`. At most ten
/// updates a second, on one line.
public final class Progress: @unchecked Sendable {
    /// The files to read (set once the build knows which it reads again).
    public var total: Int
    private var done = 0
    private var rows = 0
    private let start = Date()
    private var lastShown = Date.distantPast
    private let lock = NSLock()

    public init(totalFiles: Int) { total = totalFiles }

    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    public func fileDone(rows fileRows: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        rows += fileRows
        let now = Date()
        guard done == total || now.timeIntervalSince(lastShown) >= 0.1 else { return }
        lastShown = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let left = Double(total - done) * elapsed / Double(done)
        let line = String(format: "\r\u{1B}[Kextract: %d/%d files, %@ rows, %@ rows/s, %.0fs elapsed, about %.0fs left",
                          done, total, Progress.grouped(rows), Progress.grouped(Int(Double(rows) / elapsed)), elapsed, left)
        FileHandle.standardError.write(Data(line.utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
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
