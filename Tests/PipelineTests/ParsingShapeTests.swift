import Pipeline
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// Reading time grows with the size of a message, whatever its shape.
@Suite struct ParsingShapeTests {
    /// A build of one observation that carries `attributes` (after `before`, in front of the Obs).
    func build(_ tree: TestTree, attributes: String, before: String = "") throws -> BuildResult {
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        let message = SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            .init(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "5"),
        ]).replacingOccurrences(of: "<Obs TIME_PERIOD=\"2019\"", with: "\(before)<Obs \(attributes) TIME_PERIOD=\"2019\"")
        tree.write("2019/submissions/wide.xml", message)
        return try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath))
    }

    @Test func anObservationWith300000AttributesIsRefusedAtOnceNamingItsLine() throws {
        let start = Date()
        let result = try build(TestTree(), attributes: (0..<300_000).map { "A\($0)=\"1\"" }.joined(separator: " "))
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/submissions/wide.xml:5: error: element <Obs> has more than 256 attributes (the most one element may have)",
        ])
    }

    @Test func attributesUpToTheLimitAreRead() throws {
        let result = try build(TestTree(), attributes: (0..<250).map { "A\($0)=\"x>=y\"" }.joined(separator: "\n"),
                               before: "<!-- a=1 b=2 -->")
        #expect(try result.problems.errors().isEmpty)
        #expect(result.submissions.first?.observations.map { "\($0.writtenArea) \($0.value!)" } == ["430202 5"])
    }
}
