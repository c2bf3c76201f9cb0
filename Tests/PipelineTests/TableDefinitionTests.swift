@testable import Pipeline
import Definition
import EditionFiles
import Extract
import Foundation
import Normalize
@testable import Render
@testable import Workbook
import Testing
import YearbookCore
import YearbookTestSupport

/// The reader keys of a chapter's content (topic tables, key figures, charts, trends) are
/// checked with the rest of the definition: every mistake at its line and column.
@Suite struct ReaderDefinitionTests {
    let check = DefinitionCheckTests()

    func problems(_ content: String) -> [String] {
        check.problems(check.replacing("    rankings: [PC_U]\n", "    rankings: [PC_U]\n" + content))
    }

    @Test func topicTablesChartsAndTrendsNameKnownIndicators() {
        #expect(problems("""
                tables:
                  - id: recipients
                    title: {zh: 低保对象, en: Recipients}
                    groups:
                      - columns: [{indicator: PERSONS_U}, {indicator: PERSONS_RR}]
                charts: [PC_V]
                trends: [BED]
                key: [AMOUNT_UU]

            """) == [
            "yearbook.yml:21:59: unknown indicator 'PERSONS_RR'; did you mean 'PERSONS_R'?",
            "yearbook.yml:22:14: unknown indicator 'PC_V'; did you mean 'PC_U'?",
            "yearbook.yml:23:14: unknown indicator 'BED'; did you mean 'BEDS'?",
            "yearbook.yml:24:11: unknown indicator 'AMOUNT_UU'; did you mean 'AMOUNT_U'?",
        ])
    }

    @Test func aTopicTableHasOneIDAndColumnsInEveryGroup() throws {
        #expect(problems("""
                tables:
                  - {id: persons, title: {zh: 对象, en: Recipients}, groups: [{columns: [{indicator: PERSONS_U}]}]}
                  - {id: persons, title: {zh: 对象, en: Recipients}, groups: [{title: {zh: 空, en: Empty}, columns: []}]}
                  - {id: empty, title: {zh: 空, en: Empty}, groups: []}

            """) == [
            "yearbook.yml:19:14: table persons is defined twice",
            "yearbook.yml:19:65: table persons has a column group without columns",
            "yearbook.yml:20:9: table empty has no column group",
        ])
        // A valid two-level table is read as written.
        let tree = TestTree()
        tree.write("indicators.csv", DefinitionCheckTests.indicators)
        tree.write("chapters.csv", DefinitionCheckTests.chapters)
        let reading = PipelineDefinition.read(path: tree.write("yearbook.yml", check.replacing("    rankings: [PC_U]\n", """
                        rankings: [PC_U]
                        tables:
                          - id: persons
                            title: {zh: 低保对象, en: Recipients}
                            groups:
                              - title: {zh: 城乡, en: Urban and rural}
                                columns: [{indicator: PERSONS_U, label: {zh: 城市, en: Urban}}, {indicator: PERSONS_R}]

                    """)))
        let table = try #require(reading.definition?.presentation.layout(of: "assistance").tables?.first)
        #expect(table.groups.first?.columns.map(\.indicator) == ["PERSONS_U", "PERSONS_R"])
        #expect(table.groups.first?.columns.first?.label == Bilingual(zh: "城市", en: "Urban"))
    }
}
