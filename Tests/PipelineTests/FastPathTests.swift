import Definition
import Pipeline
import Extract
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// The roster fast path (C) must decide every row exactly as the Swift
/// validator alone does: same counts, same sums, same rejections with the
/// same lines and reasons. Each test reads one input both ways and compares.
@Suite struct FastPathTests {
    let registry = AreaRegistry([
        Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
        Area(code: "430212", nameZH: "渌口区", nameEN: "Lukou", level: .county, parent: "430200", validFrom: 2018),
        Area(code: "430221", nameZH: "株洲县", nameEN: "Zhuzhou County", level: .county, parent: "430200",
             validTo: 2017, successor: "430212"),
    ])

    struct Outcome: Equatable {
        var rowsRead = 0
        /// Rows the fast path decided (when reading with it).
        var fast = 0
        var accepted = 0, inactive = 0
        var rejected: [String] = []
        var values: [String: String] = [:]
        var columns: [String] = []
        var error: String?
    }

    func read(_ bytes: [UInt8], roster: String, fastPath: Bool, limits: ReadLimits = .standard) throws -> Outcome {
        let definition = try PipelineDefinition.load(path: pipelinePath)
        var reader = RosterReader(schema: RosterSchema.named(roster)!, measures: try definition.measures()[roster]!,
                                  registry: registry, limits: limits)
        reader.fastPath = fastPath
        do {
            let result = try reader.read(displayName: "430212_\(roster).csv", county: "430212", year: 2019) {
                MemoryByteStream.opening(bytes, name: "430212_\(roster).csv", limits: limits)
            }
            #expect(result.balances)
            return Outcome(rowsRead: result.rowsRead, fast: result.rowsOnFastPath, accepted: result.accepted, inactive: result.inactive,
                           rejected: try result.rejects.rows().map { "\($0.line): \($0.reason) | \($0.raw)" },
                           values: result.values.mapValues(\.plainDecimal),
                           columns: result.columns.map { "\($0.canonical)@\($0.position)" })
        } catch let error as YearbookError {
            return Outcome(error: error.description)
        }
    }

    /// Reads `bytes` both ways and returns the (equal) outcome.
    @discardableResult
    func bothWays(_ bytes: [UInt8], roster: String = "dibao", limits: ReadLimits = .standard) throws -> Outcome {
        let fast = try read(bytes, roster: roster, fastPath: true, limits: limits)
        let slow = try read(bytes, roster: roster, fastPath: false, limits: limits)
        #expect(slow.fast == 0)
        #expect(fast.error == slow.error)
        #expect(fast.rowsRead == slow.rowsRead)
        #expect(fast.accepted == slow.accepted)
        #expect(fast.inactive == slow.inactive)
        #expect(fast.values == slow.values)
        #expect(fast.columns == slow.columns)
        #expect(fast.rejected.count == slow.rejected.count)
        for (a, b) in zip(fast.rejected, slow.rejected) where a != b {
            Issue.record("fast path: \(a)\nSwift:     \(b)")
            break
        }
        return fast
    }

    /// Spellings of each field, plain and odd, valid and not.
    static let ids = ["1", "990212190000001", "HH-0001", "0000000000000001", "12345678901234567", "123456789012345678",
                      "1234567890123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij", " 7", "7 ", "a b", "",
                      "\"q1\"", "\"q,2\"", "户1", "１２", "x\u{3000}", "\"\"\"quoted\"\"\""]
    static let areas = ["430212", "430221", "430200", "430202", " 430212", "430212 ", "4302120", "43021", "",
                        "４３０２１２", "\"430212\"", "430212\u{3000}", "43021２"]
    static let categories = ["U", "R", "u", "r", "urban", "RURAL", "Urban", "城市", "农村", "城镇", "X", "", " U",
                             "\"U\"", "UU", "uRbAn", "ruralruralrural1"]
    static let members = ["1", "2", "9", "12", "0", "01", "2.0", "2.5", "-1", "+3", "1,000", "123456789",
                          "12345678", "", " 3", "３", "\"4\"", "1e3", "99999999999999999", "999999999999999999"]
    static let amounts = ["523.50", "523.5", "523", "0", "0.01", "523.", ".5", "12345678.99", "123456789.00",
                          "1.234", "-1", "abc", "", "\"1,234.50\"", "1,234.50", " 10", "10 ", "１０.５", "1.2.3",
                          "99999999999999999", "999999999999999999", "00000001.10", "5..0", "\"7\""]
    static let statuses = ["active", "ACTIVE", "Active", "suspended", "SUSPENDED", "1", "0", "在保", "停保", "maybe",
                           "", " active", "\"active\"", "activ", "activeactiveactive"]
    static let careModes = ["C", "D", "c", "centralized", "DISPERSED", "集中", "分散", "E", ""]

