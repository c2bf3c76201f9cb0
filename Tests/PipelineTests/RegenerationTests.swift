@testable import Pipeline
import Extract
import Compare
import Foundation
import Testing
import YearbookCore

/// Reproducible builds, regenerating one chapter after a correction, the
/// manifest, and `yearbook diff` between builds.
@Suite struct RegenerationTests {
    static let header = "household_id,area_code,category,members,monthly_amount,status\n"

    func tree() -> TestTree {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + "h1,430202,U,2,300,active\nh2,430202,R,3,200,active\n")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,100,active\n")
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,400,active\n")
        tree.writeGzip("2018/exports/430202_dibao.csv.gz", Self.header + "h1,430202,U,2,250,active\n")
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "10"),
            SDMXMessage.Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "20", status: "P"),
            SDMXMessage.Obs(area: "430212", indicator: "BEDS_TOTAL", period: 2019, value: "30"),
        ]))
        return tree
    }

    /// Outputs go beside the input tree, never inside it.
    let outputs = TestTree()

    func build(_ tree: TestTree, out: String, chapter: String? = nil) throws -> BuildResult {
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path(out), pipeline: pipelinePath, chapter: chapter))
    }

    func files(_ folder: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for path in FileManager.default.subpaths(atPath: folder) ?? [] {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                result[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return result
    }

    func inode(_ path: String) -> UInt64 {
        var info = stat()
        stat(path, &info)
        return UInt64(info.st_ino)
    }

    @Test func twoBuildsOfTheSameInputsAreByteIdentical() throws {
        let tree = tree()
        _ = try build(tree, out: "one")
        _ = try build(tree, out: "two")
        let one = files(outputs.path("one/2019")), two = files(outputs.path("two/2019"))
        // 25 pages, data files and reports; the definitions (2), a chart of social assistance and one
        // of elderly care (its beds: the chapter's first key figure the counties have), the workbook.
        #expect(one.count == 30)
        #expect(one == two)
        #expect(try BuildDiff.compare(outputs.path("one/2019"), outputs.path("two/2019")).differs == false)
    }

    @Test func aFullBuildDoesNotRewriteUnchangedFiles() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        let before = inode(outputs.path("out/2019/chapters/elderly-care.html"))
        let again = try build(tree, out: "out")
        #expect(again.written.isEmpty)
        #expect(inode(outputs.path("out/2019/chapters/elderly-care.html")) == before)
    }

    @Test func oneChapterAfterAnEarlierEditionAppearsListsTheOtherChaptersStale() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        #expect(try Manifest.load(outputs.path("out/2019")).history == [])
        outputs.write("out/2018/data/observations.csv", "area_code,indicator,period,value,status,source\n430200,BEDS_TOTAL,2018,50,A,aggregated\n")
        _ = try build(tree, out: "out", chapter: "social-assistance")
        let manifest = try Manifest.load(outputs.path("out/2019"))
        #expect(manifest.history?.map(\.file) == ["2018/data/observations.csv"])
        #expect(manifest.stale.contains("chapters/elderly-care.html") && !manifest.stale.contains("chapters/social-assistance.html"))
    }

    @Test func oneChapterAfterACorrectionRereadsOneFileAndRewritesOnlyThatChapter() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        let elderly = inode(outputs.path("out/2019/chapters/elderly-care.html"))
        let observations = try #require(FileManager.default.contents(atPath: outputs.path("out/2019/data/observations.csv")))
        // The county sends a correction: one row's amount.
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,150,active\n")
        let result = try build(tree, out: "out", chapter: "social-assistance")
        #expect(result.exitCode == 0)
        #expect(result.filesRead == 1)
        // The workbook holds every chapter: made again with the one chapter, so it is never stale.
        #expect(result.written == ["chapters/social-assistance.html", "chapters/social-assistance.md", "manifest.json", "yearbook.xlsx"])
        #expect(inode(outputs.path("out/2019/chapters/elderly-care.html")) == elderly)
        #expect(FileManager.default.contents(atPath: outputs.path("out/2019/data/observations.csv")) == observations)
        let chapter = String(decoding: FileManager.default.contents(atPath: outputs.path("out/2019/chapters/social-assistance.md"))!, as: UTF8.self)
        #expect(chapter.contains("| 芦淞区 Lusong | 1 | 0 | 1 | 0 | 150.00 | 0.00 | 150 | – |"))
        let manifest = try Manifest.load(outputs.path("out/2019"))
        // Everything else derives from the inputs: listed as stale until a full build.
        // Not stale: the index, the definitions, the chapter and its chart, the workbook.
        #expect(manifest.stale.count == 29 - 8)
        #expect(manifest.stale.contains("data/observations.csv") && manifest.stale.contains("chapters/elderly-care.html"))
        #expect(!manifest.stale.contains("chapters/social-assistance.md"))
        // Regenerating another chapter with no new correction reads no input; that chapter's
        // content did not change (no roster figure in it), so only the manifest's stale list does.
        let again = try build(tree, out: "out", chapter: "elderly-care")
        #expect(again.filesRead == 0)
        #expect(again.written == ["manifest.json"])
        let after = try Manifest.load(outputs.path("out/2019")).stale
        #expect(after.contains("data/observations.csv") && !after.contains("chapters/elderly-care.html"))
        #expect(manifest.inputs.first { $0.file == "2019/exports/430203_dibao.csv.gz" }?.sha256
            == SHA256.hex(Array(FileManager.default.contents(atPath: tree.path("2019/exports/430203_dibao.csv.gz"))!)))
        // The stale outputs are named by verify; a full build makes all current again.
        #expect(try Verification.verify(build: outputs.path("out/2019"), input: tree.root).contains("output data/observations.csv is stale: a full build would change it"))
        _ = try build(tree, out: "out")
        #expect(try Verification.verify(build: outputs.path("out/2019"), input: tree.root) == [])
    }

    @Test func verifyNamesChangedInputsAndOutputs() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        #expect(try Verification.verify(build: outputs.path("out/2019"), input: tree.root) == [])
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,401,active\n")
        outputs.write("out/2019/index.md", "edited by hand\n")
        #expect(try Verification.verify(build: outputs.path("out/2019"), input: tree.root) == [
            "output index.md is not what the build wrote",
            "input 2019/exports/430212_dibao.csv.gz changed since the build",
        ])
    }

    @Test func diffNamesTheAreasAndIndicatorsAfterAOneRowCorrection() throws {
        let tree = tree()
        _ = try build(tree, out: "before")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,100.4,active\n")
        tree.write("2019/submissions/b.xml", SDMXMessage.structureSpecific(prepared: "2020-02-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "20"),
        ]))
        _ = try build(tree, out: "after")
        let diff = try BuildDiff.compare(outputs.path("before/2019"), outputs.path("after/2019"))
        #expect(diff.differs)
        #expect(diff.changedValues.map { "\($0.area) \($0.indicator) \($0.a) → \($0.b) \($0.difference) \($0.relative ?? "")" } == [
            "430200 DIBAO_AMOUNT_U 800 → 800.4 0.4 0.05",
            "430200 DIBAO_PC_U 114.2857 → 114.3429 0.0572 0.05",
            "430203 DIBAO_AMOUNT_U 100 → 100.4 0.4 0.40",
            "430203 DIBAO_PC_U 100.0000 → 100.4000 0.4 0.40",
        ])
        #expect(diff.statusChanges.map { "\($0.area) \($0.indicator) \($0.a) → \($0.b)" } == [
            "430200 BEDS_TOTAL P → A", "430203 BEDS_TOTAL P → A",
        ])
        #expect(diff.files.differing.contains("data/observations.csv"))
        // Within a tolerance of 0.5 the values are the same; the status change remains.
        let tolerant = try BuildDiff.compare(outputs.path("before/2019"), outputs.path("after/2019"), tolerance: Exact(decimal: "0.5")!)
        #expect(tolerant.changedValues.isEmpty)
        #expect(tolerant.cellChanges.allSatisfy { $0.a.contains("ᴾ") || $0.b.contains("ᴾ") })
        #expect(tolerant.differs)
        #expect(diff.markdown().contains("| 430203 | DIBAO_AMOUNT_U | 2019 | 100 | 100.4 | 0.4 | 0.40 |"))
    }

    @Test func diffRefusesAFolderThatIsNotABuild() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        #expect(throws: NotABuild(path: tree.root)) { try BuildDiff.compare(outputs.path("out/2019"), tree.root) }
    }
}

