import Definition
import Pipeline
import Extract
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// The sample yearbook reproduces every published figure of the contract's
/// `seed-figures.csv`, in the data files and in the chapters.
@Suite(.serialized) struct SampleYearbookTests {
    static var built: (result: BuildResult, out: String) { SampleEdition.built }

    static func read(_ path: String) -> String { SampleEdition.read(path) }

    struct Seed {
        var area: String
        var period: String
        var indicators: [String]
        var published: String
        var tolerance: Exact
        var text: String
    }

    /// The contract's seed figures (a copy is kept in Tests/PipelineTests/Contract;
    /// `contractCopyIsCurrent` checks it against ../shared/spec).
    static let seeds: [Seed] = {
        let table = try! CSVTable.read(path: repositoryRoot + "/Tests/PipelineTests/Contract/seed-figures.csv")
        return table.rows.map { _, cells in
            Seed(area: cells[0], period: cells[1], indicators: cells[2].components(separatedBy: "+"),
                 published: cells[3], tolerance: Exact(decimal: cells[4])!, text: cells[5])
        }
    }()

    @Test func buildsWithoutErrorsAndAccountsForEveryRow() {
        let result = Self.built.result
        #expect(result.exitCode == 0)
        #expect(result.published)
        #expect(result.rosters.allSatisfy { $0.balances })
        // The samples' documented mess: 12 rejected rows in 2019 and 13 in 2018 (samples/README.md).
        #expect(result.rosters.filter { $0.year == 2019 }.reduce(0) { $0 + $1.rejected } == 12)
        #expect(result.rosters.filter { $0.year == 2018 }.reduce(0) { $0 + $1.rejected } == 13)
        let rejects = Self.read("reports/rejects.csv").split(separator: "\n")
        #expect(rejects.count == 1 + 25)
        #expect(rejects.contains("2019/exports/430281_dibao.csv.gz,3736,monthly_amount '-152.00' is negative,\"4302810004418,430281,R,1,-152.00,active\""))
    }

