import Pipeline
import Foundation
import Testing
import YearbookCore

/// Values beyond 128 bits stay exact (computed on wide integers) and never trap;
/// text beyond what a figure may be is rejected by name.
@Suite struct ExactRangeTests {
    @Test func wideValuesAreExact() {
        let tiny = Exact(decimal: "0.000000000000000001")!
        let float = Exact(decimal: "0.30000000000000004")!
        #expect((tiny + float).plainDecimal == "0.300000000000000041")
        #expect(Exact(decimal: "1e-30")!.plainDecimal == "0." + String(repeating: "0", count: 29) + "1")
        #expect((Exact(decimal: "1e-30")! * Exact(decimal: "1e-30")!).plainDecimal == "0." + String(repeating: "0", count: 59) + "1")
        let largest = Exact(numerator: Int128.max, denominator: 1)
        #expect((largest + Exact(1)).plainDecimal == "170141183460469231731687303715884105728")
        #expect((largest * largest).plainDecimal == "28948022309329048855892746252171976962977213799489202546401021394546514198529")
        #expect((-largest - largest).plainDecimal == "-340282366920938463463374607431768211454")
        #expect((largest * largest - largest * largest).isZero)
        #expect(Exact(decimal: "1e-30")!.divided(by: Exact(3))!.formatted(decimals: 32) == "0.00000000000000000000000000000033")
        #expect(Exact(decimal: "1e100")!.timesPowerOfTen(-100) == Exact(1))
        #expect(Exact(decimal: "-1e-40")! < Exact(decimal: "-2e-41")!)
        #expect(Exact(decimal: "1e-40")! < Exact(decimal: "1.0000000000000000000000000000000000001e-40")!)
        #expect(Exact(decimal: "2.5e-40")!.timesPowerOfTen(40).formatted(decimals: 0) == "3")
        #expect(Exact(decimal: "-2.5e-40")!.timesPowerOfTen(40).rounded(decimals: 0) == Exact(-3))
        let wide = (tiny + float).divided(by: Exact(3))! * Exact(decimal: "1e-30")!
        #expect(Exact(fractionText: wide.fractionText) == wide)
        #expect(wide.fraction == nil)
        #expect(wide.fractionText == "300000000000000041/3" + String(repeating: "0", count: 48))
    }

    @Test func textBeyondAFiguresRangeIsToldApartFromText() {
        #expect(Exact.read(decimal: "1e101") == .outOfRange)
        #expect(Exact.read(decimal: "1e-99999999999999999999999") == .outOfRange)
        #expect(Exact.read(decimal: String(repeating: "9", count: 101)) == .outOfRange)
        #expect(Exact.read(decimal: "1." + String(repeating: "0", count: 500)) == .value(Exact(1)))
        #expect(Exact.read(decimal: "1e") == .notANumber)
        #expect(Exact.read(decimal: "1.2.3") == .notANumber)
        #expect(Exact.read(decimal: "+.5") == .value(Exact(numerator: 1, denominator: 2)))
    }

    @Test func deeplyNestedFormulasAreRefusedNotOverflowingTheStack() throws {
        let deep = String(repeating: "(", count: 100_000) + "A" + String(repeating: ")", count: 100_000)
        let error = #expect(throws: YearbookError.self) { try Formula.parse(deep) }
        #expect(error?.code == .definition)
        #expect(error?.message == "formula '\(deep)': nested deeper than 64 levels")
        let sixtyThree = String(repeating: "(", count: 63) + "A / B" + String(repeating: ")", count: 63)
        #expect(try Formula.parse(sixtyThree).evaluate { ["A": Exact(1), "B": Exact(3)][$0] }?.formatted(decimals: 4) == "0.3333")
    }

    /// The three values, extreme UNIT_MULTs and a derived ratio of them through a whole build.
    @Test func manyDecimalsAndExtremeUnitMultipliersGoThroughABuildExactly() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            .init(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "0.000000000000000001"),
            .init(area: "430202", indicator: "POP_60PLUS", period: 2019, value: "0.30000000000000004"),
            .init(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "1e-30", unitMult: 12),
            .init(area: "430203", indicator: "POP_60PLUS", period: 2019, value: "1e-30", unitMult: -12),
            .init(area: "430212", indicator: "BEDS_TOTAL", period: 2019, value: "3"),
            .init(area: "430212", indicator: "POP_60PLUS", period: 2019, value: "7"),
            .init(area: "430212", indicator: "POP_TOTAL", period: 2019, value: "1e101"),
        ]))
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: out, pipeline: pipelinePath))
        #expect(result.exitCode == 0)
        #expect(try result.problems.all().filter { $0.file == "2019/submissions/a.xml" }.map(\.description) == [
            "2019/submissions/a.xml:11: warning: OBS_VALUE '1e101' has more than 100 significant digits or an exponent beyond ±100; observation skipped",
        ])
        let observations = try String(contentsOfFile: out + "/2019/data/observations.csv", encoding: .utf8)
        let rows = observations.split(separator: "\n").filter { $0.contains("BEDS") || $0.contains("POP_60PLUS") }
        #expect(rows == [
            "430200,BEDS_PER_1000,2019,410.9589,A,derived",
            "430200,BEDS_TOTAL,2019,3.000000000000000002,A,aggregated",
            "430200,POP_60PLUS,2019,7.300000000000000040000000000000000000000001,A,aggregated",
            "430202,BEDS_PER_1000,2019,0.0000,A,derived",
            "430202,BEDS_TOTAL,2019,0.000000000000000001,A,submission",
            "430202,POP_60PLUS,2019,0.30000000000000004,A,submission",
            "430203,BEDS_PER_1000,2019,1000000000000000000000000000.0000,A,derived",
            "430203,BEDS_TOTAL,2019,0.000000000000000001,A,submission",
            "430203,POP_60PLUS,2019,0.000000000000000000000000000000000000000001,A,submission",
            "430212,BEDS_PER_1000,2019,428.5714,A,derived",
            "430212,BEDS_TOTAL,2019,3,A,submission",
            "430212,POP_60PLUS,2019,7,A,submission",
        ].map { Substring($0) })
    }
}
