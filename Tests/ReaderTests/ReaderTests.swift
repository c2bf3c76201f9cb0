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

/// The sample edition as its readers use it: topic tables, history, charts,
/// definitions, the workbook read back by another reader, and every page
/// laid out by a browser at a narrow screen's and an A4 page's width.
@Suite(.serialized) struct ReaderTests {
    static var built: (result: BuildResult, out: String) { SampleEdition.built }

    static func read(_ path: String) -> String { SampleEdition.read(path) }

    /// Under CI a missing tool fails the test; elsewhere the test says so and stops.
    static func tool(_ name: String) -> String? {
        if let path = installedTool(name) { return path }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(name) is not installed: .ci/run installs it")
        }
        return nil
    }

    @Test func topicTablesShowSeveralIndicatorsUnderATwoLevelHeader() {
        let html = Self.read("chapters/social-assistance.html")
        #expect(html.contains("<th scope=\"colgroup\" colspan=\"2\" class=\"group\">低保户数 <span class=\"en\" lang=\"en\">Households</span></th>"))
        #expect(html.contains("<th scope=\"col\">城市 (户) <span class=\"en\" lang=\"en\">Urban (households)</span></th>"))
        // One chapter, a few tables: key figures, history, three topic tables, two rankings.
        #expect(html.components(separatedBy: "<table ").count - 1 == 7)
        let markdown = Self.read("chapters/social-assistance.md")
        #expect(markdown.contains("| **株洲市 Zhuzhou** | **16,303** | **28,639** | **35,348** | **66,591** | **1,320.67** | **1,486.38** | **374** | **223** |"))
    }

    @Test func historyShowsEarlierEditionsWithRevisionsMarked() throws {
        let elderly = Self.read("chapters/elderly-care.md")
        // 2018's beds as the 2019 edition revised them (the 2018 edition published 26,656).
        #expect(elderly.contains("| 养老床位数 Elderly-care beds | 张 beds | 25,204 | 26,742ʳ | 28,132 |"))
        #expect(elderly.contains("| 每千名老年人拥有养老床位 Beds per 1000 elderly | 张/千名老年人 beds per 1000 elderly | 36.0 | 37.0ʳ | 37.7 |"))
        let manifest = try Manifest.load(ReaderTests.built.out + "/2019")
        #expect(manifest.history?.map(\.file) == ["2017/data/observations.csv", "2018/data/observations.csv"])
        #expect(manifest.history?.first?.sha256 == SHA256.hex(Array(FileManager.default.contents(atPath: repositoryRoot + "/output/2017/data/observations.csv")!)))
    }

    @Test func everyChapterHasTitledChartsWithTheTablesFigures() throws {
        let definition = try PipelineDefinition.load(path: pipelinePath)
        for chapter in definition.chapters {
            let html = Self.read("chapters/\(chapter.id).html")
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(chapter.id) has no chart")
            #expect(html.components(separatedBy: "<svg ").count == html.components(separatedBy: "<title id=\"title-").count)
            #expect(!html.contains("<script"))
        }
        let ranking = Self.read("chapters/charts/social-assistance-rank-DIBAO_STD_R.svg")
        #expect(ranking.contains("<title id=\"title-rank-DIBAO_STD_R\">农村低保标准：湖南省排名 Rural minimum-allowance standard: ranking in Hunan</title>"))
        #expect(ranking.contains(">5. 株洲市 Zhuzhou</text>"))
        // Bars on a 344-unit scale from 200: Changsha's 470 the longest, Zhuzhou's 392 ends at 392/470 of it.
        #expect(ranking.contains("<rect x=\"200\" y=\"51\" width=\"344.0\""))
        #expect(ranking.contains("<text x=\"490.9\" y=\"151\" font-weight=\"bold\">392</text>"))
        let trend = Self.read("chapters/charts/elderly-care-trend-BEDS_TOTAL.svg")
        #expect(trend.contains(">26,742r</text>") && trend.contains(">25,204</text>") && trend.contains(">28,132</text>"))
        #expect(Self.read("chapters/elderly-care.md").contains("![株洲市养老床位数 (2017—2019年) · Elderly-care beds, Zhuzhou, 2017–2019](charts/elderly-care-trend-BEDS_TOTAL.svg)"))
        // What the data show, in words, and (in the page) a link to the table that holds them.
        #expect(trend.contains("role=\"img\" aria-labelledby=\"title-trend-BEDS_TOTAL\" aria-describedby=\"desc-trend-BEDS_TOTAL\""))
        #expect(trend.contains("<desc id=\"desc-trend-BEDS_TOTAL\">折线图：株洲市养老床位数2017—2019年由25,204张增至28,132张。"
            + "Line chart: elderly-care beds in Zhuzhou rose from 25,204 in 2017 to 28,132 in 2019.</desc>"))
        #expect(Self.read("chapters/elderly-care.html").contains("<figcaption><a href=\"#history\">图中数据见表：株洲市历年主要指标 "
            + "<span lang=\"en\">The figures in a table: Key figures of Zhuzhou over the years</span></a></figcaption>"))
        #expect(ranking.contains("<desc id=\"desc-rank-DIBAO_STD_R\">条形图：湖南省各地区农村低保标准排名，14个地区，最高为长沙市470元/人·月，"
            + "最低为湘西土家族苗族自治州355元/人·月；株洲市排第5位。Bar chart: the areas of Hunan ranked on rural minimum-allowance standard, "
            + "14 areas; highest Changsha, 470 yuan per person-month; lowest Xiangxi, 355 yuan per person-month; Zhuzhou 5th.</desc>"))
        // The trend's value axis: steps of 1,000 from 25,000 to 29,000, labelled, its unit above it.
        #expect(trend.contains(">25,000</text>") && trend.contains(">29,000</text>") && !trend.contains(">0</text>"))
        // A long name wraps onto a second line; no label is cut.
        #expect(ranking.contains(">14. 湘西土家族苗族自治州</text>") && !ranking.contains("…"))
    }

    /// axe-core (WCAG 2.0, 2.1, 2.2 A and AA, and best practice) over every page of a freshly built
    /// sample edition, at a desktop's width and a phone's: nothing reported.
    @Test func axeReportsNothingOnAnyPageAtADesktopAndAPhoneWidth() throws {
        guard let python = Self.tool("python3"), Self.tool("chromium") != nil, Self.tool("chromedriver") != nil else { return }
        let ready = try runTool(python, ["-c", "import selenium, axe_playwright_python"]).status == 0
        guard ready || ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        let unseen = try Self.unseenEdition()
        let run = try withExtendedLifetime(unseen) {
            try runTool(python, [repositoryRoot + "/Tests/ReaderTests/Readers/axe_pages.py",
                                 ReaderTests.built.out + "/2019", unseen.path("2019")])
        }
        // index, definitions and six chapters, each at 1280 and 360 px, of the sample and of the unseen tree.
        #expect(run.output == "OK 32 PAGES\n", "\(run.output)")
        #expect(run.status == 0)
    }

    @Test func definitionsPageNamesEveryIndicator() throws {
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let page = Self.read("definitions.html")
        for indicator in definition.indicators {
            #expect(page.contains("\(Escape.html(indicator.nameZH)) (\(indicator.code))"), "\(indicator.code) is not explained")
        }
        #expect(page.contains("来源：计算。计算：城市低保月发放金额 ÷ 城市低保对象。"))
        #expect(page.contains("Formula: sum of the monthly allowance of active urban rows."))
        #expect(page.contains("so 82.0 against 84.5 can read −2.4 pp"))
        // What each unit admits of a submitted value, from the one table of units.
        #expect(page.contains("<dt>人、户、张、个 <span class=\"en\" lang=\"en\">persons, households, beds, units</span></dt>\n"
            + "<dd>数量：不小于 0 的整数，至多 12 位。 <span class=\"en\" lang=\"en\">A count: a whole number ≥ 0 of at most 12 digits.</span></dd>\n"
            + "<dt>元 <span class=\"en\" lang=\"en\">yuan</span></dt>\n"
            + "<dd>金额：至多 15 位整数、2 位小数。 <span class=\"en\" lang=\"en\">An amount: at most 15 integer digits and 2 decimals.</span></dd>"))
        #expect(page.contains("<dd>数值：至多 15 位整数、6 位小数。 <span class=\"en\" lang=\"en\">A figure: at most 15 integer digits and 6 decimals.</span></dd>"))
        #expect(Self.read("index.html").contains("<a href=\"definitions.html\">") && Self.read("index.html").contains("<a href=\"yearbook.xlsx\">"))
    }

    @Test func theWorkbookReadsBackInOpenpyxlAsTheDataFiles() throws {
        guard let python = Self.tool("python3") else { return }
        let hasOpenpyxl = try runTool(python, ["-c", "import openpyxl"]).status == 0
        guard hasOpenpyxl || ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        let run = try runTool(python, [repositoryRoot + "/Tests/ReaderTests/Readers/read_workbook.py",
                                       ReaderTests.built.out + "/2019", repositoryRoot + "/pipelines",
                                       repositoryRoot + "/Tests/PipelineTests/Contract/seed-figures.csv"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output == "OK 941 observations, 6 chapters, 30 seed figures, 3 cells marked P, "
            + "40 tables, 14 charts described, 39 changes in % and 1 in pp\n")
    }

    /// A chart's alternative text is made from its figures: the highest and lowest bar and the subject's place
    /// (the sample's trend chart is checked on the page, where the history of earlier editions draws it).
    @Test func everyChartIsDescribedFromItsFigures() throws {
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let result = ReaderTests.built.result
        let registry = try Dictionaries.loadAreas(path: repositoryRoot + "/samples/input/areas.csv", displayName: "areas.csv")
        let edition = Edition(year: 2019, title: "株洲市民政统计年鉴", titleEN: "Zhuzhou Civil Affairs Statistical Yearbook", subject: "430200",
                              registry: registry, indicators: definition.indicators, chapters: definition.chapters,
                              observations: result.observations, rankings: result.rankings)
        let charts = edition.chapters.flatMap { edition.document(for: $0, presentation: definition.presentation).charts }
        let ranking = try #require(charts.first { $0.id == "rank-DIBAO_STD_R" })
        // The workbook's alternative text is the pages' `<desc>`: one summary, made where the chart is.
        #expect(ranking.summary == Bilingual(
            zh: "条形图：湖南省各地区农村低保标准排名，14个地区，最高为长沙市470元/人·月，最低为湘西土家族苗族自治州355元/人·月；株洲市排第5位",
            en: "Bar chart: the areas of Hunan ranked on rural minimum-allowance standard, 14 areas; highest Changsha, "
                + "470 yuan per person-month; lowest Xiangxi, 355 yuan per person-month; Zhuzhou 5th"))
        #expect(WorkbookWriter.publisher(edition) == Bilingual(zh: "株洲市民政局", en: "Zhuzhou Civil Affairs Bureau"))
    }

    /// The language is written into a closed workbook; a file that is not libxlsxwriter's zip is
    /// refused with the cause, and nothing is written into it.
    @Test func theLanguageIsWrittenOnlyIntoAWorkbook() throws {
        let path = NSTemporaryDirectory() + "yearbook-not-a-workbook-" + UUID().uuidString + ".xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = Data("PK\u{3}\u{4} not a zip at all".utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect {
            try DocumentLanguage.write("zh-CN", intoWorkbookAt: path)
        } throws: { error in
            "\(error)".contains("cannot give the workbook its language (no end of the zip's directory)")
        }
        #expect(FileManager.default.contents(atPath: path) == bytes)
        // A workbook that has its language already is left as it is.
        let workbook = ReaderTests.built.out + "/2019/yearbook.xlsx"
        let copy = NSTemporaryDirectory() + "yearbook-workbook-" + UUID().uuidString + ".xlsx"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: workbook, toPath: copy)
        try DocumentLanguage.write("zh-CN", intoWorkbookAt: copy)
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: workbook))
    }

    /// Each part of the workbook is deflated at level 1 (CWorkbookZip), which zip records as "super fast"
    /// (general-purpose flag bits 1 and 2 both set); zlib's default level would set neither.
    @Test func theWorkbookIsDeflatedAtTheFastLevel() throws {
        #if os(Linux)
        let bytes = Array(FileManager.default.contents(atPath: ReaderTests.built.out + "/2019/yearbook.xlsx") ?? Data())
        var parts: [(flags: UInt16, method: UInt16)] = []
        var offset = 0
        while offset + 30 <= bytes.count, bytes[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
            func word(_ at: Int) -> Int { Int(bytes[offset + at]) | Int(bytes[offset + at + 1]) << 8 }
            func long(_ at: Int) -> Int { word(at) | word(at + 2) << 16 }
            parts.append((UInt16(word(6)), UInt16(word(8))))
            // Local header, name, extra field, data (the sizes are in the local header: no data descriptor).
            offset += 30 + word(26) + word(28) + long(18)
        }
        #expect(parts.count == 96)  // as `zipinfo -1` lists them: 11 sheets, 40 tables, 14 charts, their drawings and relations
        #expect(parts.allSatisfy { $0.method == 8 && $0.flags & 0b110 == 0b110 }, "\(parts)")
        #endif
    }

    @Test func theWorkbookIsByteIdenticalAcrossBuilds() throws {
        let result = ReaderTests.built.result
        let definition = try PipelineDefinition.load(path: pipelinePath)
        let registry = try Dictionaries.loadAreas(path: repositoryRoot + "/samples/input/areas.csv", displayName: "areas.csv")
        let edition = Edition(year: 2019, title: "株洲市民政统计年鉴", titleEN: "Zhuzhou", subject: "430200", registry: registry,
                              indicators: definition.indicators, chapters: definition.chapters,
                              observations: result.observations, rankings: result.rankings)
        func written() throws -> [UInt8] {
            let path = NSTemporaryDirectory() + "yearbook-workbook-" + UUID().uuidString + ".xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try WorkbookWriter.write(path: path, edition, presentation: definition.presentation)
            return Array(FileManager.default.contents(atPath: path) ?? Data())
        }
        let once = try written(), twice = try written()
        #expect(once.starts(with: Array("PK".utf8)) && once.count > 50_000)
        #expect(once == twice)
        // The observations' rows spliced in (the default) or all given to libxlsxwriter: the same file.
        let path = NSTemporaryDirectory() + "yearbook-workbook-" + UUID().uuidString + ".xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try WorkbookWriter.write(path: path, edition, presentation: definition.presentation, splicingRows: false))
        let plain = Array(FileManager.default.contents(atPath: path) ?? Data())
        let same = plain == once
        #expect(same, "\(once.count) bytes spliced, \(plain.count) written by libxlsxwriter alone")
    }

    /// A column is as wide as the longest line of its texts, a Chinese character two: a line feed
    /// of its own ends a line, `\r\n` (one character) does not.
    @Test func aColumnIsAsWideAsTheLongestLineAChineseCharacterTwo() {
        #expect(WorkbookWriter.textWidth("") == 0)
        #expect(WorkbookWriter.textWidth("单位 unit") == 9)
        #expect(WorkbookWriter.textWidth("低保户数\nHouseholds on dibao") == 19)
        #expect(WorkbookWriter.textWidth("ab\n\n低保户数\n") == 8)
        #expect(WorkbookWriter.textWidth("ab\r\ncd") == 6)
        #expect(SheetLayout.lines("低保户数\nHouseholds on dibao", width: 12) == 4)
        let layout = SheetLayout()
        layout.widen(0, "1,234,567.89")
        layout.widen(0, width: 7)
        layout.widen(1, String(repeating: "长", count: 80))
        #expect(layout.widths == [14, SheetLayout.widest])
    }

    /// A tree the sample is not: another province, names long, unbroken and with markup, built
    /// with the sample's definition into the folder returned (removed when the caller drops it).
    static func unseenEdition() throws -> TestTree {
        let unseen = TestTree()
        unseen.write("areas.csv", """
            code,name_zh,name_en,level,parent,valid_from,valid_to,successor
            990000,<b>测试省</b>,Test-Province,province,,,,
            990100,非常非常长的地级市名称用于检验表格和图表在窄屏与打印时是否会被截断的情况,A-prefecture-name-that-is-one-very-long-unbroken-word-to-test-wrapping,prefecture,990000,,,
            990101,<script>alert(1)</script>区,District-with-a-very-long-unbroken-English-name-for-narrow-screens,county,990100,,,
            990102,短区,Short,county,990100,,,

            """)
        for county in ["990101", "990102"] {
            unseen.writeGzip("2019/exports/\(county)_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\n"
                + "h1,\(county),U,2,123456789.50,active\nh2,\(county),R,3,200,active\n")
        }
        let unseenOut = TestTree()
        // The sample's definition about that tree's prefecture.
        let unseenDefinition = TestTree()
        for name in ["yearbook.yml", "indicators.csv", "chapters.csv"] {
            unseenDefinition.write(name, try String(contentsOfFile: repositoryRoot + "/pipelines/" + name, encoding: .utf8)
                .replacingOccurrences(of: "subject: \"430200\"", with: "subject: \"990100\""))
        }
        let unseenBuild = try YearbookBuild.run(BuildOptions(input: unseen.root, year: 2019, out: unseenOut.root,
                                                             pipeline: unseenDefinition.path("yearbook.yml")))
        #expect(unseenBuild.published)
        return unseenOut
    }

    /// Every page of the 2017-2019 editions in headless Chromium: nothing cut off
    /// or wider than a 360 px screen (a wide table may scroll in its own box), and
    /// nothing wider than an A4 page's printable width with the print rules applied.
    @Test func everyPageFitsANarrowScreenAndAnA4Page() throws {
        guard let chromium = Self.tool("chromium") else { return }
        let out = ReaderTests.built.out
        var pages: [String] = []
        for year in [2017, 2018, 2019] {
            let folder = year == 2019 ? out + "/2019" : repositoryRoot + "/output/\(year)"
            for name in ["index.html", "definitions.html"] + (try FileManager.default.contentsOfDirectory(atPath: folder + "/chapters"))
                .filter({ $0.hasSuffix(".html") }).sorted().map({ "chapters/" + $0 }) {
                pages.append("file://" + folder + "/" + name)
            }
        }
        // And an unseen tree: another province, names long, unbroken and with markup.
        let unseenOut = try Self.unseenEdition()
        for name in ["index.html", "definitions.html"] + (try FileManager.default.contentsOfDirectory(atPath: unseenOut.path("2019/chapters")))
            .filter({ $0.hasSuffix(".html") }).sorted().map({ "chapters/" + $0 }) {
            pages.append("file://" + unseenOut.path("2019/" + name))
        }
        let template = try String(contentsOfFile: repositoryRoot + "/Tests/ReaderTests/Readers/fit.html", encoding: .utf8)
        let frames = pages.map { page in
            "<iframe src=\"\(page)\" data-mode=\"narrow\" style=\"width:360px;height:900px\"></iframe>"
                + "<iframe src=\"\(page)\" data-mode=\"print\" style=\"width:703px;height:900px\"></iframe>\n"
        }.joined()
        let harness = out + "/fit.html"
        try template.replacingOccurrences(of: "<!--FRAMES-->", with: frames).write(toFile: harness, atomically: true, encoding: .utf8)
        let run = try runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                                         "--dump-dom", "file://" + harness])
        let result = run.output.components(separatedBy: "<pre id=\"result\">").dropFirst().first?
            .components(separatedBy: "</pre>").first ?? "no result: \(run.output.prefix(300))"
        #expect(result == "CHECKED \(pages.count) PAGES\n\nEND", "\(result)")
        #expect(pages.count == 32)
    }
}
