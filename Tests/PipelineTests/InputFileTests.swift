import Definition
import Pipeline
import Extract
import Foundation
import Readers
import Testing
import YearbookCore
import YearbookTestSupport

/// Only regular files inside the input tree are read; names need not be UTF-8.
@Suite struct InputFileTests {
    func makeFIFO(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mkfifo")
        process.arguments = [path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Runs `body` on a thread of its own; nil when it has not finished within `seconds` (it hangs).
    func finishing<T>(within seconds: Double, _ body: @escaping () throws -> T) throws -> T? {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<T, Error>?
        Thread.detachNewThread {
            outcome = Result { try body() }
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return try outcome!.get()
    }

    func message(_ observations: [SDMXMessage.Obs]) -> String {
        SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", observations)
    }

    @Test func fifosFoldersAndLinksOutOfTheTreeAreErrorsAndNothingHangs() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeEdition("out/2019", file: "index.md", "previous edition\n")
        try FileManager.default.createDirectory(atPath: tree.path("2019/exports/430203_tekun.csv.gz"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tree.path("2019/submissions"), withIntermediateDirectories: true)
        try makeFIFO(tree.path("2019/exports/430202_dibao.csv.gz"))
        try makeFIFO(tree.path("2019/submissions/a.xml"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("2019/submissions/leak.xml"), withDestinationPath: "/etc/passwd")
        tree.write("kept/inside.xml", message([.init(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "12")]))
        try FileManager.default.createSymbolicLink(atPath: tree.path("2019/submissions/inside.xml"), withDestinationPath: "../../kept/inside.xml")
        // 国.xml in GB18030: not UTF-8.
        let gbName = SystemPath(tree.path("2019/submissions")).appending([0xB9, 0xFA, 0x2E, 0x78, 0x6D, 0x6C])
        let descriptor = try POSIX.open(gbName, O_WRONLY | O_CREAT)
        try Array(message([.init(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "7")]).utf8).withUnsafeBytes {
            try POSIX.write(descriptor, $0, path: gbName)
        }
        try POSIX.close(descriptor, path: gbName)

        let options = BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath)
        let result = try #require(try finishing(within: 60) { try YearbookBuild.run(options) })
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().sorted(by: Problem.reportOrder).map(\.description) == [
            "2019/exports/430202_dibao.csv.gz: error: is a FIFO, not a regular file; not read",
            "2019/exports/430203_tekun.csv.gz: error: is a folder, not a regular file; not read",
            "2019/submissions/a.xml: error: is a FIFO, not a regular file; not read",
            "2019/submissions/leak.xml: error: is a symbolic link to /etc/passwd, outside the input tree; not read",
        ])
        #expect(result.submissions.map { "\($0.file) \($0.observations.map { "\($0.writtenArea)=\($0.value!)" })" } == [
            "2019/submissions/inside.xml [\"430202=12\"]",
            "2019/submissions/\\xB9\\xFA.xml [\"430203=7\"]",
        ])
        #expect(FileManager.default.contents(atPath: tree.path("out/2019/index.md")) == Data("previous edition\n".utf8))
    }

    @Test func aYearFolderLinkedOutOfTheTreeIsOneErrorAndIsNotListed() throws {
        let tree = TestTree()
        let outside = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        try FileManager.default.createDirectory(atPath: tree.path("2019/submissions"), withIntermediateDirectories: true)
        outside.writeGzip("exports/430202_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\n")
        try FileManager.default.createSymbolicLink(atPath: tree.path("2018"), withDestinationPath: outside.root)
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath))
        let resolved = try POSIX.realpath(SystemPath(outside.root))
        #expect(try result.problems.all().filter { $0.kind == .inputTree }.map(\.description) == [
            "2018: error: is a symbolic link to \(resolved), outside the input tree; not read",
            "2019/: error: no input for 2019: 2019/exports and 2019/submissions hold no file the contract names (<county>_dibao.csv.gz, <county>_tekun.csv.gz, *.xml, *.xml.gz)",
        ])
        #expect(result.rosters.isEmpty)
    }

    @Test func areasThatIsAFIFOIsAnErrorAndIsNotOpened() throws {
        let tree = TestTree()
        try FileManager.default.createDirectory(atPath: tree.path("2019/submissions"), withIntermediateDirectories: true)
        try makeFIFO(tree.path("areas.csv"))
        let options = BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath)
        let result = try #require(try finishing(within: 60) { try YearbookBuild.run(options) })
        #expect(result.exitCode == 1)
        #expect(try result.problems.all().map(\.description) == ["areas.csv: error: is a FIFO, not a regular file; not read"])
    }

    @Test func aPipelineDefinitionThatIsAFIFOIsAUsageErrorAtOnce() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        try FileManager.default.createDirectory(atPath: tree.path("2019/submissions"), withIntermediateDirectories: true)
        let fifo = tree.path("yearbook.yml")
        try makeFIFO(fifo)
        let options = BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: fifo)
        let outcome = try #require(try finishing(within: 20) { () -> String in
            do { _ = try YearbookBuild.run(options) } catch { return "\(error)" }
            return "no error"
        })
        #expect(outcome.hasSuffix("cannot read the pipeline definition: cannot read: is a FIFO, not a regular file"))
    }

    @Test func inspectRefusesAFIFOWithoutWaitingForAWriter() throws {
        let tree = TestTree()
        let fifo = tree.path("430202_dibao.csv.gz")
        try makeFIFO(fifo)
        let report = try #require(try finishing(within: 20) {
            Inspection.inspect(path: fifo, registry: nil, indicators: [])
        })
        #expect(report.kind == "unreadable")
        #expect(report.error == "\(fifo): cannot read: is a FIFO, not a regular file")
        #expect(throws: YearbookError.input(file: "/dev/null", "cannot read: is a character device, not a regular file")) {
            try openByteStream(path: "/dev/null")
        }
    }
}
