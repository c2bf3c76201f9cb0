import Foundation
import Normalize
import YearbookCore

/// What each input file gave the last build, so that regenerating a chapter
/// re-reads only the files that changed (by size and modification time, as
/// git's index does; the SHA-256 kept with each is the file's identity in the
/// manifest). Kept beside the output in `<out>/.yearbook-cache/<year>.json`,
/// which is not part of the yearbook.
struct BuildCache {
    struct Entry: Codable {
        var size: Int
        var modified: Int64
        var roster: RosterFileResult?
        var submission: SubmissionFileResult?
    }

    /// Tool version, pipeline definition, registry and read limits: any change empties the cache.
    var key: String
    /// Loaded entries, each with its JSON (written again as it is).
    var files: [String: (entry: Entry, json: [UInt8])] = [:]
    /// Entries as JSON lines, made by the extraction workers in parallel.
    var encoded: [String: [UInt8]] = [:]

    static func path(out: String, year: Int) -> String {
        (out as NSString).appendingPathComponent(".yearbook-cache/\(year).jsonl")
    }

    static func encode(_ entry: Entry) -> [UInt8] {
        Array((try? JSONEncoder().encode(entry)) ?? Data())
    }

    /// The file: the key on the first line, then `name<TAB>entry JSON` per input file.
    static func load(out: String, year: Int, key: String) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: path(out: out, year: year)) else { return nil }
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == key else { return nil }
        var cache = BuildCache(key: key)
        let decoder = JSONDecoder()
        for line in lines.dropFirst() {
            guard let tab = line.firstIndex(of: 0x09) else { continue }
            let json = Array(line[line.index(after: tab)...])
            guard let entry = try? decoder.decode(Entry.self, from: Data(json)) else { continue }
            cache.files[String(decoding: line[..<tab], as: UTF8.self)] = (entry, json)
        }
        return cache
    }

    func save(out: String, year: Int) {
        let target = BuildCache.path(out: out, year: year)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var bytes = Array(key.utf8) + [0x0A]
        for name in encoded.keys.sorted() {
            bytes += Array(name.utf8) + [0x09] + encoded[name]! + [0x0A]
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

    func entry(name: String, path: String) -> (entry: Entry, json: [UInt8])? {
        guard let cached = files[name], let stamp = BuildCache.stamp(path),
              stamp.size == cached.entry.size, stamp.modified == cached.entry.modified else { return nil }
        return cached
    }
}
