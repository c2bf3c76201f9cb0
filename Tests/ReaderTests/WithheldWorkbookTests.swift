import Aggregate
import Foundation
import FoundationXML
import Render
import Testing
@testable import Workbook
import YearbookCore
import YearbookTestSupport

/// The workbook of an edition that withholds figures, read back from its XML: every sheet shows a
/// withheld figure as the text `*` (never a number), the rankings sheet ranks among published figures,
/// and the cover explains the mark.
@Suite struct WithheldWorkbookTests {
    static func cell(_ area: String, _ indicator: String, _ period: Int, _ value: String, _ source: ObservationSource) -> Observation {
        Fixture.observation(area, indicator, period, value, .A, source)
    }

    static func key(_ area: String, _ indicator: String, _ period: Int) -> ObservationKey {
        ObservationKey(area: area, indicator: indicator, period: period)
    }

    /// 株洲市's allowance per recipient (303.549…, shown 304) and 芦淞区's (308.64175, shown 309), 株洲市's
    /// beds (200) and 荷塘区's (120) withheld.
    static let edition: Edition = {
        let ratio = { (amount: String, persons: Int) in Exact(decimal: amount)!.divided(by: Exact(persons))! }
        let observations = Fixture.dataset([
            Observation(key: key("430200", "DIBAO_PC_U", 2019), value: ratio("13356.17", 44), status: .A, source: .derived),
            Observation(key: key("430203", "DIBAO_PC_U", 2019), value: ratio("12345.67", 40), status: .A, source: .derived),
            Observation(key: key("430202", "DIBAO_PC_U", 2019), value: ratio("1000", 3), status: .A, source: .derived),
            Observation(key: key("430212", "DIBAO_PC_U", 2019), value: ratio("10.5", 1), status: .A, source: .derived),
            cell("430300", "DIBAO_PC_U", 2019, "300", .derived), cell("430200", "DIBAO_PC_U", 2018, "290", .derived),
            cell("430200", "DIBAO_STD_U", 2019, "610", .submission), cell("430300", "DIBAO_STD_U", 2019, "630", .submission),
            cell("430200", "BEDS_TOTAL", 2019, "200", .aggregated), cell("430202", "BEDS_TOTAL", 2019, "120", .submission),
            cell("430203", "BEDS_TOTAL", 2019, "0", .submission), cell("430212", "BEDS_TOTAL", 2019, "80", .submission),
        ])
        let definition = Fixture.definition
        return Edition(year: 2019, title: definition.file.title.zh, titleEN: definition.file.title.en, subject: definition.file.subject,
                       registry: Fixture.registry, indicators: definition.indicators, chapters: definition.chapters, observations: observations,
                       rankings: Ranking.table(observations: observations, indicators: definition.indicators, registry: Fixture.registry, year: 2019),
                       withheld: Withholding(cells: [
                           key("430200", "DIBAO_PC_U", 2019): .secondary, key("430203", "DIBAO_PC_U", 2019): .primary,
                           key("430200", "BEDS_TOTAL", 2019): .secondary, key("430202", "BEDS_TOTAL", 2019): .primary,
                       ]))
    }()

    /// A sheet's cells by reference (`C7`): a number, or the text of a string cell.
    enum Value: Equatable { case number(String), text(String), shared(Int) }

