@testable import Pipeline
import Aggregate
import Disclose
import EditionFiles
import Extract
@testable import Readers
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// Reproducible builds, regenerating one chapter after a correction, the
/// manifest, and `yearbook diff` between builds.
@Suite struct RegenerationTests {
    static let header = "household_id,area_code,category,members,monthly_amount,status\n"

    /// The areas and four small rosters: three counties of 2019, one of 2018.
    static func rosters(_ tree: TestTree) {
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + "h1,430202,U,2,300,active\nh2,430202,R,3,200,active\n")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,100,active\n")
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,400,active\n")
        tree.writeGzip("2018/exports/430202_dibao.csv.gz", Self.header + "h1,430202,U,2,250,active\n")
    }

    func tree() -> TestTree {
        let tree = TestTree()
        Self.rosters(tree)
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
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path(out), pipeline: pipelinePublishingSmallCells, chapter: chapter))
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
        // 25 pages, data files and reports, 6 tables as data, the database and the SDMX export;
        // the definitions (2), the reports' index (2), a chart of social assistance and one of elderly care, the workbook;
        // the disclosure report (2).
        #expect(one.count == 44)
        #expect(one == two)
        #expect(try EditionDiff.compare(outputs.path("one/2019"), outputs.path("two/2019")).differs == false)
    }

    @Test func aFullBuildDoesNotRewriteUnchangedFiles() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        let before = inode(outputs.path("out/2019/chapters/elderly-care.html"))
        let again = try build(tree, out: "out")
        #expect(again.written.isEmpty)
        #expect(inode(outputs.path("out/2019/chapters/elderly-care.html")) == before)
    }

    /// Every output of `edition` equals the full build's, or is listed stale; nothing listed stale equals it.
    func expectStaleIsExact(_ edition: String, full: String) throws {
        let manifest = try Manifest.load(edition)
        let mine = files(edition), theirs = files(full)
        for (file, bytes) in theirs where file != "manifest.json" {
            if manifest.stale.contains(file) {
                #expect(mine[file] != bytes, "\(file) is listed stale but equals the full build's")
            } else {
                #expect(mine[file] == bytes, "\(file) differs from the full build's but is not listed stale")
            }
        }
        #expect(Set(mine.keys) == Set(theirs.keys))
    }

    @Test func oneChapterAfterACorrectionRereadsOneFileAndListsStaleExactly() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        let elderly = inode(outputs.path("out/2019/chapters/elderly-care.html"))
        // The county sends a correction: one row's amount.
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,150,active\n")
        let result = try build(tree, out: "out", chapter: "social-assistance")
        #expect(result.exitCode == 0)
        #expect(result.filesRead == 1)
        // The chapter, and the data and reports that must agree with it; nothing else.
        #expect(result.written == ["chapters/social-assistance.html", "chapters/social-assistance.md",
                                   "data/observations.csv", "data/observations.xml", "data/rankings.csv",
                                   "data/tables/social-assistance.json", "data/yearbook.sqlite", "manifest.json"])
        #expect(inode(outputs.path("out/2019/chapters/elderly-care.html")) == elderly)
        let chapter = String(decoding: FileManager.default.contents(atPath: outputs.path("out/2019/chapters/social-assistance.md"))!, as: UTF8.self)
        // Households U/R, recipients U/R, paid per month U/R, per recipient U/R: 150 for the one urban recipient.
        #expect(chapter.contains("| 芦淞区 Lusong | 1 | 0 | 1 | 0 | 150.00 | 0.00 | 150 | – |"))
        // No other chapter shows that county's roster; the workbook holds the chapter, and is not made
        // again for one chapter (it is the costliest output): it is stale until a full build.
        #expect(result.stale == ["yearbook.xlsx"])
        _ = try build(tree, out: "full")
        try expectStaleIsExact(outputs.path("out/2019"), full: outputs.path("full/2019"))
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: tree.root)
            == ["output yearbook.xlsx is stale: a full build would change it"])
    }

    @Test func anotherChapterThatAFullBuildWouldChangeIsListedStaleUntilAFullBuild() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        // A correction to a submission: the elderly-care chapter shows beds, social assistance does not.
        tree.write("2019/submissions/b.xml", SDMXMessage.structureSpecific(prepared: "2020-02-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "25"),
        ]))
        let result = try build(tree, out: "out", chapter: "social-assistance")
        #expect(result.filesRead == 1)
        #expect(result.stale == ["chapters/charts/elderly-care-areas-BEDS_TOTAL.svg", "chapters/elderly-care.html", "chapters/elderly-care.md",
                                 "data/tables/elderly-care.json", "yearbook.xlsx"])
        _ = try build(tree, out: "full")
        try expectStaleIsExact(outputs.path("out/2019"), full: outputs.path("full/2019"))
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: tree.root)
            .contains("output chapters/elderly-care.md is stale: a full build would change it"))
        // The stale chapter stays stale through another chapter's regeneration, and the full build mends it.
        #expect(try build(tree, out: "out", chapter: "child-welfare").stale == result.stale)
        _ = try build(tree, out: "out")
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: tree.root) == [])
    }

    @Test func oneChapterIntoAnEmptyFolderIsTheFullBuild() throws {
        let tree = tree()
        _ = try build(tree, out: "chapter-only", chapter: "elderly-care")
        _ = try build(tree, out: "full")
        #expect(files(outputs.path("chapter-only/2019")) == files(outputs.path("full/2019")))
    }

    @Test func oneHeadlineEditRendersThatChapterAndReadsNoInput() throws {
        let tree = tree()
        let definition = TestTree()
        for file in ["yearbook.yml", "indicators.csv", "chapters.csv"] {
            definition.write(file, String(decoding: FileManager.default.contents(atPath: repositoryRoot + "/pipelines/" + file)!, as: UTF8.self))
        }
        func build(chapter: String? = nil) throws -> BuildResult {
            try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"),
                                               pipeline: definition.path("yearbook.yml"), chapter: chapter))
        }
        _ = try build()
        let yaml = String(decoding: FileManager.default.contents(atPath: definition.path("yearbook.yml"))!, as: UTF8.self)
        let edited = yaml.replacingOccurrences(of: "全市养老床位", with: "全市各类养老床位")
        #expect(edited != yaml)
        definition.write("yearbook.yml", edited)
        let result = try build(chapter: "elderly-care")
        #expect(result.filesRead == 0)
        #expect(result.written == ["chapters/elderly-care.html", "chapters/elderly-care.md", "manifest.json"])
        // The workbook prints the headline too.
        #expect(result.stale == ["yearbook.xlsx"])
        let plan = try BuildPlan.make(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"),
                                                   pipeline: definition.path("yearbook.yml"), chapter: "elderly-care"))
        #expect(plan.steps.isEmpty)
        #expect(plan.kept.contains("chapter:elderly-care"))
    }

    /// After a headline edit, `--chapter` reads no input (not even to hash it) and publishes what a full build would.
    @Test func oneHeadlineEditWithChapterPublishesWhatAFullBuildWould() throws {
        let tree = tree()
        let definition = TestTree()
        for file in ["yearbook.yml", "indicators.csv", "chapters.csv"] {
            definition.write(file, String(decoding: FileManager.default.contents(atPath: repositoryRoot + "/pipelines/" + file)!, as: UTF8.self))
        }
        func build(_ out: String, chapter: String? = nil) throws -> BuildResult {
            try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path(out),
                                               pipeline: definition.path("yearbook.yml"), chapter: chapter))
        }
        tree.settle()
        #expect(try build("out").inputsHashed == 5)
        let yaml = String(decoding: FileManager.default.contents(atPath: definition.path("yearbook.yml"))!, as: UTF8.self)
        definition.write("yearbook.yml", yaml.replacingOccurrences(of: "全市养老床位", with: "全市各类养老床位"))
        let pack = inode(outputs.path("out/.yearbook-cache/2019/extract.pack"))
        let result = try build("out", chapter: "elderly-care")
        #expect(result.inputsHashed == 0)
        #expect(result.filesRead == 0)
        // Nothing was extracted: the cache's pack of extractions is not written again.
        #expect(inode(outputs.path("out/.yearbook-cache/2019/extract.pack")) == pack)
        #expect(result.stale == ["yearbook.xlsx"])
        _ = try build("full")
        try expectStaleIsExact(outputs.path("out/2019"), full: outputs.path("full/2019"))
        #expect(files(outputs.path("out/2019"))["chapters/elderly-care.md"] == files(outputs.path("full/2019"))["chapters/elderly-care.md"])
    }

    @Test func theDryRunSaysWhatWouldRunAndWhy() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,150,active\n")
        let plan = try BuildPlan.make(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"),
                                                   pipeline: pipelinePublishingSmallCells, chapter: "social-assistance"))
        #expect(plan.steps.prefix(3).map { "\($0.target): \($0.reason)" } == [
            "extract:2019/exports/430203_dibao.csv.gz: input 2019/exports/430203_dibao.csv.gz changed",
            "base-dataset: reads extract:2019/exports/430203_dibao.csv.gz, which changed",
            "aggregation: reads base-dataset, which changed",
        ])
        #expect(plan.written.contains("chapter:social-assistance") && plan.written.contains("data/observations.csv"))
        #expect(plan.compared == ["yearbook.xlsx", "chapter:elderly-care", "chapter:child-welfare", "chapter:social-organizations",
                                  "chapter:community-governance", "chapter:charity-funeral"])
        #expect(plan.kept == ["data/withheld.csv", "data/areas.csv", "index", "reports:index", "definitions"])
        // Nothing was written by the plan.
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: nil) == [])
    }

    /// A full build's dry run lists as written only the outputs that would change.
    @Test func theDryRunOfAnUpToDateBuildWritesNothing() throws {
        let tree = tree()
        let options = BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"), pipeline: pipelinePublishingSmallCells)
        let first = try BuildPlan.make(options)
        #expect(first.written.count == 25 && first.unchanged.isEmpty)
        _ = try build(tree, out: "out")
        let same = try BuildPlan.make(options)
        #expect(same.steps.isEmpty)
        #expect(same.written.isEmpty)
        #expect(same.unchanged == first.written)
        #expect(same.text.contains("every target is up to date\noutputs written: none\n"
                                   + "outputs unchanged (made again from what made the published ones: the same bytes): 25\n"))
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,150,active\n")
        let corrected = try BuildPlan.make(options)
        #expect(corrected.written.contains("chapter:social-assistance") && corrected.written.contains("data/observations.csv"))
        #expect(corrected.unchanged.contains("data/areas.csv") && !corrected.unchanged.contains("chapter:social-assistance"))
        #expect(Set(corrected.written).isDisjoint(with: corrected.unchanged))
    }

    @Test func verifyNamesChangedInputsAndOutputs() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: tree.root) == [])
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,401,active\n")
        outputs.write("out/2019/index.md", "edited by hand\n")
        #expect(try Verification.verify(edition: outputs.path("out/2019"), input: tree.root) == [
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
        let diff = try EditionDiff.compare(outputs.path("before/2019"), outputs.path("after/2019"))
        #expect(diff.differs)
        #expect(diff.alignment == "both editions are of 2019: periods 2018 and 2019 with themselves")
        #expect(diff.changes.filter { $0.kind == "value" }.map { "\($0.area) | \($0.indicator) | \($0.a) → \($0.b) \($0.difference ?? "") \($0.relative ?? "")" } == [
            "株洲市 430200 | 城市低保月发放金额 DIBAO_AMOUNT_U | 800 → 800.4 0.4 0.05%",
            "株洲市 430200 | 城市低保月人均救助水平 DIBAO_PC_U | 114.2857 → 114.3429 0.0572 0.05%",
            "芦淞区 430203 | 城市低保月发放金额 DIBAO_AMOUNT_U | 100 → 100.4 0.4 0.40%",
            "芦淞区 430203 | 城市低保月人均救助水平 DIBAO_PC_U | 100.0000 → 100.4000 0.4 0.40%",
        ])
        #expect(diff.changes.filter { $0.kind == "status" }.map { "\($0.area) \($0.indicator) \($0.a) → \($0.b)" } == [
            "株洲市 430200 养老床位数 BEDS_TOTAL P → A", "芦淞区 430203 养老床位数 BEDS_TOTAL P → A",
        ])
        // A table cell is named by chapter, table, area, indicator and column (a topic table's two-level heading).
        let cell = try #require(diff.changes.first { $0.kind == "cell" && $0.area == "芦淞区 430203" && $0.table?.hasPrefix("城乡最低生活保障") == true })
        #expect("\(cell.chapter) | \(cell.table ?? "") | \(cell.indicator) | \(cell.column ?? "") | \(cell.a) → \(cell.b)"
            == "社会救助 Social Assistance | 城乡最低生活保障 Minimum living allowance, urban and rural | 城市低保月发放金额 DIBAO_AMOUNT_U | "
             + "月发放金额 城市 (元) Paid per month, Urban (yuan) | 100.00 → 100.40")
        #expect(diff.filesDiffering.contains("data/observations.csv"))
        // Within a tolerance of 0.5 (or 1%) the values are the same; the status change remains.
        for tolerance in ["0.5", "1%"] {
            let tolerant = try EditionDiff.compare(outputs.path("before/2019"), outputs.path("after/2019"), tolerance: Tolerance(tolerance)!)
            #expect(tolerant.changes.filter { $0.kind == "value" }.isEmpty)
            #expect(tolerant.changes.contains { $0.kind == "status" })
            #expect(tolerant.differs)
        }
        #expect(Tolerance("0.3%") == .percent(Exact(decimal: "0.3")!))
        #expect(Tolerance("-1") == nil && Tolerance("1%%") == nil && Tolerance("abc") == nil)
        #expect(diff.markdown().contains("| 芦淞区 430203 | 城市低保月发放金额 DIBAO_AMOUNT_U | 2019 | 100 | 100.4 | 0.4 | 0.40% |"))
        #expect(diff.markdown().contains("| 社会救助 Social Assistance | 6 |"))
    }

    /// The sample 2018 and 2019 editions, built fresh: the 2019 edition revised four figures of 2018 (醴陵市's
    /// elderly-care beds, and with them 株洲市's and both areas' beds per 1,000); every other 2018 figure is the same,
    /// and the movements from 2018 to 2019 are not differences.
    @Test func diffOfConsecutiveEditionsListsTheRevisedFiguresOfTheYearBothPublish() throws {
        for year in [2017, 2018, 2019] {
            _ = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: year, out: outputs.path("samples"),
                                                   pipeline: pipelinePath))
        }
        let diff = try EditionDiff.compare(outputs.path("samples/2018"), outputs.path("samples/2019"))
        #expect(diff.alignment == "edition 2018 (periods 2017, 2018) with edition 2019 (periods 2018, 2019): "
                + "the figures of 2018 as each published them; year-over-year movements are not differences")
        #expect(diff.revisions.map { "\($0.area) | \($0.indicator) | \($0.period) | \($0.a) → \($0.b) | \($0.difference ?? "") | \($0.relative ?? "") | \($0.statusA ?? "")→\($0.statusB ?? "") | \($0.sourceA ?? "")→\($0.sourceB ?? "")" } == [
            "株洲市 430200 | 每千名老年人拥有养老床位 BEDS_PER_1000 | 2018 | 36.8350 → 36.9538 | 0.1188 | 0.32% | A→A | derived→derived",
            "株洲市 430200 | 养老床位数 BEDS_TOTAL | 2018 | 26656 → 26742 | 86 | 0.32% | A→A | aggregated→aggregated",
            "醴陵市 430281 | 每千名老年人拥有养老床位 BEDS_PER_1000 | 2018 | 35.2986 → 35.7750 | 0.4764 | 1.35% | A→A | derived→derived",
            "醴陵市 430281 | 养老床位数 BEDS_TOTAL | 2018 | 6372 → 6458 | 86 | 1.35% | A→A | "
                + "submission (2018/submissions/430281_2018.xml, line 50)→submission (2019/submissions/430281_2018_revision.xml, line 25)",
        ])
        #expect(diff.changes.filter { $0.kind != "cell" }.isEmpty)
        // Table cells are paired by the period they hold: the 2018 edition's 2018 column with the 2019 edition's 2018 column.
        let cells = diff.changes.filter { $0.kind == "cell" }
        #expect(cells.allSatisfy { $0.period == "2018" && ($0.column ?? "").hasPrefix("2018年") || !($0.column ?? "").contains("年") })
        #expect(cells.contains { $0.area == "株洲市 430200" && $0.column == "2018年 2018" && $0.a == "26,656" && $0.b == "26,742" })
        #expect(diff.differs)
        let markdown = diff.markdown()
        #expect(markdown.contains("| figures revised (修订) | 4 |"))
        #expect(markdown.contains("## Revised figures (修订)"))
        #expect(markdown.contains("| 醴陵市 430281 | 养老床位数 BEDS_TOTAL | 2018 | 6372 | 6458 | 86 | 1.35% | A | submission (2018/submissions/"
                                  + "430281_2018.xml, line 50) → submission (2019/submissions/430281_2018_revision.xml, line 25) |"))
        // The largest relative change first.
        #expect(markdown.components(separatedBy: "## Revised figures (修订)")[1].split(separator: "\n")[2].hasPrefix("| 醴陵市 430281 | 养老床位数 BEDS_TOTAL |"))
        #expect(diff.json.contains("\"revisions\""))
        // Editions two years apart publish no year in common: refused, not "no differences".
        #expect(throws: YearbookError.usage("the editions 2017 and 2019 publish no period in common: compare consecutive editions "
                                            + "(2017 with 2018) or two builds of one year")) {
            try EditionDiff.compare(outputs.path("samples/2017"), outputs.path("samples/2019"))
        }
        // The same edition with itself: nothing moved.
        #expect(try EditionDiff.compare(outputs.path("samples/2019"), outputs.path("samples/2019")).differs == false)
    }

    /// A change too small for two decimals of a percent still shows as not zero.
    @Test func relativeChangesPrintWithEnoughDigitsToBeNonZero() {
        #expect(EditionDiff.percent(Exact(100).divided(by: Exact(13_206_719))!) == "0.001%")
        #expect(EditionDiff.percent(Exact(decimal: "0.0032")!) == "0.32%")
        #expect(EditionDiff.percent(.zero) == "0.00%")
    }

    @Test func diffRefusesAFolderThatIsNotAnEdition() throws {
        let tree = tree()
        _ = try build(tree, out: "out")
        #expect(throws: YearbookError.notAnEdition(path: tree.root)) { try EditionDiff.compare(outputs.path("out/2019"), tree.root) }
    }
}

