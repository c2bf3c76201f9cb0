@testable import Pipeline
import EditionFiles
import Extract
import Normalize
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Each input is hashed once: its digest is kept with its stamp (device, inode, size, modification and
/// change times) and read again only when the stamp says the file may have changed.
@Suite struct InputDigestTests {
    /// Four rosters and one plain submission (whose size a one-digit edit keeps).
    func tree() -> TestTree {
        let tree = TestTree()
        RegenerationTests.rosters(tree)
        writeSubmission(tree, beds: "10")
        tree.settle()
        return tree
    }

    /// Writes the submission in place (the same inode), as an editor that saves over the file does.
    func writeSubmission(_ tree: TestTree, beds: String, at name: String = "2019/submissions/a.xml") {
        let text = SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: beds),
            SDMXMessage.Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "20"),
        ])
        try! POSIX.makeFolders(SystemPath(SystemPath.parent(of: tree.path(name))))
        try! POSIX.writeFile(SystemPath(tree.path(name)), Array(text.utf8), durable: false)
    }

    let outputs = TestTree()

    /// A full build reads every input whatever it hashed; with `chapter`, only the inputs whose digests changed.
    func build(_ tree: TestTree, chapter: String? = nil) throws -> BuildResult {
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"), pipeline: pipelinePath, chapter: chapter))
    }

    func stamp(_ path: String) throws -> FileStamp { try POSIX.stamp(SystemPath(path)) }

    /// Sets a file's modification time (and so moves its change time to now).
    func setModified(_ path: String, _ nanoseconds: Int64) {
        var times = [timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000)),
                     timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    /// The digest the manifest of the published edition gives an input.
    func manifestDigest(_ name: String) throws -> String? {
        try Manifest.load(outputs.path("out/2019")).inputs.first { $0.file == name }?.sha256
    }

    func figure(_ area: String, _ indicator: String) throws -> String? {
        let csv = String(decoding: try #require(FileManager.default.contents(atPath: outputs.path("out/2019/data/observations.csv"))), as: UTF8.self)
        return csv.split(separator: "\n").first { $0.hasPrefix("\(area),\(indicator),2019,") }.map(String.init)
    }

    @Test func anUnchangedInputIsNotReadAgain() throws {
        let tree = tree()
        let first = try build(tree)
        #expect(first.inputsHashed == 5)
        tree.settle()
        let again = try build(tree)
        #expect(again.inputsHashed == 0)
        #expect(again.written.isEmpty)
        let chapter = try build(tree, chapter: "social-assistance")
        #expect(chapter.inputsHashed == 0)
        #expect(chapter.filesRead == 0)
        #expect(try manifestDigest("2019/exports/430203_dibao.csv.gz")
            == SHA256.hex(try #require(FileManager.default.contents(atPath: tree.path("2019/exports/430203_dibao.csv.gz")))))
    }

    @Test func aTouchedInputIsHashedAgainToTheSameDigest() throws {
        let tree = tree()
        _ = try build(tree)
        let before = try manifestDigest("2019/exports/430203_dibao.csv.gz")
        setModified(tree.path("2019/exports/430203_dibao.csv.gz"), POSIX.fileSystemClock())
        tree.settle()
        let touched = try build(tree, chapter: "social-assistance")
        #expect(touched.inputsHashed == 1)
        // The same content has the same key: its extraction comes from the cache.
        #expect(touched.filesRead == 0)
        #expect(try manifestDigest("2019/exports/430203_dibao.csv.gz") == before)
        tree.settle()
        #expect(try build(tree).inputsHashed == 0)
    }

    @Test func anEditThatPutsBackTheSizeAndModificationTimeIsSeenByTheChangeTime() throws {
        let tree = tree()
        _ = try build(tree)
        #expect(try figure("430202", "BEDS_TOTAL")?.contains(",10,") == true)
        let path = tree.path("2019/submissions/a.xml")
        let before = try stamp(path)
        writeSubmission(tree, beds: "12")
        setModified(path, before.modified)
        let after = try stamp(path)
        #expect(after.size == before.size && after.modified == before.modified && after.inode == before.inode)
        #expect(after.changed != before.changed)
        tree.settle()
        let edited = try build(tree, chapter: "elderly-care")
        #expect(edited.inputsHashed == 1)
        #expect(edited.filesRead == 1)
        #expect(try figure("430202", "BEDS_TOTAL")?.contains(",12,") == true)
    }

    @Test func aCopyPutInPlaceOfAnInputIsSeen() throws {
        let tree = tree()
        _ = try build(tree)
        let path = tree.path("2019/submissions/a.xml")
        let before = try stamp(path)
        // Another file of the same size and modification time, renamed over the input.
        writeSubmission(tree, beds: "13", at: "copy.xml")
        setModified(tree.path("copy.xml"), before.modified)
        #expect(rename(tree.path("copy.xml"), path) == 0)
        let after = try stamp(path)
        #expect(after.size == before.size && after.modified == before.modified && after.inode != before.inode)
        tree.settle()
        let replaced = try build(tree)
        #expect(replaced.inputsHashed == 1)
        #expect(try figure("430202", "BEDS_TOTAL")?.contains(",13,") == true)
    }

    @Test func aDamagedDigestsFileIsIgnoredAndEveryInputHashed() throws {
        let tree = tree()
        _ = try build(tree)
        let file = outputs.path("out/.yearbook-cache/2019/inputs.digests")
        let good = try #require(FileManager.default.contents(atPath: file))
        let published = try Manifest.load(outputs.path("out/2019")).inputs
        var flipped = Array(good)
        // A digest's character changed: the file's own digest at its end no longer matches.
        let digest = Array(try #require(published.first { $0.file.hasPrefix("2019/") }?.sha256).utf8)
        let offset = try #require((0...(flipped.count - 64)).first { Array(flipped[$0..<($0 + 64)]) == digest })
        flipped[offset] = flipped[offset] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let damaged: [[UInt8]] = [[], Array(good.prefix(good.count / 2)), Array(good.dropLast()), flipped,
                                  Array("yearbook-target-cache 7".utf8) + [UInt8](repeating: 0xFF, count: 100)]
        for bytes in damaged {
            #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
            tree.settle()
            let result = try build(tree)
            #expect(result.inputsHashed == 5)
            #expect(result.written.isEmpty)
            #expect(try Manifest.load(outputs.path("out/2019")).inputs == published)
            #expect(FileManager.default.contents(atPath: file).map(Array.init) != bytes)
        }
    }

    /// A FIFO or a device where the digests file should be is not read (no wait for a writer, no endless read).
    @Test func aDigestsFileThatIsNoRegularFileIsIgnored() throws {
        let folder = TestTree()
        #expect(mkfifo(folder.path("fifo"), 0o644) == 0)
        #expect(symlink("/dev/zero", folder.path("zero")) == 0)
        #expect(InputDigests.load(SystemPath(folder.path("fifo"))) == nil)
        #expect(InputDigests.load(SystemPath(folder.path("zero"))) == nil)
        #expect(InputDigests.load(SystemPath(folder.path("missing"))) == nil)
    }

    /// A file that changed as (or after) the last build looked at it is hashed again however its stamp looks.
    @Test func aFileChangedAsTheLastBuildLookedIsHashedAgain() throws {
        let folder = TestTree()
        let path = folder.write("input.xml", "<a/>")
        let changed = try stamp(path).changed
        var digests = InputDigests(folder: folder.path("cache"))
        _ = digests.digest([InputDigests.File(name: "input.xml", path: SystemPath(path))], now: changed)
        #expect(digests.hashed == 1)
        try digests.save()
        var racy = InputDigests(folder: folder.path("cache"))
        let found = racy.digest([InputDigests.File(name: "input.xml", path: SystemPath(path))], now: changed + 1)
        #expect(racy.hashed == 1)
        #expect(found["input.xml"]?.digest == SHA256.hex(Array("<a/>".utf8)))
        try racy.save()
        var clean = InputDigests(folder: folder.path("cache"))
        _ = clean.digest([InputDigests.File(name: "input.xml", path: SystemPath(path))], now: changed + 2)
        #expect(clean.hashed == 0)
        // Nothing new to keep: the file is not written again.
        #expect(!clean.changed)
        // Only current inputs are kept.
        var none = InputDigests(folder: folder.path("cache"))
        _ = none.digest([], now: changed + 3)
        try none.save()
        #expect(InputDigests.load(SystemPath(folder.path("cache/inputs.digests")))?.0.isEmpty == true)
    }

    /// An extraction does not hash its file again: the digest the build found is taken while the file's stamp
    /// is the one it had then. A roster or a submission edited after it was hashed is an error naming it.
    @Test func anExtractionTakesTheDigestFoundAndRefusesAFileEditedSince() throws {
        let tree = tree()
        let rosterName = "2019/exports/430202_dibao.csv.gz"
        let roster = tree.path(rosterName), submission = tree.path("2019/submissions/a.xml")
        var digests = InputDigests(folder: outputs.path("cache"))
        let found = digests.digest([InputDigests.File(name: "roster", path: SystemPath(roster)),
                                    InputDigests.File(name: "submission", path: SystemPath(submission))])
        let rosterContent = try #require(found["roster"]), submissionContent = try #require(found["submission"])
        #expect(rosterContent.digest == (try FileByteStream.digest(path: roster)))
        let reader = RosterReader(schema: RosterSchema.named("dibao")!, measures: try Fixture.definition.measures()["dibao"]!,
                                  registry: Fixture.registry)
        let read = try reader.read(path: roster, displayName: rosterName, county: "430202", year: 2019, known: rosterContent)
        #expect(read.sha256 == rosterContent.digest)
        #expect(read.accepted == 2)
        let submissions = SubmissionReader(indicators: Fixture.indicatorsByCode, registry: Fixture.registry, periods: [2018, 2019])
        #expect(try submissions.read(path: submission, displayName: "a.xml").sha256 == submissionContent.digest)
        #expect(try submissions.read(systemPath: SystemPath(submission), displayName: "a.xml", known: submissionContent).sha256
                == submissionContent.digest)

        // Saved again after the digest was taken (the same size, a later time): the figures read would not be the ones hashed.
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", RegenerationTests.header + "h1,430202,U,2,300,active\nh2,430202,R,3,900,active\n")
        writeSubmission(tree, beds: "90")
        let refusal = "changed while this build read it (its size or times are not those it had when the build hashed it): "
            + "build again once the file is complete"
        #expect { try reader.read(path: roster, displayName: rosterName, county: "430202", year: 2019, known: rosterContent) } throws: {
            ($0 as? YearbookError)?.code == .input && "\($0)".hasPrefix(rosterName + ": " + refusal)
        }
        #expect { try submissions.read(systemPath: SystemPath(submission), displayName: "a.xml", known: submissionContent) } throws: {
            ($0 as? YearbookError)?.code == .input && "\($0)".contains(refusal)
        }
    }

    @Test func stampsInWholeSecondsAreTrustedTwoSecondsAfter() {
        func stamp(_ modified: Int64, _ changed: Int64) -> FileStamp {
            FileStamp(device: 1, inode: 2, size: 3, modified: modified, changed: changed)
        }
        let second: Int64 = 1_000_000_000
        #expect(stamp(10 * second + 5, 10 * second + 7).changedBefore(10 * second + 8))
        #expect(!stamp(10 * second + 5, 10 * second + 7).changedBefore(10 * second + 7))
        #expect(!stamp(10 * second + 9, 10 * second + 7).changedBefore(10 * second + 8))
        // A file system of whole seconds (or two, FAT) rounds a later change down: not trusted until two seconds on.
        #expect(!stamp(10 * second, 10 * second).changedBefore(11 * second + 5))
        #expect(stamp(10 * second, 10 * second).changedBefore(12 * second))
    }
}
