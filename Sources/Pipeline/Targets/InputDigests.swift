import Extract
import Foundation
import YearbookCore

/// Each input file's SHA-256 as the last build found it, with the file's stamp (device, inode, size,
/// modification and change times) and the time that build looked: a file whose stamp is the same and
/// changed before that time is not read again (as git's index). Kept in `<out>/.yearbook-cache/<year>/`
/// beside the target cache; a missing, damaged or foreign file only means every input is hashed.
struct InputDigests: Sendable {
    struct Entry: Sendable, Equatable {
        var stamp: FileStamp
        var digest: String
    }

    /// An input as a build digests it: its name in the tree and where it is.
    struct File: Sendable {
        var name: String
        var path: SystemPath
    }

    static let magic = "yearbook-input-digests 1"
    static let fileName = "inputs.digests"
    static let maxBytes: Int64 = 64 << 20

    let path: SystemPath
    /// What the last build kept, by name in the tree.
    private(set) var kept: [String: Entry] = [:]
    /// When the last build started looking at the inputs (`POSIX.fileSystemClock`).
    private(set) var keptAt: Int64 = 0
    /// What this build found, and when it started looking.
    private(set) var found: [String: Entry] = [:]
    private(set) var foundAt: Int64 = 0
    /// Inputs read whole to be hashed by `digest` (the others' digests were kept).
    private(set) var hashed = 0

    init(folder: String) {
        path = SystemPath((folder as NSString).appendingPathComponent(Self.fileName))
        (kept, keptAt) = Self.load(path) ?? ([:], 0)
    }

    /// The entries of a digests file, or nil when there is none or it is not one this build wrote whole.
    static func load(_ path: SystemPath) -> ([String: Entry], Int64)? {
        // About 130 bytes an input: anything larger than this is not a digests file this tool wrote.
        guard let size = try? POSIX.stamp(path).size, size <= maxBytes,
              let bytes = try? POSIX.readFile(path), bytes.count > 64 else { return nil }
        // The body's own digest at the end: a damaged file is never taken for one with other digests.
        let body = bytes.dropLast(64)
        guard SHA256.hex(body) == String(decoding: bytes.suffix(64), as: UTF8.self) else { return nil }
        var input = BinaryReader(Array(body))
        do {
            guard try input.string() == magic else { return nil }
            let time = Int64(try input.int())
            var entries: [String: Entry] = [:]
            for _ in 0..<(try input.unsigned()) {
                let name = try input.string()
                let stamp = FileStamp(device: try input.unsigned(), inode: try input.unsigned(), size: Int64(try input.int()),
                                      modified: Int64(try input.int()), changed: Int64(try input.int()))
                let digest = try input.string()
                guard digest.utf8.count == 64, digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
                      entries[name] == nil else { return nil }
                entries[name] = Entry(stamp: stamp, digest: digest)
            }
            return input.isAtEnd ? (entries, time) : nil
        } catch {
            return nil
        }
    }

    /// Each file's digest with its stamp before it was read, by name; a file that cannot be read has none (its
    /// extraction says why). A file is read only when its stamp differs from the last build's or it changed as
    /// that build looked.
    mutating func digest(_ files: [File], now: Int64 = POSIX.fileSystemClock()) -> [String: KnownContent] {
        foundAt = now
        let kept = kept, keptAt = keptAt
        let entries = Parallel.map(files.count) { index -> (entry: Entry, hashed: Bool)? in
            let file = files[index]
            // The stamp before the read: a change while it is read shows in the next build's stamp.
            guard let stamp = try? POSIX.stamp(file.path) else { return nil }
            if let entry = kept[file.name], entry.stamp == stamp, stamp.changedBefore(keptAt) { return (entry, false) }
            guard let read = try? FileByteStream.digestAndSize(systemPath: file.path) else { return nil }
            return (Entry(stamp: stamp, digest: read.digest), true)
        }
        found = [:]
        hashed = 0
        var digests: [String: KnownContent] = [:]
        for (file, result) in zip(files, entries) {
            guard let result else { continue }
            found[file.name] = result.entry
            digests[file.name] = KnownContent(digest: result.entry.digest, stamp: result.entry.stamp)
            if result.hashed { hashed += 1 }
        }
        return digests
    }

    /// Whether `save` would write anything: an input hashed, or one gone since the last build.
    var changed: Bool { hashed > 0 || found.count != kept.count }

    /// Keeps this build's digests (of the current inputs only) for the next build, replacing the file whole.
    func save() throws {
        guard changed else { return }
        var out = BinaryWriter()
        out.string(Self.magic)
        out.int(Int(foundAt))
        out.unsigned(UInt64(found.count))
        for (name, entry) in found.sorted(by: { $0.key < $1.key }) {
            out.string(name)
            out.unsigned(entry.stamp.device)
            out.unsigned(entry.stamp.inode)
            out.int(Int(entry.stamp.size))
            out.int(Int(entry.stamp.modified))
            out.int(Int(entry.stamp.changed))
            out.string(entry.digest)
        }
        var bytes = out.takeBytes()
        bytes.append(contentsOf: Array(SHA256.hex(bytes).utf8))
        try POSIX.makeFolders(path.parent)
        try POSIX.replaceFile(path, bytes, durable: false)
    }
}
