import Foundation

/// Publishes a build's files atomically: everything is written into a folder
/// beside the target, then swapped in with renames, so a failed or interrupted
/// build leaves the previous output of that year exactly as it was.
public enum Publisher {
    public static func publish(files: [String: [UInt8]], to target: String) throws {
        let fm = FileManager.default
        let parent = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let staging = (parent as NSString).appendingPathComponent(".\(name).building-\(getpid())")
        let retired = (parent as NSString).appendingPathComponent(".\(name).previous-\(getpid())")
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        do {
            for path in files.keys.sorted() {
                let full = (staging as NSString).appendingPathComponent(path)
                try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: full, contents: Data(files[path]!)) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full])
                }
            }
            if fm.fileExists(atPath: target) {
                try fm.moveItem(atPath: target, toPath: retired)
            }
            try fm.moveItem(atPath: staging, toPath: target)
            try? fm.removeItem(atPath: retired)
        } catch {
            try? fm.removeItem(atPath: staging)
            if !fm.fileExists(atPath: target), fm.fileExists(atPath: retired) {
                try? fm.moveItem(atPath: retired, toPath: target)
            }
            throw error
        }
    }
}
