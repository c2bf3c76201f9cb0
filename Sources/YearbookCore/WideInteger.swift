/// An unsigned integer of any size: the slow path of `Exact` when a value
/// no longer fits 128 bits (many decimals, large exponents, ratios of such),
/// so that arithmetic stays exact instead of trapping.
struct WideInteger: Hashable, Comparable, Sendable {
    /// 64-bit words, least significant first, no zero words at the end (zero is `[]`).
    private(set) var words: [UInt64]

    init(_ value: UInt128) {
        words = [UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64)]
        trim()
    }

    private init(words: [UInt64]) {
        self.words = words
        trim()
    }

    private mutating func trim() {
        while words.last == 0 { words.removeLast() }
    }

    static let one = WideInteger(1)

    var isZero: Bool { words.isEmpty }

    /// The value when it fits 128 bits.
    var narrow: UInt128? {
        switch words.count {
        case 0: return 0
        case 1: return UInt128(words[0])
        case 2: return UInt128(words[1]) << 64 | UInt128(words[0])
        default: return nil
        }
    }

    static func powerOfTen(_ exponent: Int) -> WideInteger {
        var result = WideInteger.one
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 19)
            result = result.times(word: (0..<step).reduce(UInt64(1)) { value, _ in value * 10 })
            remaining -= step
        }
        return result
    }

    static func < (a: WideInteger, b: WideInteger) -> Bool {
        if a.words.count != b.words.count { return a.words.count < b.words.count }
        for index in a.words.indices.reversed() where a.words[index] != b.words[index] {
            return a.words[index] < b.words[index]
        }
        return false
    }

    static func + (a: WideInteger, b: WideInteger) -> WideInteger {
        var result = [UInt64](repeating: 0, count: max(a.words.count, b.words.count) + 1)
        var carry: UInt64 = 0
        for index in 0..<(result.count - 1) {
            let (sum1, overflow1) = (index < a.words.count ? a.words[index] : 0).addingReportingOverflow(carry)
            let (sum2, overflow2) = sum1.addingReportingOverflow(index < b.words.count ? b.words[index] : 0)
            result[index] = sum2
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        result[result.count - 1] = carry
        return WideInteger(words: result)
    }

    /// `a - b`, for `a >= b`.
    static func - (a: WideInteger, b: WideInteger) -> WideInteger {
        var result = a.words
        var borrow: UInt64 = 0
        for index in result.indices {
            let (difference1, overflow1) = result[index].subtractingReportingOverflow(borrow)
            let (difference2, overflow2) = difference1.subtractingReportingOverflow(index < b.words.count ? b.words[index] : 0)
            result[index] = difference2
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return WideInteger(words: result)
    }

    static func * (a: WideInteger, b: WideInteger) -> WideInteger {
        if a.isZero || b.isZero { return WideInteger(0) }
        var result = [UInt64](repeating: 0, count: a.words.count + b.words.count)
        for (i, x) in a.words.enumerated() {
            var carry: UInt64 = 0
            for (j, y) in b.words.enumerated() {
                let (high, low) = x.multipliedFullWidth(by: y)
                let total = UInt128(high) << 64 | UInt128(low)
                let sum = total + UInt128(result[i + j]) + UInt128(carry)
                result[i + j] = UInt64(truncatingIfNeeded: sum)
                carry = UInt64(truncatingIfNeeded: sum >> 64)
            }
            result[i + b.words.count] = carry
        }
        return WideInteger(words: result)
    }

    private func times(word: UInt64) -> WideInteger { self * WideInteger(UInt128(word)) }

    /// Quotient and remainder by a one-word divisor (printing, factors of 2 and 5).
    func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: WideInteger, remainder: UInt64) {
        var quotient = [UInt64](repeating: 0, count: words.count)
        var remainder: UInt64 = 0
        for index in words.indices.reversed() {
            (quotient[index], remainder) = divisor.dividingFullWidth((remainder, words[index]))
        }
        return (WideInteger(words: quotient), remainder)
    }

    /// Long division one bit at a time: the operands are a few words long.
    func quotientAndRemainder(dividingBy divisor: WideInteger) -> (quotient: WideInteger, remainder: WideInteger) {
        precondition(!divisor.isZero, "division by zero")
        if divisor.words.count == 1 {
            let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor.words[0])
            return (quotient, WideInteger(UInt128(remainder)))
        }
        if self < divisor { return (WideInteger(0), self) }
        var quotient = [UInt64](repeating: 0, count: words.count)
        var remainder = WideInteger(0)
        for bit in stride(from: words.count * 64 - 1, through: 0, by: -1) {
            remainder = remainder.doubled(plus: words[bit / 64] >> UInt64(bit % 64) & 1)
            if !(remainder < divisor) {
                remainder = remainder - divisor
                quotient[bit / 64] |= 1 << UInt64(bit % 64)
            }
        }
        return (WideInteger(words: quotient), remainder)
    }

    private func doubled(plus bit: UInt64) -> WideInteger {
        var result = [UInt64](repeating: 0, count: words.count + 1)
        var carry = bit
        for (index, word) in words.enumerated() {
            result[index] = word << 1 | carry
            carry = word >> 63
        }
        result[words.count] = carry
        return WideInteger(words: result)
    }

    static func gcd(_ a: WideInteger, _ b: WideInteger) -> WideInteger {
        var a = a, b = b
        while !b.isZero { (a, b) = (b, a.quotientAndRemainder(dividingBy: b).remainder) }
        return a
    }

    /// Decimal digits.
    var decimalText: String {
        if let narrow { return narrow <= UInt128(UInt64.max) ? String(UInt64(narrow)) : String(narrow) }
        var chunks: [UInt64] = []
        var rest = self
        while !rest.isZero {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10_000_000_000_000_000_000)
            chunks.append(remainder)
            rest = quotient
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}

extension WideInteger {
    /// Reads decimal digits (nothing else), 19 at a time.
    init?(decimalText text: Substring) {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var value = WideInteger(0)
        var start = 0
        var end = digits.count % 19 == 0 ? 19 : digits.count % 19
        while start < digits.count {
            let chunk = digits[start..<end].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
            value = value * WideInteger.powerOfTen(end - start) + WideInteger(UInt128(chunk))
            (start, end) = (end, end + 19)
        }
        self = value
    }
}
