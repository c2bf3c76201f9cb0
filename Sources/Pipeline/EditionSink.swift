import Aggregate
import Definition
import Dispatch
import EditionFiles
import Extract
import Foundation
import Normalize
import Outputs
import Reconcile
import Render
import Validate
import Workbook
import YearbookCore

/// The publisher's side of the output targets: takes the files each one made
/// (`OutputFiles`) and writes them into the new edition, or compares them with
/// the published edition's; keeps the published files of outputs not made.
final class EditionSink: @unchecked Sendable {
    let previous: Manifest?
    let staging: EditionPublisher.Staging
    let keys: [String: TargetKey]
    let files: [String: [String]]
    let prefixes: [String: [String]]
    let compared: [String]
    private let lock = NSLock()
    private(set) var records: [String: OutputRecord] = [:]
    /// Outputs kept as published until their content digest is settled (the workbook, with `--chapter`).
    private var deferred: Set<String> = []

    init(previous: Manifest?, staging: EditionPublisher.Staging, targets: YearbookTargets, compared: [String]) {
        self.previous = previous
        self.staging = staging
        keys = targets.graph.keys
        files = targets.outputFiles
        prefixes = targets.outputPrefixes
        self.compared = compared
    }

    private var previousEntries: [String: Manifest.FileEntry] {
        Dictionary((previous?.outputs ?? []).map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The published files of an output target: those it always writes, and those under its prefixes (charts).
    private func publishedFiles(of name: String) -> [String] {
        let owned = prefixes[name] ?? []
        return files[name]! + (previous?.outputs ?? []).map(\.file).filter { file in owned.contains(where: file.hasPrefix) }
    }

    /// An output target's files, as it made them: its record in the manifest.
    func take(_ name: String, _ made: OutputFiles) throws -> OutputRecord {
        var record = try take(name, bytes: made.bytes)
        for file in made.written {
            let entry = try staging.addWritten(file, key: keys[name]!)
            record.entries.append(entry)
            record.digests[file] = entry.sha256
        }
        lock.withLock { records[name] = record }
        return record
    }

    private func take(_ name: String, bytes made: [String: [UInt8]]) throws -> OutputRecord {
        let key = keys[name]!
        var record = OutputRecord(entries: [], stale: false)
        let old = previousEntries
        let published = Dictionary(uniqueKeysWithValues: made.keys.map { file in
            (file, try? POSIX.readFile(SystemPath((staging.current as NSString).appendingPathComponent(file))))
        })
        // A chapter is only compared where the published edition has every one of its files, as its
        // manifest lists them (an edition of an older tool may lack some): otherwise it is written.
        let comparable = made.keys.allSatisfy { old[$0] != nil && published[$0]! != nil }
            && Set(publishedFiles(of: name)) == Set(made.keys)
        if compared.contains(name) && comparable {
            let same = made.allSatisfy { file, bytes in published[file]! == bytes }
            for file in made.keys.sorted() {
                try staging.keep(file)
                record.entries.append(same ? Manifest.entry(file, made[file]!, key: key) : old[file]!)
                record.digests[file] = SHA256.hex(made[file]!)
            }
            record.stale = !same
        } else {
            for file in made.keys.sorted() {
                try staging.add(file, made[file]!)
                let entry = Manifest.entry(file, made[file]!, key: key)
                record.entries.append(entry)
                record.digests[file] = entry.sha256
            }
        }
        return record
    }

    /// The workbook is only compared (`--chapter`) where the published one's content digest is
    /// known, and then not made at all: it stays as published until `settleWorkbook` says whether
    /// a full build would change it.
    func settlesWithoutMaking(_ name: String) -> Bool {
        name == YearbookTargets.workbook && compared.contains(name) && previousEntries[name]?.content != nil
    }

    /// Keeps the published workbook until `settleWorkbook`.
    func keepUnsettled(_ name: String) throws {
        let old = previousEntries[name]!
        try staging.keep(name)
        lock.withLock {
            records[name] = OutputRecord(entries: [old], stale: false)
            deferred.insert(name)
        }
    }

    /// The workbook's content digest, from what every other output holds as a full build writes it:
    /// recorded with a workbook written now; compared with the published one's where it was kept
    /// (the same: it is as a full build would write it; different: stale).
    func settleWorkbook(definition: String) {
        let name = YearbookTargets.workbook
        guard var record = records[name], var entry = record.entries.first else { return }
        let files = records.values.reduce(into: [String: String]()) { all, other in all.merge(other.digests) { a, _ in a } }
        let content = WorkbookWriter.contentDigest(tool: YearbookVersion.current, definition: definition, files: files)
        if deferred.contains(name) {
            // Kept as published: its key is renewed only where a full build would write the same bytes.
            if entry.content == content { entry.key = keys[name]!.hex } else { record.stale = true }
        } else if !record.digests.isEmpty {
            entry.content = content
        }
        record.entries = [entry]
        records[name] = record
    }

    /// An output whose key did not change: its files stay as published.
    func keep(_ name: String) throws {
        let old = previousEntries
        var record = OutputRecord(entries: [], stale: false)
        for file in publishedFiles(of: name) {
            try staging.keep(file)
            record.entries.append(old[file]!)
            record.digests[file] = old[file]!.sha256
        }
        lock.withLock { records[name] = record }
    }

    /// Files in the published edition that its manifest does not list (a
    /// reader's notes): the tool never deletes what it did not write.
    func keepForeignFiles() throws -> [String] {
        guard let previous else { return [] }
        let known = Set(previous.outputs.map(\.file) + [Manifest.fileName])
        // What this build wrote or kept is ours, whatever was there before (charts come and go with the data).
        let ours = Set(files.values.flatMap { $0 }).union(records.values.flatMap { $0.entries.map(\.file) })
        let foreign = try POSIX.regularFiles(under: SystemPath(staging.current)).filter { !known.contains($0) && !ours.contains($0) }
        for file in foreign { try staging.keep(file) }
        return foreign
    }
}
