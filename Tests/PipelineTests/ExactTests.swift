import CSHA256
import Testing
import YearbookCore
import YearbookTestSupport

@Suite struct ExactTests {
    @Test func roundsHalfAwayFromZero() {
        #expect(Exact(decimal: "2.5")!.formatted(decimals: 0) == "3")
        #expect(Exact(decimal: "-2.5")!.formatted(decimals: 0) == "-3")
        #expect(Exact(decimal: "0.125")!.formatted(decimals: 2) == "0.13")
        #expect(Exact(decimal: "0.1249")!.formatted(decimals: 2) == "0.12")
        #expect(Exact(decimal: "37.75")!.formatted(decimals: 1) == "37.8")
        #expect(Exact(decimal: "374.4999")!.formatted(decimals: 0) == "374")
        // 1/3 and 2/3 at 4 decimals, and a true half of a ratio: 1/8 at 2 decimals.
        #expect(Exact(numerator: 1, denominator: 3).formatted(decimals: 4) == "0.3333")
        #expect(Exact(numerator: 2, denominator: 3).formatted(decimals: 4) == "0.6667")
        #expect(Exact(numerator: 1, denominator: 8).formatted(decimals: 2) == "0.13")
        #expect(Exact(numerator: -1, denominator: 8).formatted(decimals: 2) == "-0.13")
    }

    /// The 64-bit fast paths (binary GCD, integer printing) give what the
    /// plain 128-bit arithmetic gives, on both sides of every word boundary.
    @Test func fastPathsAgreeWithPlain128BitArithmeticAtTheBoundaries() {
        func euclid(_ a: UInt128, _ b: UInt128) -> UInt128 {
            var a = a, b = b
            while b != 0 { (a, b) = (b, a % b) }
            return a
        }
        let edges: [Int128] = [1, 2, 3, 5, 10, 12, 100, 1_000_003, Int128(Int64.max) - 1, Int128(Int64.max),
                               Int128(Int64.max) + 1, Int128(UInt64.max) - 1, Int128(UInt64.max), Int128(UInt64.max) + 1,
                               Int128(UInt64.max) * 10, Int128(1) << 100]
        for n in edges + edges.map({ -$0 }) {
            for d in edges {
                let value = Exact(numerator: n * 6, denominator: d * 4)
                let g = euclid((n * 6).magnitude, (d * 4).magnitude)
                #expect(value.fraction?.numerator == n * 6 / Int128(g))
                #expect(value.fraction?.denominator == d * 4 / Int128(g))
            }
            #expect(Exact(numerator: n, denominator: 1).plainDecimal == String(n))
        }
        #expect(Exact(numerator: Int128(Int64.min) - 1, denominator: 1).plainDecimal == "-9223372036854775809")
        #expect(Exact(numerator: Int128(UInt64.max) * 100 + 5, denominator: 100).plainDecimal == "18446744073709551615.05")
    }

    @Test func plainDecimalHasNoTrailingZerosAndNoExponent() {
        #expect(Exact(decimal: "1234.50")!.plainDecimal == "1234.5")
        #expect(Exact(decimal: "3.48")!.timesPowerOfTen(8).plainDecimal == "348000000")
        #expect(Exact(decimal: "1265")!.timesPowerOfTen(4).plainDecimal == "12650000")
        #expect(Exact(decimal: "1.5E3")!.plainDecimal == "1500")
        #expect(Exact(decimal: "0.00")!.plainDecimal == "0")
        #expect(Exact(decimal: "-0.10")!.plainDecimal == "-0.1")
        #expect(Exact(decimal: "12").map { $0.timesPowerOfTen(-2) }?.plainDecimal == "0.12")
    }

    @Test func rejectsWhatIsNotADecimal() {
        #expect(Exact(decimal: "NaN") == nil)
        #expect(Exact(decimal: "") == nil)
        #expect(Exact(decimal: "1,234") == nil)
        #expect(Exact(decimal: "12a") == nil)
        #expect(Exact(decimal: "-") == nil)
    }

    @Test func sumsOfDecimalsAreExact() {
        // 0.1 + 0.2 is 0.3 exactly, as binary floating point cannot say.
        #expect((Exact(decimal: "0.1")! + Exact(decimal: "0.2")!).plainDecimal == "0.3")
        var total = Exact.zero
        for _ in 0..<1000 { total = total + Exact(decimal: "0.01")! }
        #expect(total == Exact(10))
    }

    @Test func ratioOfSumsIsNotMeanOfRatios() throws {
        let formula = try Formula.parse("BEDS_TOTAL / POP_60PLUS * 1000")
        let values = ["BEDS_TOTAL": Exact(28132), "POP_60PLUS": Exact(746_207)]
        #expect(formula.evaluate { values[$0] }?.formatted(decimals: 1) == "37.7")
        #expect(formula.evaluate { values[$0] }?.formatted(decimals: 4) == "37.7000")
        #expect(formula.evaluate { ["BEDS_TOTAL": Exact(1), "POP_60PLUS": Exact.zero][$0] } == nil)
        #expect(formula.operands == ["BEDS_TOTAL", "POP_60PLUS"])
        let sum = try Formula.parse("SO_GROUPS + SO_PRIVATE_NONPROFIT + SO_FOUNDATIONS")
        #expect(sum.evaluate { ["SO_GROUPS": Exact(1123), "SO_PRIVATE_NONPROFIT": Exact(1549), "SO_FOUNDATIONS": Exact(9)][$0] } == Exact(2681))
    }

    @Test func statusCarriesThrough() {
        #expect(ObservationStatus.combined([.A, .P, .A]) == .P)
        #expect(ObservationStatus.combined([.P, .E, .A]) == .E)
        #expect(ObservationStatus.combined([.A, .A]) == .A)
    }
}

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, the digest is the same.
        let text = Array(String(repeating: "株洲市民政统计年鉴", count: 100).utf8)
        var hasher = SHA256()
        var index = 0
        for size in [1, 63, 64, 65, 7, 1000] where index < text.count {
            hasher.update(text[index..<min(text.count, index + size)])
            index += size
        }
        hasher.update(text[min(index, text.count)...])
        #expect(hasher.hexDigest() == SHA256.hex(text))
    }
}

@Suite struct SHA256BlockTests {
    /// The CPU-extension path and the portable path agree on every block.
    @Test func bothBlockFunctionsAgree() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<(64 * 1000)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var fast: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var portable = fast
        data.withUnsafeBufferPointer { bytes in
            yearbook_sha256_blocks(&fast, bytes.baseAddress, 1000)
            yearbook_sha256_blocks_portable(&portable, bytes.baseAddress, 1000)
        }
        #expect(fast == portable)
    }
}