    /// The cells of a sheet (`<c r="C7" t="s"><v>12</v></c>`, inline strings `<is><t>`), or the shared strings (`<si><t>`).
    final class SheetReader: NSObject, XMLParserDelegate {
        var cells: [String: Value] = [:]
        var strings: [String] = []
        private var reference = "", type = "", text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "c": reference = attributes["r"] ?? ""; type = attributes["t"] ?? ""
            case "si": strings.append("")
            default: break
            }
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v": cells[reference] = type == "s" ? Int(text).map(Value.shared) ?? .text(text) : type == "str" ? .text(text) : .number(text)
            case "t" where reference.isEmpty && !strings.isEmpty: strings[strings.count - 1] += text
            case "t": cells[reference] = .text(text)
            default: break
            }
        }
    }

    static func part(_ path: String, _ name: String) throws -> Data {
        let run = try runTool(try #require(installedTool("unzip")), ["-p", path, name])
        return Data(run.output.utf8)
    }

    /// Every sheet of the workbook at `path` by name, its shared strings resolved.
    static func sheets(_ path: String) throws -> [String: [String: Value]] {
        let strings = SheetReader()
        let stringParser = XMLParser(data: try part(path, "xl/sharedStrings.xml"))
        stringParser.delegate = strings
        _ = stringParser.parse()
        let book = String(decoding: try part(path, "xl/workbook.xml"), as: UTF8.self)
        let names = book.components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        var sheets: [String: [String: Value]] = [:]
        for (index, name) in names.enumerated() {
            let reader = SheetReader()
            let parser = XMLParser(data: try part(path, "xl/worksheets/sheet\(index + 1).xml"))
            parser.delegate = reader
            _ = parser.parse()
            sheets[name] = reader.cells.mapValues { value in
                if case .shared(let at) = value, at < strings.strings.count { return .text(strings.strings[at]) }
                return value
            }
        }
        return sheets
    }

    /// The cells of the row whose first cell is a text starting with `prefix`, by column letter.
    static func row(_ sheet: [String: Value], startingWith prefix: String, column: String = "A") -> [String: Value] {
        let found = sheet.first { $0.key.hasPrefix(column) && Int($0.key.dropFirst(column.count)) != nil
            && { if case .text(let text) = $0.value { text.hasPrefix(prefix) } else { false } }($0) }
        guard let number = found.map({ String($0.key.dropFirst(column.count)) }) else { return [:] }
        var cells: [String: Value] = [:]
        for (reference, value) in sheet where reference.drop(while: { $0.isLetter }) == number { cells[String(reference.prefix { $0.isLetter })] = value }
        return cells
    }

    /// Withheld figures in the observations' rows spliced in: the file libxlsxwriter writes alone.
    @Test func splicedRowsWithWithheldFiguresAreTheBytesLibxlsxwriterWrites() throws {
        let folder = Scratch.folder("withheld-workbook")
        try WorkbookWriter.write(path: folder + "/spliced.xlsx", Self.edition, presentation: Fixture.definition.presentation)
        #expect(try WorkbookWriter.write(path: folder + "/plain.xlsx", Self.edition, presentation: Fixture.definition.presentation,
                                         splicingRows: false))
        let spliced = FileManager.default.contents(atPath: folder + "/spliced.xlsx"), plain = FileManager.default.contents(atPath: folder + "/plain.xlsx")
        #expect(spliced != nil && spliced == plain)
        #expect(Self.edition.observations.count >= 3)
    }

    @Test func everySheetShowsAWithheldFigureAsTheMarkNeverANumber() throws {
        guard installedTool("unzip") != nil else { return }
        let path = Scratch.folder("withheld-workbook") + "/yearbook.xlsx"
        try WorkbookWriter.write(path: path, Self.edition, presentation: Fixture.definition.presentation)
        let sheets = try Self.sheets(path)
        let mark = Value.text("*")
        // Key figures: this year, the change, the rank and the move of 株洲市's allowance withheld; last year's 290 shown.
        let key = Self.row(try #require(sheets["第1章 社会救助"]), startingWith: "城市低保月人均救助水平")
        #expect([key["C"], key["D"], key["E"], key["F"], key["G"]] == [mark, .number("290"), mark, mark, mark])
        let topic = Self.row(try #require(sheets["第1章 社会救助"]), startingWith: "芦淞区")
        #expect(topic["C"] == mark)
        let beds = Self.row(try #require(sheets["第2章 养老服务"]), startingWith: "荷塘区")
        #expect(beds["B"] == mark)
        // The data sheet: the value of a withheld observation is the mark; a published one a number.
        let observations = try #require(sheets["observations"])
        let rows = observations.filter { $0.key.hasPrefix("A") && $0.value == .text("430203") }.map { String($0.key.dropFirst()) }
        let withheldRow = try #require(rows.first { observations["D" + $0] == .text("DIBAO_PC_U") })
        #expect(observations["I" + withheldRow] == mark)
        // The rankings sheet ranks among published figures: 荷塘区 1st and 渌口区 2nd of 株洲市's counties, no 芦淞区 or 株洲市.
        let rankings = try #require(sheets["rankings"])
        let ranked = rankings.filter { $0.key.hasPrefix("E") && $0.key != "E1" }.sorted { Int($0.key.dropFirst())! < Int($1.key.dropFirst())! }
            .map { entry -> String in
                let row = String(entry.key.dropFirst())
                guard case .text(let area) = entry.value, case .text(let indicator) = rankings["A" + row], case .number(let rank) = rankings["I" + row] else { return "?" }
                return "\(indicator) \(area) \(rank)"
            }
        #expect(ranked == ["DIBAO_PC_U 430300 1", "DIBAO_PC_U 430202 1", "DIBAO_PC_U 430212 2", "DIBAO_STD_U 430300 1", "DIBAO_STD_U 430200 2"])
        // The cover explains the mark.
        let cover = try #require(sheets["封面 Cover"]).values
        #expect(cover.contains(mark) && cover.contains { if case .text(let text) = $0 { text.hasPrefix("保密数：") } else { false } })
        // No withheld figure anywhere: not as a number, not in a text (a chart's alternative text included).
        let withheldNumbers: Set<String> = ["304", "303.5493", "309", "308.6418", "200", "120"]
        for (name, sheet) in sheets {
            for (reference, value) in sheet {
                switch value {
                case .number(let number): #expect(!withheldNumbers.contains(number), "\(name)!\(reference) shows \(number)")
                case .text(let text): for digits in ["304", "303.5", "309", "308.6"] { #expect(!text.contains(digits), "\(name)!\(reference): \(text)") }
                case .shared(let index): Issue.record("\(name)!\(reference): shared string \(index) not found")
                }
            }
        }
        let drawings = String(decoding: try Self.part(path, "xl/drawings/*.xml"), as: UTF8.self)
        #expect(drawings.contains("另有1个地区的数值保密") && !drawings.contains("120张") && !drawings.contains("304"))
    }
}