@Suite struct EditionPublisherTests {
    @Test func leftoversOfAnInterruptedBuildAreRemovedAndTheEditionReplacedWhole() throws {
        let folder = TestTree()
        // A build killed half way (pid 999999 is not running) left its staging folder.
        folder.write("out/.2019.building-999999/data/observations.csv", "half\n")
        let publisher = EditionPublisher(out: folder.path("out"), year: 2019)
        #expect(publisher.removeLeftovers() == [])
        let staging = try EditionPublisher.Staging(publisher: publisher)
        try staging.add("index.md", Array("new\n".utf8))
        _ = try staging.commit(manifest: Manifest(edition: 2019, tool: "yearbook test", pipeline: .init(file: "", bytes: 0, sha256: ""),
                                                  pipelineFiles: [], inputs: [], outputs: [], stale: []))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).sorted() == ["2019"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("out/2019")).sorted() == ["index.md", "manifest.json"])
    }

    /// The warning that names a kept staged edition reaches the build's problems (it was once replaced by the findings').
    @Test func aBuildWarnsOfAWholeStagedEditionItKeeps() throws {
        let regeneration = RegenerationTests()
        let tree = regeneration.tree()
        let staged = regeneration.outputs.path("out/.2019.building-999999")
        regeneration.outputs.write("out/.2019.building-999999/manifest.json", "{}\n")
        let result = try regeneration.build(tree, out: "out")
        #expect(try result.problems.all().filter { $0.kind == .edition }.map(\.message) == [
            "\(staged) holds a whole edition left by an interrupted build and no edition is published; it was kept: "
                + "move it to \(regeneration.outputs.path("out/2019")) to publish it, or remove it"])
        #expect(FileManager.default.fileExists(atPath: staged + "/manifest.json"))
    }

    @Test func aWholeStagedEditionIsKeptWhenNoEditionIsPublished() throws {
        let folder = TestTree()
        folder.write("out/.2019.building-999999/manifest.json", "{}\n")
        let publisher = EditionPublisher(out: folder.path("out"), year: 2019)
        #expect(publisher.removeLeftovers() == [folder.path("out/.2019.building-999999")])
    }
}

