import Dispatch
import Foundation
import Normalize
import YearbookCore

/// What each input file gave the last build, so that regenerating a chapter
/// re-reads only the files that changed (by size and modification time, as
/// git's index does; the SHA-256 kept with each is the file's identity in the
/// manifest). Kept beside the output in `<out>/.yearbook-cache/<year>.bin`,
/// which is not part of the yearbook. A compact binary form: reading it is
/// most of the time of a one-chapter regeneration.
struct BuildCache {
    struct Entry {
        var size: Int
        var modified: Int64
        var roster: RosterFileResult?
        var submission: SubmissionFileResult?
    }

    /// Tool version, pipeline definition, registry and read limits: any change empties the cache.
    var key: String
    /// Loaded entries, each with its bytes (written again as they are).
    var files: [String: (entry: Entry, bytes: [UInt8])] = [:]
    /// Entries to write, made by the extraction workers in parallel.
    var encoded: [String: [UInt8]] = [:]

    // Bumped when what an extraction gives changes (2: encoding per whole file, SDMX actions, Chinese messages).
    static let magic = "yearbook-cache 2"

    static func path(out: String, year: Int) -> String {
        (out as NSString).appendingPathComponent(".yearbook-cache/\(year).bin")
    }

    static func encode(_ entry: Entry) -> [UInt8] {
        var out = BinaryWriter()
        out.int(entry.size)
        out.int(Int(entry.modified))
        out.optional(entry.roster) { o, r in r.write(to: &o) }
        out.optional(entry.submission) { o, s in s.write(to: &o) }
        return out.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> Entry {
        var input = BinaryReader(bytes)
        return Entry(size: try input.int(), modified: Int64(try input.int()),
                     roster: try input.optional { i in try RosterFileResult(reading: &i) },
                     submission: try input.optional { i in try SubmissionFileResult(reading: &i) })
    }

    static func load(out: String, year: Int, key: String) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: path(out: out, year: year)) else { return nil }
        var input = BinaryReader(Array(data))
        do {
            guard try input.string() == magic, try input.string() == key else { return nil }
            var cache = BuildCache(key: key)
            for _ in 0..<(try input.unsigned()) {
                let name = try input.string()
                let bytes = try input.raw(Int(try input.unsigned()))
                cache.files[name] = (try decode(bytes), bytes)
            }
            return cache
        } catch {
            return nil   // A damaged cache is only a slower regeneration.
        }
    }

    func save(out: String, year: Int) {
        let target = BuildCache.path(out: out, year: year)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var writer = BinaryWriter()
        writer.string(BuildCache.magic)
        writer.string(key)
        let names = encoded.keys.sorted()
        writer.unsigned(UInt64(names.count))
        var bytes = writer.bytes
        for name in names {
            var header = BinaryWriter()
            header.string(name)
            header.unsigned(UInt64(encoded[name]!.count))
            bytes += header.bytes
            bytes += encoded[name]!
        }
        let temporary = target + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) {
            _ = rename(temporary, target)
        }
    }

    /// Size and modification time (nanoseconds) of a file.
    static func stamp(_ path: String) -> (size: Int, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    func entry(name: String, path: String) -> (entry: Entry, bytes: [UInt8])? {
        guard let cached = files[name], let stamp = BuildCache.stamp(path),
              stamp.size == cached.entry.size, stamp.modified == cached.entry.modified else { return nil }
        return cached
    }
}
