import EditionFiles
import Foundation
import Render
import YearbookCore

/// `yearbook release EDITION DEST`: the files of an edition a reader may see (its manifest marks them
/// `public`), copied into `DEST` with a manifest of their own, so that `verify` checks a release too.
/// Never the reports or the database: they hold household ids, rejected records, input file names and
/// lineage. Published as editions are (EditionPublisher): whole or not at all, the previous release
/// replaced by one atomic swap. Where the edition withholds figures (`data/withheld.csv`, itself never
/// released), the data files are made from the internal ones without them (`releasedData`); pages and
/// the workbook already show them as a mark and are copied as built.
public enum EditionRelease {
    /// What a release wrote: its folder and the files it holds.
    public struct Result: Sendable {
        public var dest: String
        public var files: [String]
    }

    /// Releases `edition` into `dest`. `verify` is `Verification.verify(edition:input: nil)`: the
    /// mismatches of the edition with its manifest (passed in: Readers is not Pipeline's to import).
    /// `waiting` is told when another build or release holds the lock of DEST's folder.
    public static func publish(edition: String, dest: String, verify: (String) throws -> [String],
                               waiting: (String) -> Void = { _ in }) throws -> Result {
        let manifest = try Manifest.load(edition)
        if manifest.failed == true {
            throw YearbookError.usage("\(edition) holds a failed build's reports, not an edition: nothing was released. "
                + "Fix the errors the build reported and build again, then release the edition")
        }
        if manifest.release == true {
            throw YearbookError.usage("\(edition) is a release, not an edition: nothing was released. Release the edition it came from (e.g. output/\(manifest.edition))")
        }
        if !manifest.stale.isEmpty {
            throw YearbookError.usage("\(edition) is stale (a full build would change \(manifest.stale.joined(separator: ", "))): "
                + "nothing was released. Run `yearbook build` without --chapter, then release again")
        }
        let mismatches = try verify(edition)
        if !mismatches.isEmpty {
            throw YearbookError.usage("\(edition) does not verify (\(listed(mismatches, separator: "; "))): nothing was released. "
                + "Build the edition again (`yearbook build`), then release again")
        }
        let publicFiles = manifest.outputs.filter { $0.public == true && $0.file != WithheldFile.path }
        guard !publicFiles.isEmpty else {
            throw YearbookError.usage("\(edition)/\(Manifest.fileName) marks no file public (an edition built before releases existed): "
                + "nothing was released. Build the edition again with this version, then release again")
        }
        try checkDest(dest, edition: edition)
        let withheldPath = (edition as NSString).appendingPathComponent(WithheldFile.path)
        let withheld = POSIX.kind(SystemPath(withheldPath)) == nil ? nil
            : try WithheldFile.read(path: withheldPath, displayName: "\(edition)/\(WithheldFile.path)")

        let (parent, name) = split(dest)
        let publisher = EditionPublisher(out: parent, name: name, year: manifest.edition)
        try publisher.lock(waiting: waiting)
        _ = publisher.removeLeftovers()
        // Checked again under the lock: another release may have written DEST meanwhile.
        try checkDest(dest, edition: edition)
        let staging = try EditionPublisher.Staging(publisher: publisher)
        do {
            var entries: [Manifest.FileEntry] = []
            for source in publicFiles {
                if let withheld, let release = releasedData[source.file] {
                    entries.append(try write(source, from: edition, into: staging) { try release($0, withheld) })
                    continue
                }
                let copied = try copy(source.file, from: edition, into: staging)
                // The file changed between the check and the copy: what is released must be what was built.
                guard copied.sha256 == source.sha256 else {
                    throw YearbookError.usage("\(edition)/\(source.file) changed while it was released: nothing was released. "
                        + "Wait for the build that writes \(edition) to finish, then release again")
                }
                entries.append(copied)
            }
            var released = Manifest(edition: manifest.edition, tool: "yearbook \(YearbookVersion.current)", pipeline: manifest.pipeline,
                                    pipelineFiles: [], inputs: [], outputs: entries.sorted { $0.file < $1.file }, stale: [])
            released.release = true
            _ = try staging.commit(manifest: released)
            return Result(dest: publisher.target, files: released.outputs.map(\.file) + [Manifest.fileName])
        } catch {
            staging.abandon()
            throw error
        }
    }

    /// The data files that hold exact figures, and how each is released when figures are withheld.
    static let releasedData: [String: @Sendable (_ path: String, _ withheld: Withholding) throws -> [UInt8]] = [
        EditionLayout.observations: { path, withheld in
            DataFiles.releasedObservationsCSV(try ObservationsFile.read(path: path), withheld: withheld)
        },
        EditionLayout.rankings: { path, withheld in
            DataFiles.releasedRankingsCSV(try RankingsFile.read(path: path), withheld: withheld)
        },
        EditionLayout.sdmx: { path, withheld in
            SDMXWriter.released(try POSIX.readFile(SystemPath(path)) ?? [], withheld: withheld)
        },
    ]