@Suite struct PublisherTests {
    @Test func leftoversOfAnInterruptedBuildAreRemovedAndTheEditionReplacedWhole() throws {
        let folder = TestTree()
        folder.write("out/2019/old.txt", "old\n")
        // A build killed half way (pid 999999 is not running) left its staging folder.
        folder.write("out/.2019.building-999999/data/observations.csv", "half\n")
        try Publisher.publish(files: ["index.md": Array("new\n".utf8)], to: folder.path("out/2019"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).sorted() == ["2019"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("out/2019")) == ["index.md"])
    }
}

@Suite struct BuildCacheTests {
    /// Every entry the sample build cached reads back to what the build found.
    @Test func entriesReadBackAsWritten() throws {
        let out = TestTree()
        let result = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root,
                                                        pipeline: pipelinePath))
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let tree = try InputTree.scan(root: repositoryRoot + "/samples/input", year: 2019)
        let key = YearbookBuild.cacheKey(definition: definition, areasPath: tree.areasPath, limits: .standard)
        let cache = try #require(BuildCache.load(out: out.root, year: 2019, key: key))
        #expect(cache.files.count == result.rosters.count + result.submissions.count)
        for (name, cached) in cache.files {
            #expect(BuildCache.encode(cached.entry) == cached.bytes, "\(name)")
        }
        for roster in result.rosters {
            let cached = try #require(cache.files[roster.file]?.entry.roster)
            #expect(cached.values == roster.values)
            #expect(cached.rejected == roster.rejected)
            #expect((cached.rowsRead, cached.accepted, cached.inactive, cached.sha256) == (roster.rowsRead, roster.accepted, roster.inactive, roster.sha256))
        }
        for submission in result.submissions {
            let cached = try #require(cache.files[submission.file]?.entry.submission)
            #expect(cached.observations == submission.observations)
            #expect(cached.problems == submission.problems)
        }
    }
}
