import Pipeline
import Foundation
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// areas.csv is checked as a hierarchy before anything else is read: every problem is an error at its line.
@Suite struct AreaHierarchyTests {
    @Test func cyclesSelfParentsWrongLevelsAndBadSuccessorsAreErrorsAtTheirLines() throws {
        let tree = TestTree()
        tree.write("areas.csv", """
            code,name_zh,name_en,level,parent,valid_from,valid_to,successor
            430000,湖南省,Hunan,province,,,,
            430200,株洲市,Zhuzhou,prefecture,430000,,,
            430202,荷塘区,Hetang,county,430200,,,
            430203,芦淞区,Lusong,county,430202,,,
            430204,石峰区,Shifeng,county,430204,,,
            430300,湘潭市,Xiangtan,prefecture,430400,,,
            430400,衡阳市,Hengyang,prefecture,430300,,,
            430221,株洲县,Zhuzhou County,county,430200,,2017,430212
            430211,天元区,Tianyuan,county,430200,,2017,430223
            430223,攸县,You,county,430200,,2017,430211
            430281,醴陵市,Liling,county,430200,,2017,430281
            430500,邵阳市,Shaoyang,prefecture,430000,,2017,430202

            """)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\nH1,430202,U,2,500,active\n")
        tree.write("out/2019/index.md", "previous edition\n")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath))
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().sorted(by: Problem.reportOrder).map(\.description) == [
            "areas.csv:5: error: parent 430202 of county 430203 is a county; its parent must be a prefecture",
            "areas.csv:6: error: area 430204 is its own parent",
            "areas.csv:7: error: parent 430400 of prefecture 430300 is a prefecture; its parent must be a province",
            "areas.csv:7: error: the parents of 430300 loop: 430300 → 430400 → 430300",
            "areas.csv:8: error: parent 430300 of prefecture 430400 is a prefecture; its parent must be a province",
            "areas.csv:8: error: the parents of 430400 loop: 430400 → 430300 → 430400",
            "areas.csv:9: error: successor 430212 of 430221 is not in the registry",
            "areas.csv:10: error: the successors of 430211 loop: 430211 → 430223 → 430211",
            "areas.csv:11: error: the successors of 430223 loop: 430223 → 430211 → 430223",
            "areas.csv:12: error: area 430281 is its own successor",
            "areas.csv:13: error: successor 430202 of prefecture 430500 is a county; it must be a prefecture",
        ])
        #expect(result.rosters.isEmpty)
        #expect(FileManager.default.contents(atPath: tree.path("out/2019/index.md")) == Data("previous edition\n".utf8))
    }

    @Test func theSampleRegistryIsAHierarchy() throws {
        let loaded = try Dictionaries.loadAreaHierarchy(path: repositoryRoot + "/samples/input/areas.csv", displayName: "areas.csv")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.registry.codes.count > 10)
    }

    @Test func areaNamesASpreadsheetWouldRunAreErrorsAtTheirLines() throws {
        let tree = TestTree()
        tree.write("areas.csv", """
            code,name_zh,name_en,level,parent,valid_from,valid_to,successor
            430000,湖南省,Hunan,province,,,,
            430200,=1+1,Zhuzhou,prefecture,430000,,,
            430202,荷塘区,+x,county,430200,,,
            430203,-x,Lusong,county,430200,,,
            430204,石峰区,@x,county,430200,,,
            430211,\t天元区,Tianyuan,county,430200,,,
            430212,渌口区,Lukou-Zhuzhou,county,430200,,,
            430223,攸县, =You,county,430200,,,

            """)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\nH1,430202,U,2,500,active\n")
        tree.write("out/2019/index.md", "previous edition\n")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipelinePath))
        #expect(result.exitCode == 1)
        #expect(result.rosters.isEmpty)
        let errors = try result.problems.errors().sorted(by: Problem.reportOrder)
        #expect(errors.map(\.description) == [
            "areas.csv:3: error: name_zh \"=1+1\" of area 430200 begins with \"=\", which a spreadsheet runs as a formula: write the name without it",
            "areas.csv:4: error: name_en \"+x\" of area 430202 begins with \"+\", which a spreadsheet runs as a formula: write the name without it",
            "areas.csv:5: error: name_zh \"-x\" of area 430203 begins with \"-\", which a spreadsheet runs as a formula: write the name without it",
            "areas.csv:6: error: name_en \"@x\" of area 430204 begins with \"@\", which a spreadsheet runs as a formula: write the name without it",
            "areas.csv:7: error: name_zh \"\\t天元区\" of area 430211 begins with \"\\t\", which a spreadsheet runs as a formula: write the name without it",
            "areas.csv:9: error: name_en \" =You\" of area 430223 begins with \"=\", which a spreadsheet runs as a formula: write the name without it",
        ])
        #expect(errors[0].messageZH == "地区 430200 的 name_zh \"=1+1\" 以 \"=\" 开头，电子表格会将其当作公式执行：请去掉该字符")
        #expect(FileManager.default.contents(atPath: tree.path("out/2019/index.md")) == Data("previous edition\n".utf8))
    }
}
