import Foundation
import Testing
import YearbookTestSupport
@testable import YearbookCore

/// The reports and the database list problems in report order. Beyond a few
/// thousand, problems are spooled to disk in sorted runs and merged as they are
/// read: the order must be the same as one stable sort of them all in memory.
@Suite struct ProblemOrderTests {
    static let found: [Problem] = [
        .warning(.rule, "rule b fails", file: "2019/exports/430202_dibao.csv.gz", line: 7),
        .error(.unreadable, "truncated", file: "2019/exports/430203_tekun.csv.gz"),
        .warning(.rule, "rule a fails", file: "2019/exports/430202_dibao.csv.gz", line: 7),
        .warning(.inputTree, "not a file the contract names", file: "2019/notes.txt"),
        .warning(.rule, "rule c fails"),
    ]

    @Test(arguments: [4096, 2, 1])
    func readInReportOrderHeldOrSpooled(holdLimit: Int) throws {
        var list = ProblemList(holdLimit: holdLimit)
        list.add(contentsOf: Self.found)
        let order = ["truncated", "rule c fails", "rule a fails", "rule b fails", "not a file the contract names"]
        #expect(try list.all().map(\.message) == order)
        // Sorted once for the readings that follow; a problem added afterwards takes its place in the order, not the end.
        list.sortForReports()
        #expect(try list.all().map(\.message) == order)
        list.add(.error(.unreadable, "empty file", file: "2019/exports/430202_dibao.csv.gz"))
        #expect(try list.all().map(\.message) == ["empty file"] + order)
        list.add(contentsOf: [Problem]())
        #expect(try list.all().map(\.message) == ["empty file"] + order)
        #expect((list.count, list.errorCount, list.warningCount) == (6, 2, 4))
        #expect(list.warningKinds == [.rule: 3, .inputTree: 1])
        let notRead = try list.first(1) { $0.kind == .inputTree }
        #expect(notRead.problems.map(\.file) == ["2019/notes.txt"] && notRead.count == 1)
    }

    /// Problems read back in the order a reading gave them (the target cache's findings) are taken as they
    /// come, held or spooled, and a problem added after them still takes its place in the order.
    @Test(arguments: [4096, 2, 1])
    func problemsAddedInReportOrderReadBackAsAdded(holdLimit: Int) throws {
        var sorted = ProblemList()
        sorted.add(contentsOf: Self.found)
        var list = ProblemList(holdLimit: holdLimit)
        try sorted.forEach { list.addInReportOrder($0) }
        let order = ["truncated", "rule c fails", "rule a fails", "rule b fails", "not a file the contract names"]
        #expect(try list.all().map(\.message) == order)
        #expect((list.count, list.errorCount, list.warningCount) == (5, 1, 4))
        list.add(.error(.unreadable, "empty file", file: "2019/exports/430202_dibao.csv.gz"))
        #expect(try list.all().map(\.message) == ["empty file"] + order)
    }

    /// 20,000 problems with many ties, held 7 at a time: 2,857 runs, joined sixteen at a time over three levels.
    @Test func aSpooledListReadsBackAsOneStableSortOfEveryField() throws {
        var generator = FastPathTests.Generator(state: 2019)
        var made: [Problem] = []
        var list = ProblemList(holdLimit: 7)
        for index in 0..<20_000 {
            let file = generator.next() % 5 == 0 ? nil : "2019/exports/4302\(generator.next() % 30)_dibao.csv.gz"
            let problem = Problem(generator.next() % 9 == 0 ? .error : .warning, [Problem.Kind.rule, .conflict, .succession][Int(generator.next() % 3)],
                                  "message \(generator.next() % 40)", file: file, line: file == nil ? nil : Int(generator.next() % 50),
                                  area: "4302\(generator.next() % 30)", indicator: "BEDS_TOTAL", period: 2019,
                                  messageZH: "第 \(index) 条")
            made.append(problem)
            list.add(problem)
        }
        // The Chinese message numbers each problem: equal problems by report order stay in the order made.
        let read = try list.all()
        #expect(read == made.sorted(by: Problem.reportOrder))
        #expect(list.count == 20_000)
        #expect(list.errorCount == made.filter { $0.severity == .error }.count)
        #expect(list.warningKinds[.conflict] == made.filter { $0.severity == .warning && $0.kind == .conflict }.count)
        // A copy reads the same, and adding to one leaves the other as it was.
        var copy = list
        copy.add(.error(.unreadable, "added to the copy"))
        #expect(try list.all() == read)
        #expect(try copy.all().filter { $0.message == "added to the copy" }.count == 1 && copy.count == 20_001)
    }

