import Foundation
import Normalize
import YearbookCore

/// What each input file gave the last build, so that regenerating a chapter
/// re-reads only the files that changed (by size and modification time, as
/// git's index does; the SHA-256 kept with each is the file's identity in the
/// manifest). Kept beside the output in `<out>/.yearbook-cache/<year>.json`,
/// which is not part of the yearbook.
struct BuildCache: Codable {
    struct Entry: Codable {
        var size: Int
        var modified: Int64
        var roster: RosterFileResult?
        var submission: SubmissionFileResult?
    }

    /// Tool version, pipeline definition and read limits: any change empties the cache.
    var key: String
    var files: [String: Entry] = [:]

    static func path(out: String, year: Int) -> String {
        (out as NSString).appendingPathComponent(".yearbook-cache/\(year).json")
    }

    static func load(out: String, year: Int, key: String) -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: path(out: out, year: year)),
              let cache = try? JSONDecoder().decode(BuildCache.self, from: data), cache.key == key else { return nil }
        return cache
    }

    func save(out: String, year: Int) {
        let target = BuildCache.path(out: out, year: year)
        try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard let data = try? JSONEncoder().encode(self) else { return }
        let temporary = target + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temporary, contents: data) {
            _ = rename(temporary, target)
        }
    }

    /// Size and modification time (nanoseconds) of a file.
    static func stamp(_ path: String) -> (size: Int, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    func entry(name: String, path: String) -> Entry? {
        guard let entry = files[name], let stamp = BuildCache.stamp(path),
              stamp.size == entry.size, stamp.modified == entry.modified else { return nil }
        return entry
    }
}