    /// The sample's "to look at" lists only real questions: this year's rosters with a rejected row (each
    /// sample file has one mess on purpose), the two differences between figures and the price subsidies'
    /// jump; not a county's missing BACKSTOP_PERSONS (only the prefecture submits it) nor a move from 1 to
    /// 2 villages (under the jump rule's min_base).
    @Test func toLookAtListsOnlyRealQuestions() throws {
        let result = Self.built.result
        #expect(try BuildSummary(result, definition: result.definition, registry: result.registry).lines == [
            "yearbook 2019: 36 roster files, 132400 rows = 128533 accepted + 3842 inactive + 25 rejected; 25 submissions, 532 observations; 0 errors, 30 warnings",
            "保密 disclosure: nothing withheld; the smallest published count is 76 persons (430203 芦淞区 Lusong · TEKUN_CENTRAL · 2019) · 无保密数据；公布的最小名册数为76人",
            "警告 warnings: 24 名册行被拒 roster rows rejected, 2 不完整 incomplete, 2 核对差异 reconciliation, 1 规则未通过 rule failed, 1 区划变更 succession",
            "须核查 to look at:",
            "  有被拒行的名册 rosters with rejected rows (11):",
            "    2019/exports/430202_dibao.csv.gz: 1 of 3063 rows (0.03%) rejected; leading reason: 1 × missing household_id (first: line 1429, missing household_id); every rejected row is in reports/rejects.csv",
            "    2019/exports/430203_dibao.csv.gz: 2 of 2486 rows (0.08%) rejected; leading reason: 1 × monthly_amount '…' is not a number (first: line 637, monthly_amount '12,34' is not a number); every rejected row is in reports/rejects.csv",
            "    2019/exports/430204_dibao.csv.gz: 1 of 2809 rows (0.04%) rejected; leading reason: 1 × members '…' is not an integer ≥ 1 (first: line 1670, members '2.5' is not an integer ≥ 1); every rejected row is in reports/rejects.csv",
            "    2019/exports/430211_tekun.csv.gz: 1 of 538 rows (0.19%) rejected; leading reason: 1 × annual_amount is empty (first: line 161, annual_amount is empty); every rejected row is in reports/rejects.csv",
            "    2019/exports/430212_dibao.csv.gz: 1 of 3835 rows (0.03%) rejected; leading reason: 1 × members '…' is not an integer ≥ 1 (first: line 3712, members '0' is not an integer ≥ 1); every rejected row is in reports/rejects.csv",
            "    2019/exports/430223_dibao.csv.gz: 1 of 8873 rows (0.01%) rejected; leading reason: 1 × area_code '…' is neither the file's county 430223 nor a predecessor of it (first: line 6052, area_code '430224' is neither the file's county 430223 nor a predecessor of it); every rejected row is in reports/rejects.csv",
            "    2019/exports/430223_tekun.csv.gz: 1 of 3801 rows (0.03%) rejected; leading reason: 1 × annual_amount '…' has more than 2 decimals (first: line 1875, annual_amount '6889.125' has more than 2 decimals); every rejected row is in reports/rejects.csv",
            "    2019/exports/430224_tekun.csv.gz: 1 of 3368 rows (0.03%) rejected; leading reason: 1 × unknown care mode '…' (first: line 867, unknown care mode '居家'); every rejected row is in reports/rejects.csv",
            "    2019/exports/430225_tekun.csv.gz: 1 of 1464 rows (0.07%) rejected; leading reason: 1 × unknown status '…' (first: line 309, unknown status '待审核'); every rejected row is in reports/rejects.csv",
            "    2019/exports/430281_dibao.csv.gz: 1 of 12922 rows (0.01%) rejected; leading reason: 1 × monthly_amount '…' is negative (first: line 3736, monthly_amount '-152.00' is negative); every rejected row is in reports/rejects.csv",
            "    … 1 more in reports/problems.csv",
            "  核对差异 figures that disagree (2):",
            "    430200 株洲市 Zhuzhou · SOCIAL_WORKERS 持证社会工作者 (Licensed social workers) · 2019: sum of its areas 下级合计 666 (sum of 9 areas), submitted 报送 680 (submission); difference 差 14, 666 kept 采用",
            "    430281 醴陵市 Liling · DIBAO_PERSONS_U 城市低保对象 (Urban minimum-allowance recipients) · 2019: roster 名册 7231 (2019/exports/430281_dibao.csv.gz), submitted 报送 7381 (2019/submissions/430281_2019.xml:89); difference 差 150, 7231 kept 采用",
            "  规则未通过 rule failed: year_over_year_jump 与上年相比变化不超过50% (No figure moves more than 50% on last year) (1):",
            "    430200 株洲市 Zhuzhou · PRICE_SUBSIDY 价格临时补贴发放金额 (Temporary price subsidies paid): PRICE_SUBSIDY=12650000; PRICE_SUBSIDY 2018=3520000 (+259.4%); 2019 本年 12650000, 2018 上年 3520000",
        ])
    }

    @Test func observationsHoldEverySeedFigure() throws {
        var values: [String: String] = [:]
        for line in Self.read("data/observations.csv").split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            values["\(cells[0]) \(cells[1]) \(cells[2])"] = cells[3]
        }
        let definition = try PipelineDefinition.load(path: pipelinePath)
        var checked = 0
        for seed in Self.seeds where !seed.area.hasPrefix("rank:") {
            var total = Exact.zero
            for code in seed.indicators {
                let text = try #require(values["\(seed.area) \(code) \(seed.period)"], "no \(code) for \(seed.area)")
                total = total + Exact(decimal: text)!
            }
            let decimals = definition.indicator(seed.indicators[0])!.decimals
            let published = total.rounded(decimals: decimals)
            #expect((published - Exact(decimal: seed.published)!).magnitude <= seed.tolerance,
                    "\(seed.indicators.joined(separator: "+")): \(published) against \(seed.published)")
            checked += 1
        }
        #expect(checked == 32)
    }

    @Test func rankingsHoldTheSeedRank() {
        let rows = Self.read("data/rankings.csv").split(separator: "\n")
        #expect(rows.first == "indicator,parent_code,area_code,period,value,rank,previous_rank,rank_change")
        #expect(rows.contains("DIBAO_STD_R,430000,430200,2019,392,5,12,7"))
    }

    @Test func chaptersStateTheSeedFigures() {
        let assistance = Self.read("chapters/social-assistance.md")
        #expect(assistance.contains("全市现有城乡低保对象10.2万人，城乡低保月人均救助水平分别为374元和223元。"))
        #expect(assistance.contains("城乡特困供养人员1.81万人，基本生活保障分别达7,987元/年和7,314元/年。"))
        #expect(assistance.contains("社会保障兜底脱贫对象4.2万人，发放价格临时补贴1,265万元。"))
        #expect(assistance.contains("排全省第5位，较上年上升7位。"))
        // The English in English scales (10.2万 = 102 thousand) and ordinals.
        #expect(assistance.contains("*Minimum-allowance recipients: 102 thousand persons; allowance per recipient per month: 374 yuan urban, 223 yuan rural.*"))
        #expect(assistance.contains("*Persons lifted from poverty by the social-security backstop: 42 thousand; temporary price subsidies: 12.65 million yuan.*"))
        #expect(assistance.contains("ranked 5th in the province, up 7 places on last year."))
        #expect(assistance.contains("| **5** | **株洲市 Zhuzhou** | **392** | **12** | **↑7** |"))
        let elderly = Self.read("chapters/elderly-care.md")
        #expect(elderly.contains("全市养老床位28,132张，每千名老年人拥有养老床位37.7张，新增养老床位469张。"))
        let child = Self.read("chapters/child-welfare.md")
        #expect(child.contains("已建和在建“儿童之家”1,234个，覆盖率88.9%；确定了乡镇儿童督导员105人、村居儿童主任1,362人。"))
        let organizations = Self.read("chapters/social-organizations.md")
        #expect(organizations.contains("全市社会组织2,681家，其中社会团体1,123家、民办非企业单位1,549家、基金会9家；每万人社会组织数6.7个。"))
        #expect(organizations.contains("3A以上等级社会组织14家，持证社工666人。"))
        let community = Self.read("chapters/community-governance.md")
        #expect(community.contains("完成117个社区提质改造，社区用房平均面积达770平方米；1,379个村(社区)完成换届选举，104个村开展“村民议事堂”试点。"))
        let charity = Self.read("chapters/charity-funeral.md")
        #expect(charity.contains("全市销售福利彩票3.48亿元，筹集福彩公益金1.01亿元，筹集善款物资约699万元。"))
        #expect(charity.contains("*Welfare-lottery sales: 348 million yuan; public-welfare fund raised: 101 million yuan; charity donations: about 6.99 million yuan.*"))
        #expect(charity.contains("现有经营性公墓5个、公益性公墓6个、带火化设施的殡仪馆4个。"))
        // The same sentences in HTML.
        #expect(Self.read("chapters/elderly-care.html").contains("全市养老床位28,132张，每千名老年人拥有养老床位37.7张"))
    }

    /// The committed `output/2019` is what this build makes, byte for byte, so
    /// the figures checked above are the published ones.
    @Test func marksMeanOneThing() {
        // 株洲市 is the only prefecture of the sample with a coverage: it ranks among one, a rank that
        // compares with nothing, and no other key figure of the chapter ranks: no rank columns. Where
        // another key figure ranks among several, a rank among one reads 1/1 and its move =; 长沙市
        // ranks 1 of the province's prefectures on the rural standard, unchanged. "–" is no data only.
        let child = Self.read("chapters/child-welfare.md")
        #expect(child.contains("| 指标 Indicator | 单位 Unit | 2019年 2019 | 2018年 2018 | 增长 (% 或百分点) Change (% or pp) |\n"))
        #expect(child.contains("| 儿童之家覆盖率 Children's-home coverage | % | 88.9 | 70.5 | +18.4 pp |\n"))
        #expect(child.contains("| 儿童之家 Children's homes | 个 units | 1,234 | 979 | +26.0% |\n"))
        let assistance = Self.read("chapters/social-assistance.md")
        #expect(assistance.contains("| 城市低保月人均救助水平 Urban allowance per recipient per month | 元/人·月 yuan per person-month | 374 | 352 | +6.1% | 1/1 | = |"))
        #expect(assistance.contains("| 城市低保对象 Urban minimum-allowance recipients | 人 persons | 35,348 | 36,912 | −4.2% | – | – |"))
        #expect(Self.read("chapters/social-assistance.md").contains("| 1 | 长沙市 Changsha | 470 | 1 | = |"))
        #expect(child.hasSuffix("– 无数据 no data · ᴾ 初步数 provisional · ᴱ 估计数 estimated · ↑/↓ 位次上升/下降 rank up/down · = 位次不变 rank unchanged · new 上年无排名 not ranked last year · 1/1 唯一参评地区 the only area ranked · ʳ 修订数 revised since first published · [指标解释 Definitions](../definitions.md)\n"))
    }

    @Test func committedOutputIsTheFreshBuild() throws {
        let committed = repositoryRoot + "/output/2019"
        let fresh = Self.built.out + "/2019"
        let files = try #require(FileManager.default.subpaths(atPath: fresh)).filter {
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: fresh + "/" + $0, isDirectory: &folder)
            return !folder.boolValue
        }.sorted()
        // 25 pages, data files and reports, 6 tables as data, the SQLite database and the SDMX export
        // (35); the definitions (2), the reports' index (2), 14 charts, the workbook; the disclosure report (2).
        #expect(files.count == 56)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: committed).count
            == FileManager.default.subpathsOfDirectory(atPath: fresh).count)
        for file in files {
            #expect(FileManager.default.contents(atPath: committed + "/" + file) == FileManager.default.contents(atPath: fresh + "/" + file),
                    "output/2019/\(file) differs from a fresh build: run 'swift run yearbook build' and commit")
        }
    }

    @Test func contractCopyIsCurrent() throws {
        let shared = repositoryRoot + "/../shared/spec/seed-figures.csv"
        guard let current = FileManager.default.contents(atPath: shared) else { return }
        #expect(FileManager.default.contents(atPath: repositoryRoot + "/Tests/PipelineTests/Contract/seed-figures.csv") == current)
        for name in ["indicators.csv", "chapters.csv"] {
            #expect(FileManager.default.contents(atPath: repositoryRoot + "/pipelines/" + name)
                == FileManager.default.contents(atPath: repositoryRoot + "/../shared/spec/" + name), "\(name) differs from the contract's")
        }
    }
}
