import Pipeline
import Foundation
import Testing
import Render
import YearbookCore
import YearbookTestSupport

/// Text from inputs cannot run as a spreadsheet formula, nor reorder or hide figures, in any output.
@Suite struct SafeTextTests {
    func file(_ tree: TestTree, _ relative: String) throws -> String {
        try String(contentsOfFile: tree.path("out/2019/" + relative), encoding: .utf8)
    }

    @Test func formulaCellsAreInertAndHidingCharactersVisible() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas.replacingOccurrences(of: "430202,荷塘区,", with: "430202,荷塘\u{202E}区\u{200B},"))
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            .init(area: "=1+1", indicator: "BEDS_TOTAL", period: 2019, value: "5"),
        ]))
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", """
            household_id,area_code,category,members,monthly_amount,status
            =1+2,430202,X,2,500,active
            -3,430202,U,0,500,active
            @SUM(A1),430202,U,2,-5,active
            \t+cmd,430202,X,2,500,active
            H5,430202,U,2,500,active

            """)
        // Four of five rows rejected: allowed here, where the rejected rows' text is what is tested.
        let definitions = TestTree()
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"),
                                                        pipeline: definitions.pipelineAllowingAnyRejects()))
        #expect(result.exitCode == 0)
        #expect(try file(tree, "reports/rejects.csv") == """
            file,line,reason,raw
            2019/exports/430202_dibao.csv.gz,2,unknown category 'X',"'=1+2,430202,X,2,500,active"
            2019/exports/430202_dibao.csv.gz,3,members '0' is not an integer ≥ 1,"'-3,430202,U,0,500,active"
            2019/exports/430202_dibao.csv.gz,4,monthly_amount '-5' is negative,"'@SUM(A1),430202,U,2,-5,active"
            2019/exports/430202_dibao.csv.gz,5,unknown category 'X',"'\t+cmd,430202,X,2,500,active"

            """)
        let json = try JSONSerialization.jsonObject(with: Data(try file(tree, "reports/rejects.json").utf8)) as! [String: [[String: Any]]]
        #expect(json["rejects"]!.map { $0["raw"] as! String } == [
            "=1+2,430202,X,2,500,active", "-3,430202,U,0,500,active", "@SUM(A1),430202,U,2,-5,active", "\t+cmd,430202,X,2,500,active",
        ])
        // The unknown area is named inside the file's one warning, where no spreadsheet runs it.
        #expect(try file(tree, "reports/problems.csv").split(separator: "\n").filter { $0.contains("a.xml") } == [
            "warning,unused-submission,2019/submissions/a.xml,,,,,\"its one observation is not used: 1 of areas not in areas.csv: =1+1; "
                + "the build reads the periods 2018 and 2019 and the codes of indicators.csv and areas.csv: move a file of another year or another dataflow out of submissions/, or correct its codes\","
                + "报文唯一的观测值未使用：1个区划不在 areas.csv 中：=1+1；本次汇编只读取2018、2019年的数据及 indicators.csv、areas.csv 中的代码：其他年份或其他数据流的文件请移出 submissions/，代码有误请更正",
        ])
        // Figures in data files are left as they are.
        #expect(try file(tree, "data/observations.csv").split(separator: "\n").filter { $0.hasPrefix("430202,DIBAO_AMOUNT") } == [
            "430202,DIBAO_AMOUNT_R,2019,0,A,dibao", "430202,DIBAO_AMOUNT_U,2019,500,A,dibao",
        ])
        let hetang = "荷塘&lt;U+202E&gt;区&lt;U+200B&gt; Hetang"
        // Households U/R 1/0, recipients 2/0, paid 500.00/0.00, per recipient 250/– (no rural recipient).
        #expect(try file(tree, "chapters/social-assistance.md").contains("| \(hetang) | 1 | 0 | 2 | 0 | 500.00 | 0.00 | 250 | – |"))
        #expect(try file(tree, "chapters/social-assistance.html").contains("<tr><th scope=\"row\">\(hetang)</th><td>1</td>"))
        // And in the chart of the areas, where the name labels a bar.
        #expect(try file(tree, "chapters/social-assistance.html").contains("text-anchor=\"end\">\(hetang)</text>"))
        #expect(try !file(tree, "chapters/social-assistance.html").contains("\u{202E}"))
    }

    @Test func onlyCellsThatSpreadsheetsRunAreChanged() {
        #expect(["=A1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "株洲", "a\u{2066}1\u{2069}"].map(Escape.csvText)
                    == ["'=A1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=b", "株洲", "a<U+2066>1<U+2069>"])
        #expect(Escape.visibleControls("\u{FEFF}１２\u{200D}") == "<U+FEFF>１２<U+200D>")
    }

    /// Every hiding character is shown, at the start, middle or end of a text; its neighbours and
    /// Chinese punctuation (whose UTF-8 begins as U+FEFF's does) are left as they are.
    @Test func exactlyTheHidingCharactersAreShown() {
        let hiding: [UInt32] = [0x200B, 0x200F, 0x202A, 0x202E, 0x2060, 0x2066, 0x2069, 0xFEFF]
        for value in hiding {
            let scalar = String(Unicode.Scalar(value)!), shown = "<U+\(String(value, radix: 16, uppercase: true))>"
            #expect(Escape.visibleControls(scalar) == shown)
            #expect(Escape.visibleControls("规则，" + scalar + "（a）") == "规则，" + shown + "（a）")
            #expect(Escape.visibleControls("ab" + scalar) == "ab" + shown)
        }
        for value: UInt32 in [0x200A, 0x2010, 0x2029, 0x202F, 0x2061, 0x2065, 0x206A, 0xFEFE, 0xFF0C, 0xFF1A, 0xFEBF] {
            let text = "规则：" + String(Unicode.Scalar(value)!) + "，"
            #expect(Escape.visibleControls(text) == text)
        }
        #expect(Escape.csvText("未通过：株洲市（430200）") == "未通过：株洲市（430200）")
    }
}
