import Dispatch
import Foundation
import YearbookCore

/// Wall time of each stage, wall and CPU time of each target on stderr, when YEARBOOK_TIMING is set (for the benchmark).
public final class StageClock: @unchecked Sendable {
    private static let enabled = ProcessInfo.processInfo.environment["YEARBOOK_TIMING"] != nil
    private let enabled = StageClock.enabled

    public init() {}

    /// A target's wall time since `start` and the CPU time of the thread that made it since `cpuStart`
    /// (`POSIX.threadCPUTime`): on a busy machine the CPU time is the target's own cost (from any thread).
    func target(_ target: Target, since start: DispatchTime, cpuSince cpuStart: UInt64) {
        guard enabled else { return }
        let name = target.name
        let end = DispatchTime.now().uptimeNanoseconds
        let wall = StageClock.milliseconds(end - start.uptimeNanoseconds)
        let cpu = StageClock.milliseconds(POSIX.threadCPUTime() - cpuStart)
        // Start and end since the clock was made: the critical path shows in the order the targets ran.
        let span = "\(StageClock.milliseconds(start.uptimeNanoseconds - origin.uptimeNanoseconds))-\(StageClock.milliseconds(end - origin.uptimeNanoseconds))"
        FileHandle.standardError.write(Data("timing:   target \(name) \(wall) ms, cpu \(cpu) ms, at \(span) ms\(target.kind == .extraction ? "" : StageClock.residentMemory)\n".utf8))
    }

    private let origin = DispatchTime.now()
    private var last = DispatchTime.now()

    func lap(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let milliseconds = StageClock.milliseconds(now.uptimeNanoseconds - last.uptimeNanoseconds)
        FileHandle.standardError.write(Data("timing: \(stage) \(milliseconds) ms\(StageClock.residentMemory)\n".utf8))
        last = now
    }

    /// Nanoseconds as milliseconds with one decimal (a small input's target takes well under one).
    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// ", resident N MB" (Linux: /proc/self/statm), to see which stage holds the memory.
    private static var residentMemory: String {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return "" }
        return ", resident \((pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20) MB"
    }
}