    /// The findings take validation's list whole, its files as they are: the order is still one stable sort.
    @Test func aListJoinedToAnotherReadsAsOneSortOfBoth() throws {
        let first = (0..<23).map { Problem.warning(.rule, "cell \($0 % 5)", file: "b.csv.gz", messageZH: "first \($0)") }
        let second = (0..<31).map { Problem.warning(.rule, "cell \($0 % 4)", file: $0 % 2 == 0 ? "a.csv.gz" : "b.csv.gz",
                                                    messageZH: "second \($0)") }
            + [.error(.unreadable, "truncated", file: "c.csv.gz")]
        for (holdFirst, holdSecond) in [(4096, 4096), (4, 5), (100, 3), (3, 100)] {
            var list = ProblemList(holdLimit: holdFirst), other = ProblemList(holdLimit: holdSecond)
            list.add(contentsOf: first)
            other.add(contentsOf: second)
            try list.add(contentsOf: other)
            #expect(try list.all() == (first + second).sorted(by: Problem.reportOrder))
            #expect((list.count, list.errorCount, list.warningCount, list.warningKinds) == (55, 1, 54, [.rule: 54]))
            // The list joined is as it was.
            #expect(try other.all() == second.sorted(by: Problem.reportOrder))
        }
    }

    @Test func withoutAnOrderRecordsReadBackInTheOrderAdded() throws {
        var records = SpooledRecords<Problem>(holdLimit: 3)
        let messages = (0..<100).map { "cell \($0)" }
        for message in messages { records.append(.warning(.rule, message)) }
        #expect(try records.all().map(\.message) == messages)
        #expect(try records.first(2).map(\.message) == ["cell 0", "cell 1"])
        #expect(records.count == 100)
    }

    /// Joining a list that holds all its problems writes nothing: a small build makes no spool file at all.
    @Test func smallListsJoinedSpoolNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yearbook-spool-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var list = ProblemList(holdLimit: 100, folder: SystemPath(folder.path))
        var other = ProblemList(holdLimit: 100, folder: SystemPath(folder.path))
        list.add(contentsOf: Self.found)
        other.add(.error(.unreadable, "empty file", file: "2019/exports/430202_dibao.csv.gz"))
        try list.add(contentsOf: other)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        #expect(try list.all().map(\.message).first == "empty file" && list.count == 6)
    }

    @Test func spoolFilesAreRemovedWithTheList() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yearbook-spool-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func files() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: folder.path).count }
        do {
            var list = ProblemList(holdLimit: 10, folder: SystemPath(folder.path))
            for index in 0..<95 { list.add(.warning(.rule, "cell \(index)")) }
            // 9 runs of 10 on disk; the last 5 are held.
            #expect(try files() == 9)
            #expect(try list.all().map(\.message) == (0..<95).map { "cell \($0)" }.sorted())
        }
        #expect(try files() == 0)
    }

    /// Where no file can be made, the problems stay held: memory grows, none is lost.
    @Test func aSpoolThatCannotWriteKeepsEveryProblem() throws {
        var list = ProblemList(holdLimit: 2, folder: SystemPath("/nonexistent-yearbook-folder"))
        for index in 0..<9 { list.add(.warning(.rule, "cell \(index)")) }
        #expect(try list.all().map(\.message) == (0..<9).map { "cell \($0)" })
        #expect(list.spoolFailure?.contains("/nonexistent-yearbook-folder") == true)
    }

    /// A killed build cannot remove its work folder: the next build that needs one removes every folder
    /// whose lock is free, and keeps one another build holds locked.
    @Test func workFoldersOfEndedBuildsAreRemovedAndThoseOfRunningBuildsKept() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("yearbook-work-test-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: base) }
        func make(_ name: String, mode: Int = 0o700) throws {
            try manager.createDirectory(at: base.appendingPathComponent(name), withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: mode])
            try Data().write(to: base.appendingPathComponent(name).appendingPathComponent("lock"))
            try Data("runs".utf8).write(to: base.appendingPathComponent(name).appendingPathComponent("spool-1"))
        }
        try make("yearbook-work-4001-17")
        try make("yearbook-work-4002-18")
        try make("yearbook-cache-notes")
        // A folder whose build was killed while removing it: its lock, removed last, is gone already.
        try manager.createDirectory(at: base.appendingPathComponent("yearbook-work-4005-21"), withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        // Not what this user's builds make: open to others, or a link to a folder elsewhere. Kept, and not followed.
        try make("yearbook-work-4003-19", mode: 0o755)
        try make("elsewhere")
        try manager.createSymbolicLink(at: base.appendingPathComponent("yearbook-work-4004-20"),
                                       withDestinationURL: base.appendingPathComponent("elsewhere"))
        // A running build holds its lock (flock: another open of the file cannot take it, in this process too).
        let running = open(base.appendingPathComponent("yearbook-work-4002-18/lock").path, O_RDWR)
        defer { close(running) }
        #expect(flock(running, LOCK_EX | LOCK_NB) == 0)
        WorkFolder.removeEnded(in: SystemPath(base.path))
        #expect(try manager.contentsOfDirectory(atPath: base.path).sorted()
                == ["elsewhere", "yearbook-cache-notes", "yearbook-work-4002-18", "yearbook-work-4003-19", "yearbook-work-4004-20"])
        #expect(try manager.contentsOfDirectory(atPath: base.appendingPathComponent("elsewhere").path).sorted() == ["lock", "spool-1"])
        #expect(try manager.contentsOfDirectory(atPath: base.appendingPathComponent("yearbook-work-4002-18").path).sorted()
                == ["lock", "spool-1"])
    }
}