@Suite struct TargetCacheTests {
    /// What the cache keeps reads back as the build made it.
    @Test func keptResultsReadBackAsMade() throws {
        let out = TestTree()
        let result = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root,
                                                        pipeline: pipelinePath))
        let cache = TargetCache(out: out.root, year: 2019)
        let key = { (name: String) in cache.records[name]!.key }
        let aggregation = try #require(cache.result(of: YearbookTargets.aggregation, key: key("aggregation")))
        #expect(aggregation.observations == result.observations)
        #expect(try #require(cache.result(of: YearbookTargets.ranks, key: key("ranks"))) == result.rankings)
        let disclosure = try #require(cache.result(of: YearbookTargets.disclosure, key: key("disclosure")))
        #expect(disclosure.facts == result.disclosure.facts)
        #expect(disclosure.facts.smallest?.units == 76)
        let findings = try #require(cache.result(of: YearbookTargets.findings, key: key("findings")))
        #expect(try findings.problems.all() == result.problems.all())
        #expect(findings.counts.rowsRead == result.rosters.reduce(0) { $0 + $1.rowsRead })
        for roster in result.rosters {
            guard case .roster(let cached)? = cache.result(of: YearbookTargets.extract(roster.file), key: key("extract:\(roster.file)")) else {
                Issue.record("no cached extraction of \(roster.file)")
                continue
            }
            #expect(cached.values == roster.values)
            #expect(try cached.rejects.rows() == roster.rejects.rows())
        }
        // Under another key nothing is taken.
        #expect(cache.result(of: YearbookTargets.ranks, key: TargetKey(hex: "0")) == nil)
        // The results kept in files of their own are those a chapter's rebuild reads ahead.
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path(".yearbook-cache/2019")).filter { $0.hasSuffix(".bin") }
        #expect(files.sorted() == YearbookTargets.kept.map { $0.name + ".bin" }.sorted())
    }

    /// A chapter's rebuild reads the kept results before its targets' keys are known: one is taken only
    /// under the key it was kept with, and the cache read so is used only while its files are as they were read.
    @Test func resultsReadEarlyAreTakenUnderTheirKeyWhileTheirFilesAreAsRead() throws {
        let out = TestTree()
        let result = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root,
                                                        pipeline: pipelinePath))
        let cache = TargetCache(out: out.root, year: 2019)
        cache.readEarly(YearbookTargets.kept, budget: ReadAhead.earlyResultBytes)
        #expect(cache.isCurrent)
        let key = cache.records["aggregation"]!.key
        // Read before the file went: the early result is what is taken.
        try POSIX.unlink(SystemPath(out.path(".yearbook-cache/2019/aggregation.bin")))
        #expect(cache.result(of: YearbookTargets.aggregation, key: key)?.observations == result.observations)
        #expect(cache.result(of: YearbookTargets.aggregation, key: TargetKey(hex: "0")) == nil)
        #expect(!cache.isCurrent)
        // Those the graph will not take under its keys now are not held: without its file, none is left.
        cache.keepEarlyResults(under: ["aggregation": TargetKey(hex: "0")])
        #expect(cache.result(of: YearbookTargets.aggregation, key: key) == nil)

        // Another build replacing a file (the same bytes, a new file) makes a cache read before it not current.
        let later = TargetCache(out: out.root, year: 2019)
        later.readEarly(YearbookTargets.kept, budget: ReadAhead.earlyResultBytes)
        #expect(later.isCurrent)
        let findings = SystemPath(out.path(".yearbook-cache/2019/findings.bin"))
        let bytes = try #require(try POSIX.readFile(findings))
        try POSIX.replaceFile(findings, bytes, durable: false)
        #expect(!later.isCurrent)

        // A build reads the records of the kept results only; their keys are those of the whole index.
        let build = TargetCache(out: out.root, year: 2019, records: .ofKeptResults)
        #expect(build.records.keys.sorted() == ["aggregation", "disclosure", "findings", "ranks"])
        #expect(build.records.mapValues(\.key) == later.records.filter { build.records[$0.key] != nil }.mapValues(\.key))
        #expect(later.records.count > 60)

        // Kept results larger than the budget are not read ahead: the graph reads them when it asks.
        let within = TargetCache(out: out.root, year: 2019)
        within.readEarly(YearbookTargets.kept, budget: bytes.count - 1)
        try POSIX.unlink(findings)
        #expect(within.result(of: YearbookTargets.findings, key: within.records["findings"]!.key) == nil)
        #expect(within.isCurrent)
    }

    /// The published manifest read ahead is used only while its file is the one read.
    @Test func aManifestReadAheadIsUsedOnlyWhileItsFileIsTheOneRead() throws {
        let out = TestTree()
        #expect(try ReadAhead(out: out.root, year: 2019).publishedManifest() == nil)
        _ = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root, pipeline: pipelinePath))
        let published = try #require(try Manifest.ofEdition(out.path("2019")))
        let ahead = ReadAhead(out: out.root, year: 2019)
        let read = try #require(try ahead.publishedManifest())
        #expect(read?.encoded() == published.encoded())
        let path = SystemPath(out.path("2019/manifest.json"))
        try POSIX.replaceFile(path, try #require(try POSIX.readFile(path)), durable: false)
        #expect(try ahead.publishedManifest() == nil)
    }

    /// What is withheld is kept for the next build as it was made: every cell with its status and reason,
    /// the problems and the facts the summary prints; a file cut short is not taken.
    @Test func keptDisclosureReadsBackAsMade() throws {
        let small = ObservationKey(area: "430203", indicator: "TEKUN_CENTRAL", period: 2019)
        let parent = ObservationKey(area: "430200", indicator: "TEKUN_CENTRAL", period: 2019)
        let sibling = ObservationKey(area: "430204", indicator: "TEKUN_CENTRAL", period: 2019)
        var facts = Disclosure.Facts(minUnits: 3)
        (facts.primary, facts.secondary, facts.kept) = (1, 1, 0)
        facts.smallest = Disclosure.Smallest(key: parent, units: 76, unit: "persons")
        let made = Disclosure.Result(withholding: Withholding(cells: [small: .primary, sibling: .secondary]),
                                     problems: [.warning(.disclosure, "430203 TEKUN_CENTRAL 2019 was published in 2018 and is withheld now",
                                                         area: "430203", indicator: "TEKUN_CENTRAL", period: 2019)],
                                     facts: facts,
                                     reasons: [small: "primary: 2 persons < disclosure.min_units 3",
                                               sibling: "secondary: 430200 minus its other areas gives 430203"])
        var out = BinaryWriter()
        made.encode(into: &out)
        let read = try Disclosure.Result(decoding: out.bytes)
        #expect(read.withholding == made.withholding)
        #expect(read.reasons == made.reasons)
        #expect(read.problems == made.problems)
        #expect(read.facts == made.facts)
        #expect(throws: (any Error).self) { try Disclosure.Result(decoding: Array(out.bytes.dropLast())) }
    }

    /// A damaged findings file is made again, never misread: a problem count one short (the last problem
    /// would be read as the input counts), a length of 2^62 bytes, a file cut in half, problems out of report order.
    @Test func aDamagedFindingsFileIsNotTaken() throws {
        let out = TestTree()
        _ = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root, pipeline: pipelinePath))
        let cache = TargetCache(out: out.root, year: 2019)
        let key = cache.records["findings"]!.key
        let path = out.path(".yearbook-cache/2019/findings.bin")
        let whole = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        #expect(cache.result(of: YearbookTargets.findings, key: key) != nil)
        func encoded(_ value: UInt64) -> [UInt8] {
            var out = BinaryWriter()
            out.unsigned(value)
            return out.bytes
        }
        func varint(_ bytes: [UInt8], at start: Int) throws -> (value: UInt64, end: Int) {
            var reader = BinaryReader(Array(bytes[start...]))
            let value = try reader.unsigned()
            return (value, start + reader.position)
        }
        let header = try varint(whole, at: 0)
        let count = try varint(whole, at: header.end + Int(header.value))
        #expect(count.value > 1)
        // The problems' records, each its length and its bytes: the first and the last swapped are out of report order.
        var records: [[UInt8]] = [], position = count.end
        for _ in 0..<count.value {
            let length = try varint(whole, at: position)
            records.append(Array(whole[position..<(length.end + Int(length.value))]))
            position = length.end + Int(length.value)
        }
        #expect(records.first != records.last)
        let swapped = [records.last!] + records.dropFirst().dropLast() + [records.first!]
        let damaged = [
            Array(whole[..<(header.end + Int(header.value))]) + encoded(count.value - 1) + Array(whole[count.end...]),
            encoded(1 << 62) + Array(whole[header.end...]),
            Array(whole[..<(whole.count / 2)]),
            Array(whole[..<count.end]) + swapped.flatMap { $0 } + Array(whole[position...]),
        ]
        for bytes in damaged {
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            #expect(TargetCache(out: out.root, year: 2019).result(of: YearbookTargets.findings, key: key) == nil)
        }
    }

    /// A cache file a killed build left half-written is removed by the next build; nothing else in the folder is.
    @Test func halfWrittenCacheFilesOfAKilledBuildAreRemoved() throws {
        let out = TestTree()
        out.write(".yearbook-cache/2019/findings.bin.4134.tmp", "half of a findings file")
        out.write(".yearbook-cache/2019/extract.pack.77.tmp", "half of a pack")
        out.write(".yearbook-cache/2019/inputs.digests.78.tmp", "half of the inputs' digests")
        out.write(".yearbook-cache/2019/notes.tmp", "someone's notes")
        _ = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out.root, pipeline: pipelinePath))
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path(".yearbook-cache/2019")).sorted()
        #expect(left == ["aggregation.bin", "disclosure.bin", "extract.pack", "findings.bin", "inputs.digests", "notes.tmp", "ranks.bin",
                         "rejects", "targets.index"])
    }

    /// A build with no input file to keep still leaves a cache that reads back (an empty pack is its header,
    /// not an empty file that would make the whole cache, and `--dry-run`, forget every target).
    @Test func aCacheWithNoExtractionReadsBack() throws {
        let tree = TestTree()
        tree.write("input/areas.csv", TestTree.zhuzhouAreas)
        tree.write("input/2019/exports/readme.txt", "not an export\n")
        let result = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2019, out: tree.path("out"),
                                                        pipeline: pipelinePath))
        #expect(try result.problems.errors().map(\.message).contains { $0.hasPrefix("no input for 2019") })
        let pack = try #require(FileManager.default.contents(atPath: tree.path("out/.yearbook-cache/2019/extract.pack")))
        #expect(pack.count == 1 + TargetCache.magic.utf8.count + 1)
        let cache = TargetCache(out: tree.path("out"), year: 2019)
        #expect(cache.records["findings"] != nil)
    }
}
