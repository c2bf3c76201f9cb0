import Aggregate
import Foundation
import Normalize
import Outputs
import YearbookCore

/// The typed results an edition's build keeps for the next one, by target and
/// key, in `<out>/.yearbook-cache/<year>/` (not part of the yearbook): each
/// input file's extraction (one pack, and a roster's rejected rows in a spool
/// named by its key under `rejects/`), the aggregated dataset, the ranks and
/// the findings, and every target's key and parts (what `--dry-run` compares).
/// A result is used only under the key it was made with; a damaged or older
/// cache is only a slower build.
final class TargetCache: TargetStore, @unchecked Sendable {
    /// A target's key and own parts as the last build made them.
    struct Record: Sendable {
        var key: TargetKey
        var parts: [KeyPart]
        var reads: [String]
    }

    static let magic = "yearbook-target-cache 7"

    let folder: String
    private var pack: [UInt8] = []
    private var extractions: [String: (key: String, range: Range<Int>)] = [:]
    private(set) var records: [String: Record] = [:]
    /// Results read before the graph asked for them, with the key each was kept under.
    private var earlyResults: [String: (key: String, value: any Sendable)] = [:]
    /// Each file the cache read, with its stamp before it was read (nil: it was not there).
    private var readStamps: [SystemPath: FileStamp?] = [:]

    /// Which targets' records the cache reads from its index: every one (what `--dry-run` explains), or
    /// only those whose results it keeps in files of their own (all a build asks of the records; a national
    /// index holds 11,600, about 10 MB once read).
    enum Records { case every, ofKeptResults }

    init(out: String, year: Int, records: Records = .every) {
        folder = Self.folder(out: out, year: year)
        load(records)
    }

    /// Where the cache of `year`'s edition in `out` is kept.
    static func folder(out: String, year: Int) -> String {
        (out as NSString).appendingPathComponent(".yearbook-cache/\(year)")
    }

    private func path(_ name: String) -> SystemPath { SystemPath((folder as NSString).appendingPathComponent(name)) }

    private var rejectsFolder: SystemPath { Self.rejectsFolder(folder) }

    /// Where the extraction of a roster under `key` spools its rejected rows.
    @Sendable func rejectSpool(_ key: TargetKey) -> SystemPath { rejectsFolder.appending(key.hex) }

    /// `rejectSpool` of the cache of `year`'s edition in `out`, before the cache is read.
    static func rejectSpools(out: String, year: Int) -> @Sendable (TargetKey) -> SystemPath {
        let rejects = rejectsFolder(Self.folder(out: out, year: year))
        return { key in rejects.appending(key.hex) }
    }

    private static func rejectsFolder(_ folder: String) -> SystemPath {
        SystemPath((folder as NSString).appendingPathComponent("rejects"))
    }

    /// The stamp of `path` as it is before it is read, for `isCurrent`.
    private func stamped(_ path: SystemPath) -> SystemPath {
        readStamps[path] = try? POSIX.stamp(path)
        return path
    }

    /// Whether every file this cache read is still as it was read. A cache read before the build held its
    /// lock is used only then: another build may have replaced its files since.
    var isCurrent: Bool {
        readStamps.allSatisfy { path, stamp in (try? POSIX.stamp(path)) == stamp }
    }

    private func load(_ which: Records) {
        let kept = Set(YearbookTargets.kept.map(\.name))
        do {
            if let bytes = try POSIX.readFile(stamped(path("extract.pack"))) {
                var input = BinaryReader(bytes)
                guard try input.string() == Self.magic else { return }
                for _ in 0..<(try input.unsigned()) {
                    let name = try input.string(), key = try input.string(), count = Int(try input.unsigned())
                    extractions[name] = (key, input.position..<(input.position + count))
                    try input.skip(count)
                }
                pack = bytes
            }
            if let bytes = try POSIX.readFile(stamped(path("targets.index"))) {
                var input = BinaryReader(bytes)
                guard try input.string() == Self.magic else { return }
                for _ in 0..<(try input.unsigned()) {
                    let name = try input.string()
                    if which == .ofKeptResults && !kept.contains(name) {
                        try input.skipString()
                        for _ in 0..<(try input.unsigned()) { try input.skipString(); try input.skipString() }
                        for _ in 0..<(try input.unsigned()) { try input.skipString() }
                        continue
                    }
                    let key = TargetKey(hex: try input.string())
                    let parts = try input.array { i in KeyPart(try i.string(), digest: try i.string()) }
                    records[name] = Record(key: key, parts: parts, reads: try input.array { i in try i.string() })
                }
            }
        } catch {
            pack = []
            extractions = [:]
            records = [:]
        }
    }

