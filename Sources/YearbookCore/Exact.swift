/// An exact rational number: every figure the yearbook computes is one.
///
/// Rosters and submissions give decimals; sums of decimals stay decimals and
/// print exactly; a derived value (a ratio of sums) is a true fraction that is
/// rounded once, half away from zero, only when it is written out.
/// Binary floating point is never used for a figure.
///
/// Nearly every value fits two 128-bit words and is computed on them; a result
/// that would overflow them (many decimals, large exponents, ratios of such)
/// is computed on `WideInteger`s instead, so no value ever traps.
public struct Exact: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Kept reduced, with a positive denominator, and in `word` whenever it fits.
    private enum Storage: Hashable, Sendable {
        /// Both magnitudes at most `Int128.max` (so negation never overflows).
        case word(numerator: Int128, denominator: Int128)
        /// A value that does not fit `word`; never zero.
        case wide(negative: Bool, numerator: WideInteger, denominator: WideInteger)
    }

    private let storage: Storage

    public init(_ integer: Int) {
        storage = .word(numerator: Int128(integer), denominator: 1)
    }

    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "zero denominator")
        self.init(negative: (numerator < 0) != (denominator < 0), numerator.magnitude, denominator.magnitude)
    }

    private init(negative: Bool, _ numerator: UInt128, _ denominator: UInt128) {
        var n = numerator, d = denominator
        if d != 1 {
            let g = Exact.gcd(n, d)
            if g > 1 {
                n /= g
                d /= g
            }
        }
        if n <= Exact.wordLimit && d <= Exact.wordLimit {
            storage = .word(numerator: negative ? -Int128(n) : Int128(n), denominator: Int128(d))
        } else {
            storage = .wide(negative: negative, numerator: WideInteger(n), denominator: WideInteger(d))
        }
    }

    private init(negative: Bool, wide numerator: WideInteger, _ denominator: WideInteger) {
        if let n = numerator.narrow, let d = denominator.narrow {
            self.init(negative: negative, n, d)
            return
        }
        var n = numerator, d = denominator
        let g = WideInteger.gcd(n, d)
        if g != .one {
            n = n.quotientAndRemainder(dividingBy: g).quotient
            d = d.quotientAndRemainder(dividingBy: g).quotient
        }
        if let narrowN = n.narrow, let narrowD = d.narrow, narrowN <= Exact.wordLimit, narrowD <= Exact.wordLimit {
            self.init(negative: negative, narrowN, narrowD)
        } else {
            self.init(storage: .wide(negative: negative, numerator: n, denominator: d))
        }
    }

    private init(storage: Storage) { self.storage = storage }

    private static let wordLimit = Int128.max.magnitude

    /// `units × 10^-scale`, e.g. cents with scale 2.
    public init(units: Int128, scale: Int) {
        self = Exact(numerator: units, denominator: 1).timesPowerOfTen(-scale)
    }

    public static let zero = Exact(0)

    /// The value as a reduced fraction of 128-bit integers, nil when it does not fit them.
    public var fraction: (numerator: Int128, denominator: Int128)? {
        if case .word(let n, let d) = storage { return (n, d) }
        return nil
    }

    /// Sign, numerator and denominator as wide integers.
    private var parts: (negative: Bool, numerator: WideInteger, denominator: WideInteger) {
        switch storage {
        case .word(let n, let d): return (n < 0, WideInteger(n.magnitude), WideInteger(d.magnitude))
        case .wide(let negative, let n, let d): return (negative, n, d)
        }
    }

    /// 128-bit division is done in software: values that fit 64 bits (nearly
    /// all) take the binary GCD on machine words instead.
    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        if a <= UInt128(UInt64.max) && b <= UInt128(UInt64.max) { return UInt128(gcd(UInt64(a), UInt64(b))) }
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// Stein's binary GCD.
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if a == 0 { return b }
        if b == 0 { return a }
        let shift = (a | b).trailingZeroBitCount
        var a = a >> a.trailingZeroBitCount, b = b
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    /// 10^0 ... 10^38, every power of ten that fits `Int128`.
    private static let wordPowersOfTen: [Int128] = (0...38).map { exponent in
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }

    static func powerOfTen(_ exponent: Int) -> Exact {
        if exponent < wordPowersOfTen.count { return Exact(numerator: wordPowersOfTen[exponent], denominator: 1) }
        return Exact(negative: false, wide: WideInteger.powerOfTen(exponent), .one)
    }

    public var isZero: Bool {
        if case .word(let n, _) = storage { return n == 0 }
        return false
    }

    public var isNegative: Bool {
        switch storage {
        case .word(let n, _): return n < 0
        case .wide(let negative, _, _): return negative
        }
    }

    /// The signed sum of two magnitudes.
    private static func signedSum(_ a: (negative: Bool, magnitude: WideInteger),
                                  _ b: (negative: Bool, magnitude: WideInteger)) -> (negative: Bool, magnitude: WideInteger) {
        if a.negative == b.negative { return (a.negative, a.magnitude + b.magnitude) }
        return a.magnitude < b.magnitude ? (b.negative, b.magnitude - a.magnitude) : (a.negative, a.magnitude - b.magnitude)
    }

    public static func + (a: Exact, b: Exact) -> Exact {
        if case .word(let an, let ad) = a.storage, case .word(let bn, let bd) = b.storage {
            if ad == bd {
                let (sum, overflow) = an.addingReportingOverflow(bn)
                if !overflow { return Exact(numerator: sum, denominator: ad) }
            } else {
                let (left, overflow1) = an.multipliedReportingOverflow(by: bd)
                let (right, overflow2) = bn.multipliedReportingOverflow(by: ad)
                let (denominator, overflow3) = ad.multipliedReportingOverflow(by: bd)
                let (sum, overflow4) = left.addingReportingOverflow(right)
                if !(overflow1 || overflow2 || overflow3 || overflow4) { return Exact(numerator: sum, denominator: denominator) }
            }
        }
        let p = a.parts, q = b.parts
        let sum = signedSum((p.negative, p.numerator * q.denominator), (q.negative, q.numerator * p.denominator))
        return Exact(negative: sum.negative, wide: sum.magnitude, p.denominator * q.denominator)
    }

    public static prefix func - (a: Exact) -> Exact {
        switch a.storage {
        case .word(let n, let d): return Exact(numerator: -n, denominator: d)
        case .wide(let negative, let n, let d): return Exact(negative: !negative, wide: n, d)
        }
    }

    public static func - (a: Exact, b: Exact) -> Exact { a + (-b) }

    public static func * (a: Exact, b: Exact) -> Exact {
        if case .word(let an, let ad) = a.storage, case .word(let bn, let bd) = b.storage {
            let (numerator, overflow1) = an.multipliedReportingOverflow(by: bn)
            let (denominator, overflow2) = ad.multipliedReportingOverflow(by: bd)
            if !(overflow1 || overflow2) { return Exact(numerator: numerator, denominator: denominator) }
        }
        let p = a.parts, q = b.parts
        return Exact(negative: p.negative != q.negative && !a.isZero && !b.isZero,
                     wide: p.numerator * q.numerator, p.denominator * q.denominator)
    }

    /// nil when `b` is zero.
    public func divided(by b: Exact) -> Exact? {
        if b.isZero { return nil }
        let p = b.parts
        return self * Exact(negative: p.negative, wide: p.denominator, p.numerator)
    }

    public static func < (a: Exact, b: Exact) -> Bool {
        if case .word(let an, let ad) = a.storage, case .word(let bn, let bd) = b.storage {
            let (left, overflow1) = an.multipliedReportingOverflow(by: bd)
            let (right, overflow2) = bn.multipliedReportingOverflow(by: ad)
            if !(overflow1 || overflow2) { return left < right }
        }
        if a.isNegative != b.isNegative { return a.isNegative }
        let p = a.parts, q = b.parts
        let left = p.numerator * q.denominator, right = q.numerator * p.denominator
        return p.negative ? right < left : left < right
    }

    public var magnitude: Exact { isNegative ? -self : self }

    /// The value × 10^decimals rounded to an integer, half away from zero, when that fits 128 bits.
    private func roundedWordUnits(decimals: Int) -> Int128? {
        guard case .word(let n, let d) = storage, decimals < Exact.wordPowersOfTen.count else { return nil }
        let (scaled, overflow) = n.multipliedReportingOverflow(by: Exact.wordPowersOfTen[decimals])
        if overflow { return nil }
        var q = scaled / d                    // truncates toward zero
        let r = scaled % d                    // same sign as scaled
        if r.magnitude * 2 >= d.magnitude { q += scaled < 0 ? -1 : 1 }
        return q
    }

    /// The value × 10^decimals rounded to an integer, half away from zero: sign and magnitude.
    private func roundedWideUnits(decimals: Int) -> (negative: Bool, magnitude: WideInteger) {
        let p = parts
        var (q, r) = (p.numerator * WideInteger.powerOfTen(decimals)).quotientAndRemainder(dividingBy: p.denominator)
        if !(r + r < p.denominator) { q = q + .one }
        return (p.negative && !q.isZero, q)
    }

    /// Rounded half away from zero to `decimals`, as an exact value.
    public func rounded(decimals: Int) -> Exact {
        if let units = roundedWordUnits(decimals: decimals) { return Exact(units: units, scale: decimals) }
        let (negative, units) = roundedWideUnits(decimals: decimals)
        return Exact(negative: negative, wide: units, .one).timesPowerOfTen(-decimals)
    }

    /// Written with exactly `decimals` digits after the point, rounded half away from zero.
    public func formatted(decimals: Int) -> String {
        if let units = roundedWordUnits(decimals: decimals) {
            return Exact.text(ofUnits: units, decimals: decimals, trimmingZeros: false)
        }
        let wide = roundedWideUnits(decimals: decimals)
        var digits = wide.magnitude.decimalText
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return wide.negative ? "-" + digits : digits
    }

    /// `units × 10^-decimals` with `decimals` digits after the point (without the
    /// fraction's trailing zeros and a bare point when `trimmingZeros`), made as
    /// bytes on the stack and turned into a string once: every figure of every
    /// output is written by it, so no intermediate strings.
    private static func text(ofUnits units: Int128, decimals: Int, trimmingZeros: Bool) -> String {
        // 39 digits at most for an Int128, a point, a sign, and the zeros of a fraction below 1.
        let capacity = 41 + decimals
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer -> String in
            var start = capacity
            var magnitude = units.magnitude
            // Digits from the last: the fraction's, then the whole part's (at least one).
            func nextDigit() -> UInt8 {
                if magnitude <= UInt128(UInt64.max) {
                    let small = UInt64(magnitude)
                    magnitude = UInt128(small / 10)
                    return UInt8(truncatingIfNeeded: small % 10)
                }
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                magnitude = quotient
                return UInt8(truncatingIfNeeded: remainder)
            }
            var trimming = trimmingZeros
            for _ in 0..<decimals {
                let digit = nextDigit()
                if trimming && digit == 0 { continue }
                trimming = false
                start -= 1
                buffer[start] = 0x30 + digit
            }
            if start < capacity {
                start -= 1
                buffer[start] = UInt8(ascii: ".")
            }
            repeat {
                start -= 1
                buffer[start] = 0x30 + nextDigit()
            } while magnitude != 0
            if units < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            let text = UnsafeBufferPointer(rebasing: buffer[start..<capacity])
            return String(unsafeUninitializedCapacity: text.count) { target in
                _ = target.initialize(from: text)
                return text.count
            }
        }
    }

    /// The number of decimals the exact decimal form needs, or nil when the value
    /// has no finite decimal form (a denominator with a prime other than 2 and 5).
    public var decimalPlaces: Int? {
        switch storage {
        case .word(_, let denominator):
            if denominator == 1 { return 0 }
            let twos = denominator.trailingZeroBitCount
            var d = denominator >> twos
            var fives = 0
            while d % 5 == 0 { d /= 5; fives += 1 }
            return d == 1 ? max(twos, fives) : nil
        case .wide(_, _, let denominator):
            var d = denominator
            var counts: [Int] = []
            for prime: UInt64 in [2, 5] {
                var count = 0
                while true {
                    let (quotient, remainder) = d.quotientAndRemainder(dividingBy: prime)
                    if remainder != 0 { break }
                    d = quotient
                    count += 1
                }
                counts.append(count)
            }
            return d == .one ? counts.max() : nil
        }
    }

    /// Plain decimal: no exponent, no thousands separator, no trailing zeros.
    /// A value without a finite decimal form is written rounded to 10 decimals.
    public var plainDecimal: String {
        let decimals = decimalPlaces ?? 10
        if let units = roundedWordUnits(decimals: decimals) {
            // A word's units are never a negative zero: rounding to zero gives 0.
            return Exact.text(ofUnits: units, decimals: decimals, trimmingZeros: true)
        }
        var text = formatted(decimals: decimals)
        // A byte, not a string: with Foundation loaded, `contains(".")` is a slow substring search.
        if text.utf8.contains(UInt8(ascii: ".")) {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    public var description: String { plainDecimal }

    /// `n` or `n/d`, exactly; what `init?(fractionText:)` reads back.
    public var fractionText: String {
        let p = parts
        let numerator = (p.negative ? "-" : "") + p.numerator.decimalText
        return p.denominator == .one ? numerator : numerator + "/" + p.denominator.decimalText
    }

    public init?(fractionText text: String) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, var numerator = pieces.first else { return nil }
        let negative = numerator.hasPrefix("-")
        if negative { numerator = numerator.dropFirst() }
        guard let n = WideInteger(decimalText: numerator),
              let d = pieces.count == 2 ? WideInteger(decimalText: pieces[1]) : .one, !d.isZero else { return nil }
        self.init(negative: negative && !n.isZero, wide: n, d)
    }
}