    /// A deterministic generator (the tests must be the same every run).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        /// Mostly the first (plain) spelling, sometimes any.
        mutating func pick(_ words: [String], plain: Int = 2) -> String {
            next() % 4 == 0 ? words[Int(next() % UInt64(words.count))] : words[Int(next() % UInt64(plain))]
        }
    }

    func rows(_ count: Int, roster: String, seed: UInt64, header: String, lineEnd: String = "\n") -> String {
        var generator = Generator(state: seed)
        var text = header + lineEnd
        var seen: [String] = []
        for row in 0..<count {
            var id = generator.next() % 8 == 0 ? generator.pick(FastPathTests.ids, plain: 3) : "43021219\(1_000_000 + row)"
            if generator.next() % 50 == 0, let earlier = seen.randomElement(using: &generator) { id = earlier }
            seen.append(id)
            let fields: [String]
            if roster == "dibao" {
                fields = [id, generator.pick(FastPathTests.areas), generator.pick(FastPathTests.categories),
                          generator.pick(FastPathTests.members, plain: 3), generator.pick(FastPathTests.amounts, plain: 4),
                          generator.pick(FastPathTests.statuses, plain: 1)]
            } else {
                fields = [id, generator.pick(FastPathTests.areas), generator.pick(FastPathTests.categories),
                          generator.pick(FastPathTests.careModes), generator.pick(FastPathTests.amounts, plain: 4),
                          generator.pick(FastPathTests.statuses, plain: 1)]
            }
            var line = fields.joined(separator: ",")
            switch generator.next() % 40 {
            case 0: line += ",extra"
            case 1: line = fields.dropLast().joined(separator: ",")
            case 2: line = ""
            case 3: line += "\r"
            default: break
            }
            text += line + lineEnd
        }
        return text
    }

    @Test func mixedRowsAreDecidedAlikeAcrossManyBuffers() throws {
        // 40,000 rows: well over one 256 KiB read, so lines also straddle buffer ends.
        let outcome = try bothWays(Array(rows(40_000, roster: "dibao", seed: 1,
                                              header: "household_id,area_code,category,members,monthly_amount,status").utf8))
        #expect(outcome.rowsRead > 38_000)
        #expect(outcome.fast > 10_000)
        #expect(outcome.accepted > 20_000)
        #expect(outcome.rejected.count > 2_000)
        #expect(outcome.inactive > 100)
    }

    @Test func tekunRowsAreDecidedAlike() throws {
        let outcome = try bothWays(Array(rows(20_000, roster: "tekun", seed: 2,
                                              header: "person_id,area_code,category,care_mode,annual_amount,status").utf8),
                                   roster: "tekun")
        #expect(outcome.accepted > 10_000)
        #expect(outcome.fast > 5_000)
        #expect(outcome.rejected.count > 1_000)
    }

    @Test func crlfReorderedColumnsAndIgnoredColumnsAreDecidedAlike() throws {
        // Columns in another order, Chinese headers, an ignored column with Chinese text and quotes.
        var generator = Generator(state: 3)
        var text = "状态,备注,月保障金额(元),户编号,保障人数,城乡类别,行政区划代码\r\n"
        for row in 0..<30_000 {
            let note = ["", "低保户", "note", "\"a, b\"", "x\"y"][Int(generator.next() % 5)]
            let id = generator.next() % 30 == 0 ? "\(row / 2)" : "\(row + 100_000)"
            text += [generator.pick(FastPathTests.statuses, plain: 1), note, generator.pick(FastPathTests.amounts, plain: 4),
                     id, generator.pick(FastPathTests.members, plain: 3), generator.pick(FastPathTests.categories),
                     generator.pick(FastPathTests.areas)].joined(separator: ",") + "\r\n"
        }
        let outcome = try bothWays(Array(text.utf8))
        #expect(outcome.columns == ["status@0", "monthly_amount@2", "household_id@3", "members@4", "category@5", "area_code@6"])
        #expect(outcome.accepted > 8_000)
        #expect(outcome.fast > 3_000)
    }

    @Test func longRecordsAndTheRecordLimitAreDecidedAlike() throws {
        // A record limit of 64 bytes: a long but plain row must stop the file the same way both times.
        let header = "household_id,area_code,category,members,monthly_amount,status\n"
        let short = header + "1,430212,U,2,10.00,active\n2,430212,R,3,20.50,active\n"
        let long = short + String(repeating: "9", count: 70) + ",430212,U,2,10.00,active\n"
        let limits = ReadLimits(maxRecordBytes: 64)
        let fine = try bothWays(Array(short.utf8), limits: limits)
        #expect(fine.accepted == 2)
        #expect(fine.fast == 2)
        #expect(fine.values["DIBAO_AMOUNT_R"] == "20.5")
        let failed = try bothWays(Array(long.utf8), limits: limits)
        #expect(failed.error == "430212_dibao.csv:4: record longer than 64 bytes (an endless line?)")
    }

    @Test func fileWithoutFinalLineFeedAndBlankLinesAreDecidedAlike() throws {
        let text = "household_id,area_code,category,members,monthly_amount,status\n\n1,430212,U,2,10.00,active\n\n\n2,430212,R,3,20.50,active"
        let outcome = try bothWays(Array(text.utf8))
        #expect(outcome.rowsRead == 2)
        #expect(outcome.accepted == 2)
        #expect(outcome.values["DIBAO_HH_U"] == "1")
        #expect(outcome.values["DIBAO_PERSONS_R"] == "3")
    }

    @Test func duplicatesAcrossBothPathsNameTheFirstLine() throws {
        // The first "7" is read by the fast path, the second by Swift (it has a space), the third by the fast path.
        let text = """
            household_id,area_code,category,members,monthly_amount,status
            7,430212,U,2,10.00,active
            8,430212,U,2, 10.00,active
            7,430212,U,2,10.00,active
            8,430212,U,2,10.00,active
            1234567890123456789012,430212,U,2,10.00,active
            1234567890123456789012,430212,U,2,10.00,active

            """
        let outcome = try bothWays(Array(text.utf8))
        #expect(outcome.rejected == [
            "4: duplicate household_id '7' (first on line 2) | 7,430212,U,2,10.00,active",
            "5: duplicate household_id '8' (first on line 3) | 8,430212,U,2,10.00,active",
            "7: duplicate household_id '1234567890123456789012' (first on line 6) | 1234567890123456789012,430212,U,2,10.00,active",
        ])
        #expect(outcome.accepted == 3)
        #expect(outcome.fast == 2)  // lines 2 and 6; each duplicate goes to Swift, which names it
    }

    /// The id set keeps ids in a sorted run when they come in increasing order
    /// and in a hash table otherwise: whatever the order, exactly the repeated
    /// ids are duplicates, each naming the line of its first occurrence.
    @Test(arguments: ["increasing", "decreasing", "shuffled", "sawtooth"])
    func duplicatesAreFoundInAnyOrder(_ order: String) throws {
        var generator = Generator(state: 7)
        var ids = (0..<20_000).map { $0 % 3 == 0 ? "H\(100_000 + $0)" : "\(4302121900000 + $0)" }
        switch order {
        case "decreasing": ids.reverse()
        case "shuffled": ids.shuffle(using: &generator)
        case "sawtooth": ids = ids.indices.map { $0 % 2 == 0 ? ids[$0 / 2] : ids[ids.count - 1 - $0 / 2] }
        default: break
        }
        // Every 97th row repeats an id seen before (sometimes the one just before).
        for index in stride(from: 97, to: ids.count, by: 97) { ids[index] = ids[Int(generator.next() % UInt64(index))] }
        var text = "household_id,area_code,category,members,monthly_amount,status\n"
        var firstLine: [String: Int] = [:]
        var expected: [String] = []
        for (index, id) in ids.enumerated() {
            let line = index + 2
            let record = "\(id),430212,U,2,10.00,active"
            text += record + "\n"
            if let first = firstLine[id] {
                expected.append("\(line): duplicate household_id '\(id)' (first on line \(first)) | \(record)")
            } else {
                firstLine[id] = line
            }
        }
        let outcome = try bothWays(Array(text.utf8))
        #expect(outcome.rejected == expected)
        #expect(outcome.accepted == firstLine.count)
        #expect(outcome.values["DIBAO_HH_U"] == String(firstLine.count))
        #expect(expected.count > 150)
    }
}
