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

/// Earlier editions are read typed; one that does not read is a warning, never a crash.
@Suite struct EditionHistoryTests {
    @Test func aHistoryFolderThatIsNotThereIsAUsageError() {
        #expect(throws: YearbookError.usage("no such folder of earlier editions (--history): /no/such/editions")) {
            try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: TestTree().root,
                                               pipeline: pipelinePath, history: "/no/such/editions"))
        }
    }

    @Test func readsTheSubjectsRowsAndComputesDerivedFiguresAgain() throws {
        let folder = TestTree()
        folder.write("2018/data/observations.csv", """
            area_code,indicator,period,value,status,source
            430200,BEDS_PER_1000,2018,37.0000,A,derived
            430200,BEDS_TOTAL,2018,26742,A,aggregated
            430200,POP_60PLUS,2018,723660,P,submission
            430202,BEDS_TOTAL,2018,10,A,submission

            """)
        folder.write("2017/data/observations.csv", "area_code,indicator,period,value,status,source\n430200,BEDS_TOTAL,2017,ten,A,aggregated\n")
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let loaded = EditionHistory.load(folder: folder.root, year: 2019, subject: "430200", indicators: definition.indicators)
        #expect(loaded.editions.map(\.year) == [2018])
        let observations = try #require(loaded.editions.first?.observations)
        #expect(observations.count == 3)
        // 26742 / 723660 × 1000, exactly (the file's 4 decimals are not used).
        #expect(observations[ObservationKey(area: "430200", indicator: "BEDS_PER_1000", period: 2018)]?.value
            == Exact(numerator: 26742 * 1000, denominator: 723660))
        #expect(observations[ObservationKey(area: "430200", indicator: "POP_60PLUS", period: 2018)]?.status == .P)
        #expect(loaded.read.map(\.file) == ["2018/data/observations.csv"])
        #expect(loaded.problems.map(\.message) == ["earlier edition not read: value 'ten' is not a decimal"])
        #expect(loaded.problems.map(\.messageZH) == ["未读取往年年鉴（其历年数据不列入本版）：value 'ten' is not a decimal"])
        #expect(loaded.problems.first?.line == 2)
    }
}
