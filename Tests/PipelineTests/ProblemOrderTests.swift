import Testing
import YearbookCore

/// The reports and the database list problems in report order; the list is sorted once for all of them.
@Suite struct ProblemOrderTests {
    static let found: [Problem] = [
        .warning("rule", "rule b fails", file: "2019/exports/430202_dibao.csv.gz", line: 7),
        .error("unreadable", "truncated", file: "2019/exports/430203_tekun.csv.gz"),
        .warning("rule", "rule a fails", file: "2019/exports/430202_dibao.csv.gz", line: 7),
        .warning("input-tree", "not a file the contract names", file: "2019/notes.txt"),
        .warning("rule", "rule c fails"),
    ]

    @Test func sortedOnceGivesTheReportOrderAndKeepsItAsProblemsAreAdded() {
        var list = ProblemList()
        list.add(contentsOf: Self.found)
        let order = ["truncated", "rule c fails", "rule a fails", "rule b fails", "not a file the contract names"]
        #expect(list.sorted.map(\.message) == order)
        // Until sorted for the reports, the list keeps the order the stages found the problems in.
        #expect(list.items.map(\.message) == Self.found.map(\.message))
        list.sortForReports()
        #expect(list.items.map(\.message) == order)
        #expect(list.sorted.map(\.message) == order)
        // A problem added afterwards takes its place in the order, not the end.
        list.add(.error("unreadable", "empty file", file: "2019/exports/430202_dibao.csv.gz"))
        #expect(list.sorted.map(\.message) == ["empty file"] + order)
        list.add(contentsOf: [])
        #expect(list.sorted.map(\.message) == ["empty file"] + order)
    }
}
