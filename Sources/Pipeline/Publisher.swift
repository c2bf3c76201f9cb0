import Extract
import Foundation

/// Publishes a build's files. A whole edition is written into a folder beside
/// the target and swapped in with renames, so a failed or interrupted build
/// leaves the previous output of that year exactly as it was. A file whose
/// content did not change is not rewritten: the old file is linked into the
/// new folder, keeping its modification time.
public enum Publisher {
    /// Publishes `files` as the whole content of `target`; returns the files written anew.
    @discardableResult
    public static func publish(files: [String: [UInt8]], to target: String) throws -> [String] {
        let staging = try Staging(target: target)
        do {
            for path in files.keys.sorted() { try staging.add(path, files[path]!) }
            return try staging.commit()
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// A new edition being written beside its target. Files can be added from
    /// several threads as they are made, so a build never holds all its
    /// outputs in memory at once; `commit` swaps the folder in.
    public final class Staging: @unchecked Sendable {
        let target: String
        let folder: String
        private let retired: String
        private let lock = NSLock()
        private var written: [String] = []

        public init(target: String) throws {
            let fm = FileManager.default
            self.target = target
            let parent = (target as NSString).deletingLastPathComponent
            let name = (target as NSString).lastPathComponent
            try fm.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
            folder = (parent as NSString).appendingPathComponent(".\(name).building-\(getpid())")
            retired = (parent as NSString).appendingPathComponent(".\(name).previous-\(getpid())")
            removeLeftovers(of: name, in: parent)
            try? fm.removeItem(atPath: folder)
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }

        /// Writes one output; one whose content did not change is linked from the old edition instead.
        public func add(_ path: String, _ bytes: [UInt8]) throws {
            let full = (folder as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let old = (target as NSString).appendingPathComponent(path)
            if existing(path, at: target) == bytes, link(old, full) == 0 { return }
            try write(bytes, to: full)
            lock.lock()
            written.append(path)
            lock.unlock()
        }

        /// Where an output made as a file of its own (the edition's database) is
        /// written in place, without its bytes held in memory; then `addWritten`.
        public func location(of path: String) throws -> String {
            let full = (folder as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: full)
            return full
        }

        /// Takes the output written at `location(of:)`, hashed as a stream; the
        /// old edition's file is linked in its place when it is the same.
        public func addWritten(_ path: String) throws -> Manifest.FileEntry {
            let full = (folder as NSString).appendingPathComponent(path)
            let digest = try FileByteStream.digest(path: full)
            let size = (try FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
            let old = (target as NSString).appendingPathComponent(path)
            let linked = full + ".linked"
            if (try? FileByteStream.digest(path: old)) == digest, link(old, linked) == 0, rename(linked, full) == 0 {
                return Manifest.FileEntry(file: path, bytes: size, sha256: digest)
            }
            try? FileManager.default.removeItem(atPath: linked)
            lock.lock()
            written.append(path)
            lock.unlock()
            return Manifest.FileEntry(file: path, bytes: size, sha256: digest)
        }

        /// Swaps the new edition in; returns the files written anew.
        public func commit() throws -> [String] {
            let fm = FileManager.default
            do {
                if fm.fileExists(atPath: target) { try fm.moveItem(atPath: target, toPath: retired) }
                try fm.moveItem(atPath: folder, toPath: target)
                try? fm.removeItem(atPath: retired)
            } catch {
                abandon()
                throw error
            }
            return written.sorted()
        }

        /// Drops the new edition; the old one stays (or comes back) in place.
        public func abandon() {
            let fm = FileManager.default
            try? fm.removeItem(atPath: folder)
            if !fm.fileExists(atPath: target), fm.fileExists(atPath: retired) {
                try? fm.moveItem(atPath: retired, toPath: target)
            }
        }
    }

    /// Folders an interrupted build left beside the target (`.2019.building-PID`,
    /// `.2019.previous-PID`) whose process is gone.
    static func removeLeftovers(of name: String, in parent: String) {
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: parent.isEmpty ? "." : parent)) ?? [] {
            for prefix in [".\(name).building-", ".\(name).previous-"] where entry.hasPrefix(prefix) {
                guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
                try? fm.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
            }
        }
    }

    /// Writes only `files` into the existing `target`, each atomically (a
    /// temporary file renamed over the old one), and only where its content
    /// changed; returns the files written.
    @discardableResult
    public static func update(files: [String: [UInt8]], at target: String) throws -> [String] {
        var written: [String] = []
        for path in files.keys.sorted() where existing(path, at: target) != files[path] {
            let full = (target as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let temporary = (full as NSString).deletingLastPathComponent + "/.\((full as NSString).lastPathComponent).\(getpid()).tmp"
            try write(files[path]!, to: temporary)
            guard rename(temporary, full) == 0 else {
                try? FileManager.default.removeItem(atPath: temporary)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: full])
            }
            written.append(path)
        }
        return written
    }

    /// The bytes of an output file as published now, if any.
    public static func existing(_ path: String, at target: String) -> [UInt8]? {
        FileManager.default.contents(atPath: (target as NSString).appendingPathComponent(path)).map(Array.init)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
