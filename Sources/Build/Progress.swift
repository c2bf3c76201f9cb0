import Foundation

/// Progress of a long build on stderr (files done, time left), only when
/// stderr is a terminal and not `--quiet`.
public final class Progress: @unchecked Sendable {
    private let total: Int
    private var done = 0
    private let start = Date()
    private let lock = NSLock()

    public init(totalFiles: Int) { total = totalFiles }

    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    public func fileDone() {
        lock.lock()
        done += 1
        let done = self.done
        lock.unlock()
        let elapsed = Date().timeIntervalSince(start)
        let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line = String(format: "\r\u{1B}[Kextract: %d/%d files, %.0fs elapsed, about %.0fs left", done, total, elapsed, left)
        FileHandle.standardError.write(line.data(using: .utf8)!)
        if done == total { FileHandle.standardError.write("\n".data(using: .utf8)!) }
    }
}
