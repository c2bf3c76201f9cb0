@testable import Pipeline
import Readers
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// The one error type: what a user reads, where it points, and what caused it.
@Suite struct YearbookErrorTests {
    @Test func aLocationPrintsAsFileAndLine() {
        #expect(SourceLocation(file: "2019/exports/430202_dibao.csv.gz", line: 7).description == "2019/exports/430202_dibao.csv.gz:7")
        #expect(SourceLocation(file: "areas.csv").description == "areas.csv")
        let error = YearbookError.input(file: "2019/submissions/430200_2019.xml", line: 12, "malformed XML: expected '>'")
        #expect(error.description == "2019/submissions/430200_2019.xml:12: malformed XML: expected '>'")
        #expect(Problem.error(.unreadable, error.explanation, at: error.location).description
                    == "2019/submissions/430200_2019.xml:12: error: malformed XML: expected '>'")
    }

    @Test func aCausesWordsAreKeptThroughRenaming() {
        let system = YearbookError.system(call: "read", path: "/data/in/2019/exports/x.csv.gz", errno: EIO)
        let read = YearbookError.input(file: "/data/in/2019/exports/x.csv.gz", "cannot read", cause: system.cause)
        let named = read.naming(file: "2019/exports/x.csv.gz")
        #expect(named.description == "2019/exports/x.csv.gz: cannot read: Input/output error")
        #expect(named.explanation == "cannot read: Input/output error")
        #expect(named.code == .input)
        #expect(named.errno == EIO)
        #expect(YearbookError(.internal, "the target cache is broken", cause: system).errno == EIO)
    }

    @Test func aFullDiskStopsTheBuildWithTheSystemsWordsAndPublishesNothing() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", RegenerationTests.header + "h1,430202,U,2,300,active\n")
        let outputs = TestTree()
        let out = outputs.path("out")
        POSIX.faultInjector = { call, path in call == "write" && path.hasPrefix(out + "/") ? ENOSPC : nil }
        defer { POSIX.faultInjector = nil }
        let error = #expect(throws: YearbookError.self) {
            try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: out, pipeline: pipelinePath))
        }
        #expect(error?.code == .system)
        #expect(error?.errno == ENOSPC)
        #expect(error?.description.hasSuffix(": cannot write: No space left on device") == true)
        #expect(error?.location?.file.hasPrefix(out + "/.2019.building-") == true)
        #expect(!FileManager.default.fileExists(atPath: out + "/2019"))
    }

    @Test func anEditionWhoseDatasetDoesNotReadIsNoEditionForDiff() throws {
        let tree = TestTree()
        tree.write("a/data/observations.csv", "area_code,indicator,period\n430200,BEDS_TOTAL,2019\n")
        let error = #expect(throws: YearbookError.self) { try EditionDiff.compare(tree.path("a"), tree.path("a")) }
        #expect(error?.code == .usage)
        #expect(error?.description == "\(tree.path("a")) is not a yearbook edition: "
                    + "\(tree.path("a/data/observations.csv")):1: missing required column value")
    }

    /// A damaged edition number (Int.min, Int.max) is refused before any year arithmetic, which would overflow.
    @Test func anEditionWhoseNumberIsNoYearIsRefusedByVerifyAndDiff() throws {
        let tree = TestTree()
        for (folder, edition) in [("low", String(Int.min)), ("high", String(Int.max))] {
            tree.write(folder + "/manifest.json", #"{"edition":\#(edition),"tool":"yearbook test","pipeline":{"file":"","bytes":0,"sha256":""},"pipelineFiles":[],"inputs":[],"outputs":[],"stale":[]}"# + "\n")
            tree.write(folder + "/data/observations.csv", "area_code,indicator,period,value,status,source\n430200,BEDS_TOTAL,2019,1,A,x\n")
        }
        tree.write("input/areas.csv", "")
        #expect(throws: YearbookError.usage("\(tree.path("low/manifest.json")) does not read: its edition \(Int.min) is not a year")) {
            try Verification.verify(edition: tree.path("low"), input: tree.path("input"))
        }
        #expect(throws: YearbookError.notAnEdition(path: tree.path("high"), why: "its edition \(Int.max) is not a year")) {
            try EditionDiff.compare(tree.path("high"), tree.path("low"))
        }
    }
}