    /// Whether a result of `name` under `key` is kept, without reading it.
    func holds(_ target: Target, key: TargetKey) -> Bool {
        let name = target.name
        if target.kind == .extraction { return extractions[name]?.key == key.hex }
        return target.caching != nil && records[name]?.key == key
    }

    /// A kept result by its typed handle.
    func result<Value>(of ref: TargetRef<Value>, key: TargetKey) -> Value? {
        result(of: Target(ref) { _ in preconditionFailure("a target asked of the cache is not run") }, key: key) as? Value
    }

    func result(of target: Target, key: TargetKey) -> (any Sendable)? {
        let name = target.name
        if target.kind == .extraction {
            guard let entry = extractions[name], entry.key == key.hex else { return nil }
            return try? ExtractedFile(decoding: Array(pack[entry.range]), rejectsAt: rejectSpool(key))
        }
        if let early = earlyResults[name], early.key == key.hex { return early.value }
        guard let caching = target.caching, let kept = kept(name, caching, key: key.hex) else { return nil }
        return kept.value
    }

    /// Reads the kept results of `targets` whatever their keys, before the graph can say which it needs (a
    /// chapter's rebuild reads them while the definition and the tree are read); the graph takes one only
    /// under the key it was kept with. None is read when their files hold more than `budget` bytes: one the
    /// graph then refuses (an edited indicator changes every key) would be held while the build makes it
    /// again, and at national scale that is tens of megabytes beside the build's own peak.
    func readEarly(_ targets: [(name: String, caching: TargetCaching)], budget: Int) {
        let stamps = targets.map { try? POSIX.stamp(path($0.name + ".bin")) }
        guard stamps.reduce(0, { $0 + Int($1?.size ?? 0) }) <= budget else { return }
        for ((name, caching), stamp) in zip(targets, stamps) {
            readStamps[path(name + ".bin")] = stamp
            if let kept = kept(name, caching, key: nil) { earlyResults[name] = kept }
        }
    }

    /// Keeps only the results read early under the key `keys` gives their target now: the others are never
    /// taken, and a national aggregation is tens of megabytes not to hold through a build that makes it again.
    func keepEarlyResults(under keys: [String: TargetKey]) {
        earlyResults = earlyResults.filter { name, early in keys[name]?.hex == early.key }
    }

    /// The result of `name` as its file keeps it, with the key it was kept under: when that is `key`, or any key for nil.
    private func kept(_ name: String, _ caching: TargetCaching, key: String?) -> (key: String, value: any Sendable)? {
        switch caching {
        case .records(_, let read):
            guard let reader = try? BufferedFileReader(path: path(name + ".bin")), var header = try? reader.record(),
                  (try? header.string()) == Self.magic, let keptKey = try? header.string(), key == nil || keptKey == key,
                  let value = try? read(reader) else { return nil }
            return (keptKey, value)
        case .bytes(_, let decode):
            guard let bytes = try? POSIX.readFile(path(name + ".bin")) else { return nil }
            var input = BinaryReader(bytes)
            guard (try? input.string()) == Self.magic, let keptKey = try? input.string(), key == nil || keptKey == key,
                  let body = try? input.raw(bytes.count - input.position), let value = try? decode(body) else { return nil }
            return (keptKey, value)
        }
    }

    /// The targets whose results the cache keeps in files of their own (their declarations say how).
    static func cachedNames(_ graph: TargetGraph) -> [String] {
        graph.order.filter { graph.targets[$0]?.caching != nil }.sorted()
    }

    /// Keeps what this build made (and what it took from here) for the next build.
    func save(graph: TargetGraph, results: TargetResults) throws {
        try POSIX.makeFolders(SystemPath(folder))
        try removeInterruptedWrites(cached: Self.cachedNames(graph))
        // What this build read, and what it did not need but the cache still holds under the current key.
        let extractNames = graph.order.filter { name in
            graph.kind(of: name) == .extraction && (results.has(name) || extractions[name]?.key == graph.key(name).hex)
        }
        // A build that read no input (one headline edited) keeps the pack as it is: it would be written again byte for byte.
        let packAsLoaded = !pack.isEmpty && extractNames.count == extractions.count
            && extractNames.allSatisfy { extractions[$0]?.key == graph.key($0).hex }
        if packAsLoaded {
            try removeSpools(except: Set(extractNames.map { graph.key($0).hex }))
        } else {
            try savePack(extractNames, graph: graph, results: results)
        }
        try saveResults(graph: graph, results: results)
    }

