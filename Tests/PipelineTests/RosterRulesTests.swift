import Definition
import Pipeline
import Extract
import Foundation
import Normalize
import Readers
import Testing
import YearbookTestSupport
import YearbookCore

/// Contract section 3, rule by rule, each with the exact outcome.
@Suite struct RosterRulesTests {
    let registry = AreaRegistry([
        Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
        Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county, parent: "430200"),
        Area(code: "430212", nameZH: "渌口区", nameEN: "Lukou", level: .county, parent: "430200", validFrom: 2018),
        Area(code: "430221", nameZH: "株洲县", nameEN: "Zhuzhou County", level: .county, parent: "430200",
             validTo: 2017, successor: "430212"),
        Area(code: "430299", nameZH: "古县", nameEN: "Old", level: .county, parent: "430200",
             validTo: 2010, successor: "430221"),
    ])

    func read(_ roster: String = "dibao", county: String = "430202", members: [[UInt8]]) throws -> RosterFileResult {
        let tree = TestTree()
        let path = tree.writeGzip("\(county)_\(roster).csv.gz", members: members)
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let measures = try definition.measures()[roster]!
        let reader = RosterReader(schema: RosterSchema.named(roster)!, measures: measures, registry: registry)
        return try reader.read(path: path, displayName: "\(county)_\(roster).csv.gz", county: county, year: 2019)
    }

    func readText(_ text: String, roster: String = "dibao", county: String = "430202") throws -> RosterFileResult {
        try read(roster, county: county, members: [Array(text.utf8)])
    }


    @Test func sumsActiveRowsExactly() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,2,"1,234.50",active
            h2,430202,城市,3,100.05,在保
            h3,430202,R,1,50,正常
            h4,430202,rural,4,0.01,1
            h5,430202,U,9,999,suspended
            h6,430202,农村,9,999,停保

            """)
        #expect(result.rowsRead == 6)
        #expect(result.accepted == 4)
        #expect(result.inactive == 2)
        #expect(result.rejected == 0)
        #expect(result.values["DIBAO_HH_U"] == Exact(2))
        #expect(result.values["DIBAO_HH_R"] == Exact(2))
        #expect(result.values["DIBAO_PERSONS_U"] == Exact(5))
        #expect(result.values["DIBAO_PERSONS_R"] == Exact(5))
        #expect(result.values["DIBAO_AMOUNT_U"]?.plainDecimal == "1334.55")
        #expect(result.values["DIBAO_AMOUNT_R"]?.plainDecimal == "50.01")
        #expect(result.balances)
    }

    @Test func rejectsEachBrokenRuleWithItsLine() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,2,10,active
            ,430202,U,2,10,active
            h1,430202,U,2,10,active
            h3,430212,U,2,10,active
            h4,430202,X,2,10,active
            h5,430202,U,2,10,maybe
            h6,430202,U,0,10,active
            h7,430202,U,2.5,10,active
            h8,430202,U,2,,active
            h9,430202,U,2,abc,active
            h10,430202,U,2,-1,active
            h11,430202,U,2,1.234,active
            h12,430202,U,2,"12,34",active
            h13,430202,U,2,10,suspended

            """)
        let reasons = try result.rejects.rows().map { "\($0.line): \($0.reason)" }
        #expect(reasons == [
            "3: missing household_id",
            "4: duplicate household_id 'h1' (first on line 2)",
            "5: area_code '430212' is neither the file's county 430202 nor a predecessor of it",
            "6: unknown category 'X'",
            "7: unknown status 'maybe'",
            "8: members '0' is not an integer ≥ 1",
            "9: members '2.5' is not an integer ≥ 1",
            "10: monthly_amount is empty",
            "11: monthly_amount 'abc' is not a number",
            "12: monthly_amount '-1' is negative",
            "13: monthly_amount '1.234' has more than 2 decimals",
            "14: monthly_amount '12,34' is not a number",
        ])
        #expect(result.rowsRead == 14)
        #expect(result.accepted == 1)
        #expect(result.inactive == 1)
        #expect(result.rejected == 12)
        #expect(try result.rejects.rows()[0].raw == ",430202,U,2,10,active")
        #expect(result.values["DIBAO_HH_U"] == Exact(1))
    }

    @Test func inactiveRowsAreStillValidated() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,2,-5,suspended

            """)
        #expect(result.inactive == 0)
        #expect(try result.rejects.rows().map { $0.reason } == ["monthly_amount '-5' is negative"])
    }

    @Test func predecessorsAreFollowedTransitivelyAndSuccessorIsForeign() throws {
        let lukou = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430212,U,1,10,active
            h2,430221,U,1,10,active
            h3,430299,U,1,10,active

            """, county: "430212")
        #expect(lukou.accepted == 3)
        let zhuzhouCounty = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430221,U,1,10,active
            h2,430212,U,1,10,active

            """, county: "430221")
        #expect(zhuzhouCounty.accepted == 1)
        #expect(try zhuzhouCounty.rejects.rows().map { $0.line } == [3])
    }

    @Test func readsGB18030WithChineseHeaderAndAnyColumnOrder() throws {
        let text = "状态,月保障金额（元）,户编号,备注,保障人数,城乡类别,行政区划代码\r\n"
            + "在保,\"1,000.00\",A１,\"说明,\"\"引号\"\"\n第二行\",２,城镇,430202\r\n"
            + "暂停,5,A2,,1,农村,430202\r\n"
            + "ACTIVE, ３００ ,A3,,　3　,Rural,430202\r\n"
        let result = try read(members: [gb18030(text)])
        #expect(result.encoding == .gb18030)
        #expect(result.columns.map { $0.canonical } == ["status", "monthly_amount", "household_id", "members", "category", "area_code"])
        #expect(result.ignoredColumns == ["备注"])
        #expect(result.rowsRead == 3)
        #expect(result.accepted == 2)
        #expect(result.inactive == 1)
        #expect(result.values["DIBAO_AMOUNT_U"]?.plainDecimal == "1000")
        #expect(result.values["DIBAO_PERSONS_U"] == Exact(2))
        #expect(result.values["DIBAO_AMOUNT_R"]?.plainDecimal == "300")
        #expect(result.values["DIBAO_PERSONS_R"] == Exact(3))
    }

    @Test func lineOfARejectedRowIsWhereItsRecordStarts() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status,note
            h1,430202,U,1,10,active,"two
            lines"
            h2,430202,U,1,x,active,plain

            """)
        #expect(try result.rejects.rows().map { $0.line } == [4])
    }

    @Test func detectsEncodingAsTheContractSays() throws {
        let header = "household_id,area_code,category,members,monthly_amount,status\n"
        let bom = try read(members: [[0xEF, 0xBB, 0xBF] + Array((header + "h1,430202,城市,1,1,在保\n").utf8)])
        #expect(bom.encoding == .utf8BOM)
        #expect(bom.accepted == 1)
        let plain = try readText(header + "h1,430202,城市,1,1,在保\n")
        #expect(plain.encoding == .utf8)
        // Valid UTF-8 up to a late line, then GB18030 bytes: the whole file is GB18030.
        let mixed = try read(members: [Array((header + "h1,430202,U,1,1,active\n").utf8) + gb18030("h2,430202,城市,1,1,在保\n")])
        #expect(mixed.encoding == .gb18030)
        #expect(mixed.accepted == 2)
    }

    @Test func gb18030HeaderThatIsValidUTF8IsReadAsGB18030() throws {
        // 状态 in GB18030 (D7B4 CCAC) is also valid UTF-8 (״̬): the file is
        // GB18030 whether a later byte says so or only the header does.
        let header = "household_id,area_code,category,members,monthly_amount,状态\n"
        let later = try read(members: [gb18030(header + "h1,430202,U,1,10,active\nh2,430202,城市,2,5,在保\n")])
        #expect(later.encoding == .gb18030)
        #expect(later.columns.map { "\($0.canonical) \($0.header)" }.last == "status 状态")
        #expect(later.accepted == 2)
        #expect(later.values["DIBAO_PERSONS_U"] == Exact(3))
        let headerOnly = try read(members: [gb18030(header + "h1,430202,U,1,10,active\n")])
        #expect(headerOnly.encoding == .gb18030)
        #expect(headerOnly.accepted == 1)
    }

    @Test func inspectReadsAFileInItsOwnEncoding() throws {
        let tree = TestTree()
        let path = tree.writeGzip("430202_dibao.csv.gz", members: [gb18030(
            "household_id,area_code,category,members,monthly_amount,状态\nh1,430202,U,1,10,active\nh2,430202,城市,0,5,在保\n")])
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let report = Inspection.inspect(path: path, registry: registry, indicators: definition.indicators)
        #expect(report.encoding == "GB18030")
        #expect(report.columns?.last?.header == "状态")
        #expect(report.rejects == ["line 3: members '0' is not an integer ≥ 1"])
    }

    @Test func aByteThatIsNotUTF8InAnIgnoredColumnMakesTheFileGB18030() throws {
        let text = "household_id,area_code,category,members,monthly_amount,status,note\n"
            + "h1,430202,U,1,10,active,\nh2,430202,U,1,x,active,城市\n"
        let result = try read(members: [gb18030(text)])
        #expect(result.encoding == .gb18030)
        #expect(try result.rejects.rows().map { "\($0.line): \($0.reason): \($0.raw)" }
                == ["3: monthly_amount 'x' is not a number: h2,430202,U,1,x,active,城市"])
    }

    @Test func aUTF8FileWithAWrongHeaderKeepsTheUTF8Complaint() throws {
        #expect(throws: YearbookError.input(file: "430202_dibao.csv.gz", line: 1,
                                     "missing required column status (状态) in the dibao header")) {
            try readText("household_id,area_code,category,members,monthly_amount,状況\nh1,430202,U,1,10,active\n")
        }
    }

    @Test func unclosedQuoteRejectsTheRestOfTheFileAsOneRow() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,1,10,active
            h2,430202,U,1,"10,active
            h3,430202,U,1,10,active
            """)
        #expect(result.accepted == 1)
        #expect(try result.rejects.rows().map { "\($0.line): \($0.reason)" } == ["3: a quoted field is not closed before the end of the file"])
        #expect(result.balances)
    }

    @Test func hugeAmountsSumExactlyAndTooManyDigitsAreRejected() throws {
        let result = try readText("""
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,1,99999999999999999,active
            h2,430202,U,1,99999999999999999,active
            h3,430202,U,1,999999999999999999,active

            """)
        #expect(result.values["DIBAO_AMOUNT_U"]?.plainDecimal == "199999999999999998")
        #expect(try result.rejects.rows().map(\.reason) == ["monthly_amount '999999999999999999' is not a number"])
    }

    @Test func multiMemberGzipIsReadWhole() throws {
        let result = try read(members: [
            Array("household_id,area_code,category,members,monthly_amount,status\nh1,430202,U,1,1,active\n".utf8),
            Array("h2,430202,U,1,1,active\n".utf8),
            Array("h3,430202,U,1,1,active\n".utf8),
        ])
        #expect(result.accepted == 3)
    }

    @Test func missingColumnIsAnErrorNamingIt() throws {
        #expect(throws: YearbookError.input(file: "430202_dibao.csv.gz", line: 1,
                                     "missing required column monthly_amount (月保障金额(元)) in the dibao header")) {
            try readText("household_id,area_code,category,members,status\nh1,430202,U,1,active\n")
        }
    }

    @Test func tekunCountsPersonsAndCareModes() throws {
        let result = try readText("""
            person_id,area_code,category,care_mode,annual_amount,status
            p1,430202,U,集中,8000.50,active
            p2,430202,R,分散,7000,active
            p3,430202,R,Centralized,7000,active
            p4,430202,R,home,7000,active

            """, roster: "tekun")
        #expect(result.values["TEKUN_PERSONS_U"] == Exact(1))
        #expect(result.values["TEKUN_PERSONS_R"] == Exact(2))
        #expect(result.values["TEKUN_CENTRAL"] == Exact(2))
        #expect(result.values["TEKUN_AMOUNT_U"]?.plainDecimal == "8000.5")
        #expect(result.values["TEKUN_AMOUNT_R"]?.plainDecimal == "14000")
        #expect(try result.rejects.rows().map { $0.reason } == ["unknown care mode 'home'"])
    }
}

@Suite struct IdentifierTests {
    /// Numeric and other ids, leading zeros kept apart, thousands of them.
    @Test func duplicatesAreFoundWhateverTheIdLooksLike() throws {
        var text = "household_id,area_code,category,members,monthly_amount,status\n"
        for n in 0..<5000 { text += "\(n),430202,U,1,1,active\nH\(n),430202,U,1,1,active\n" }
        text += "0012,430202,U,1,1,active\n012,430202,U,1,1,active\n12,430202,U,1,1,active\n"
        text += "4999,430202,U,1,1,active\nH4999,430202,U,1,1,active\n0012,430202,U,1,1,active\n"
        let tree = TestTree()
        let path = tree.writeGzip("430202_dibao.csv.gz", text)
        let reader = RosterReader(schema: .dibao, measures: [], registry: AreaRegistry([
            Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county),
        ]))
        let result = try reader.read(path: path, displayName: "f", county: "430202", year: 2019)
        #expect(try result.rejects.rows().map { "\($0.line): \($0.reason)" } == [
            "10004: duplicate household_id '12' (first on line 26)",
            "10005: duplicate household_id '4999' (first on line 10000)",
            "10006: duplicate household_id 'H4999' (first on line 10001)",
            "10007: duplicate household_id '0012' (first on line 10002)",
        ])
        #expect(result.accepted == 10002)
    }
}