    /// Writes the released form of one data file; its entry, marked public. The internal file must be
    /// the one that was built (its digest as the manifest records it).
    private static func write(_ source: Manifest.FileEntry, from edition: String, into staging: EditionPublisher.Staging,
                              release: (String) throws -> [UInt8]) throws -> Manifest.FileEntry {
        let path = (edition as NSString).appendingPathComponent(source.file)
        guard let built = try BufferedFileReader.digestAndSize(SystemPath(path)) else {
            throw YearbookError.usage("\(edition)/\(source.file) is missing: nothing was released. Build the edition again, then release again")
        }
        let bytes = try release(path)
        guard built.digest == source.sha256, try BufferedFileReader.digestAndSize(SystemPath(path))?.digest == source.sha256 else {
            throw YearbookError.usage("\(edition)/\(source.file) changed while it was released: nothing was released. "
                + "Wait for the build that writes \(edition) to finish, then release again")
        }
        let writer = try BufferedFileWriter(creating: SystemPath(try staging.location(of: source.file)))
        try writer.write(bytes)
        try writer.close()
        var entry = try staging.addWritten(source.file, key: nil)
        entry.public = true
        return entry
    }

    /// Copies one file in bounded pieces (a national edition's data files are large); its entry, marked public.
    private static func copy(_ file: String, from edition: String, into staging: EditionPublisher.Staging) throws -> Manifest.FileEntry {
        let source = SystemPath((edition as NSString).appendingPathComponent(file))
        let target = SystemPath(try staging.location(of: file))
        guard let reader = try BufferedFileReader(path: source) else {
            throw YearbookError.usage("\(edition)/\(file) is missing: nothing was released. Build the edition again, then release again")
        }
        let writer = try BufferedFileWriter(creating: target)
        while let piece = try reader.piece() { try writer.write(piece) }
        try writer.close()
        var entry = try staging.addWritten(file, key: nil)
        entry.public = true
        return entry
    }

    /// Refuses a DEST that is not a folder, lies inside the edition or holds the edition, or holds a
    /// file an earlier release of this tool did not write (that file is never touched).
    static func checkDest(_ dest: String, edition: String) throws {
        let name = (dest as NSString).lastPathComponent
        if name.isEmpty || name == "." || name == ".." || name == "/" {
            throw YearbookError.usage("\(dest) does not name a folder of its own: nothing was released. Name the release's folder, e.g. public/2019")
        }
        let resolvedDest = EditionPublisher.resolved(dest), resolvedEdition = EditionPublisher.resolved(edition)
        if resolvedDest == resolvedEdition || EditionPublisher.isInside(resolvedDest, resolvedEdition)
            || EditionPublisher.isInside(resolvedEdition, resolvedDest) {
            throw YearbookError.usage("\(dest) is, or lies inside, or holds the edition \(edition): nothing was released. "
                + "Choose a DEST outside the edition, e.g. a new folder for the web server")
        }
        guard let kind = POSIX.kind(SystemPath(dest)) else { return }
        guard kind == .folder else {
            throw YearbookError.usage("\(dest) is \(kind == .regular ? "a file" : kind.rawValue), not a folder: nothing was released. Name a new or empty folder, or an earlier release")
        }
        let present = try entries(under: dest)
        if present.isEmpty { return }
        var released: Set<String> = []
        if let bytes = try? POSIX.readFile(SystemPath((dest as NSString).appendingPathComponent(Manifest.fileName))),
           let earlier = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)), earlier.release == true {
            released = Set(earlier.outputs.map(\.file) + [Manifest.fileName])
        }
        let foreign = present.filter { !released.contains($0) }
        guard foreign.isEmpty else {
            throw YearbookError.usage("\(dest) holds files an earlier release of this tool did not write (\(listed(foreign, separator: ", "))): nothing was released "
                + "and they are untouched. Choose a new or empty DEST, or move those files away")
        }
    }

    /// Every entry under `folder` but its folders (files, symbolic links and the rest), relative to it:
    /// a release replaces all of them, so each must be one it wrote.
    private static func entries(under folder: String) throws -> [String] {
        var found: [String] = []
        func walk(_ here: SystemPath, _ relative: String) throws {
            for entry in try POSIX.folderEntries(here) {
                let path = relative.isEmpty ? String(decoding: entry, as: UTF8.self) : relative + "/" + String(decoding: entry, as: UTF8.self)
                if POSIX.kind(here.appending(entry)) == .folder { try walk(here.appending(entry), path) } else { found.append(path) }
            }
        }
        try walk(SystemPath(folder), "")
        return found
    }

    /// The first three of `items`, and how many more: a message stays a line whatever the edition holds.
    private static func listed(_ items: [String], separator: String) -> String {
        items.prefix(3).joined(separator: separator) + (items.count > 3 ? "\(separator)and \(items.count - 3) more" : "")
    }

    /// The folder DEST lies in and its name (trailing slashes dropped).
    private static func split(_ dest: String) -> (String, String) {
        var path = dest
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        return (parent, name)
    }
}