    /// Writes the extractions `names` into the pack: as the old pack holds them, or as this build made them.
    private func savePack(_ extractNames: [String], graph: TargetGraph, results: TargetResults) throws {
        let encoded = Parallel.map(extractNames.count) { index -> [UInt8]? in
            let name = extractNames[index]
            if let entry = extractions[name], entry.key == graph.key(name).hex { return Array(pack[entry.range]) }
            return results[TargetRef<ExtractedFile>(name)].encoded()
        }
        let kept = zip(extractNames, encoded).compactMap { name, bytes in bytes.map { (name, $0) } }
        // Written entry by entry, not joined into one more copy of them all.
        try POSIX.replaceFile(path("extract.pack"), durable: false) { file in
            var out = BinaryWriter()
            out.string(Self.magic)
            out.unsigned(UInt64(kept.count))
            for (name, entry) in kept {
                out.string(name)
                out.string(graph.key(name).hex)
                out.unsigned(UInt64(entry.count))
                try file.write(out.takeBytes())
                try file.write(entry)
            }
            // The header alone when nothing is kept (a year with no readable input).
            try file.write(out.takeBytes())
        }
        try removeSpools(except: Set(kept.map { graph.key($0.0).hex }))
    }

    /// Writes the results this build made and every target's key and parts.
    private func saveResults(graph: TargetGraph, results: TargetResults) throws {
        // A result taken from here stays as it is; one this build made replaces the old.
        let ran = Set(results.ran)
        for name in Self.cachedNames(graph) where ran.contains(name) {
            var file = BinaryWriter()
            file.string(Self.magic)
            file.string(graph.key(name).hex)
            guard let value = results.value(name) else { continue }
            switch graph.targets[name]!.caching! {
            case .bytes(let encode, _):
                encode(value, &file)
                try POSIX.replaceFile(path(name + ".bin"), file.bytes, durable: false)
            case .records(let write, _):
                // The header as one record, so that the file can be read a record at a time.
                var header = BinaryWriter()
                header.unsigned(UInt64(file.bytes.count))
                header.append(file.bytes)
                try POSIX.replaceFile(path(name + ".bin"), durable: false) { out in try write(value, header, out) }
            }
        }

        try POSIX.replaceFile(path("targets.index"), durable: false) { file in
            var index = BinaryWriter()
            index.string(Self.magic)
            index.unsigned(UInt64(graph.order.count))
            for name in graph.order {
                let target = graph.targets[name]!
                index.string(name)
                index.string(graph.key(name).hex)
                index.array(target.parts) { o, part in o.string(part.label); o.string(part.digest) }
                index.array(target.reads) { o, read in o.string(read) }
                if index.bytes.count >= BufferedFileWriter.bufferSize { try file.write(index.takeBytes()) }
            }
            try file.write(index.takeBytes())
        }
    }

    /// The cache's own files as a killed build left them half-written (`POSIX.replaceFile` writes
    /// `<file>.<pid>.tmp`, then renames it): never read, and at national scale tens of megabytes each.
    private func removeInterruptedWrites(cached: [String]) throws {
        let files = ["extract.pack", "targets.index", InputDigests.fileName] + cached.map { $0 + ".bin" }
        for entry in try POSIX.folderEntries(SystemPath(folder)) {
            let name = String(decoding: entry, as: UTF8.self)
            guard name.hasSuffix(".tmp"), files.contains(where: { file in
                name.hasPrefix(file + ".") && name.dropFirst(file.count + 1).dropLast(4).allSatisfy(\.isNumber)
            }) else { continue }
            try POSIX.unlink(path(name))
        }
    }

    /// The spools of extractions the cache no longer keeps, and those an interrupted build left.
    private func removeSpools(except kept: Set<String>) throws {
        guard POSIX.kind(rejectsFolder) == .folder else { return }
        for name in try POSIX.folderEntries(rejectsFolder) where !kept.contains(String(decoding: name, as: UTF8.self)) {
            try POSIX.unlink(rejectsFolder.appending(name))
        }
    }
}

private extension BinaryReader {
    /// Passes over a string `BinaryWriter.string` wrote.
    mutating func skipString() throws { try skip(Int(clamping: try unsigned())) }
}
