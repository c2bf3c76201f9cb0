/// An exact rational number: every figure the yearbook computes is one.
///
/// Rosters and submissions give decimals; sums of decimals stay decimals and
/// print exactly; a derived value (a ratio of sums) is a true fraction that is
/// rounded once, half away from zero, only when it is written out.
/// Binary floating point is never used for a figure.
public struct Exact: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Kept reduced, with `denominator > 0`.
    public let numerator: Int128
    public let denominator: Int128

    public init(_ integer: Int) {
        numerator = Int128(integer)
        denominator = 1
    }

    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "zero denominator")
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        if d != 1 {
            let g = Exact.gcd(n.magnitude, d.magnitude)
            if g > 1 {
                n /= Int128(g)
                d /= Int128(g)
            }
        }
        self.numerator = n
        self.denominator = d
    }

    /// `units × 10^-scale`, e.g. cents with scale 2.
    public init(units: Int128, scale: Int) {
        if scale >= 0 {
            self.init(numerator: units, denominator: Exact.powerOfTen(scale))
        } else {
            self.init(numerator: units * Exact.powerOfTen(-scale), denominator: 1)
        }
    }

    public static let zero = Exact(0)

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

    public static func powerOfTen(_ exponent: Int) -> Int128 {
        precondition(exponent >= 0 && exponent <= 38, "power of ten out of range")
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    public var isZero: Bool { numerator == 0 }
    public var isNegative: Bool { numerator < 0 }

    public static func + (a: Exact, b: Exact) -> Exact {
        if a.denominator == b.denominator {
            return Exact(numerator: a.numerator + b.numerator, denominator: a.denominator)
        }
        return Exact(numerator: a.numerator * b.denominator + b.numerator * a.denominator,
                     denominator: a.denominator * b.denominator)
    }

    public static prefix func - (a: Exact) -> Exact {
        Exact(numerator: -a.numerator, denominator: a.denominator)
    }

    public static func - (a: Exact, b: Exact) -> Exact { a + (-b) }

    public static func * (a: Exact, b: Exact) -> Exact {
        Exact(numerator: a.numerator * b.numerator, denominator: a.denominator * b.denominator)
    }

    /// nil when `b` is zero.
    public func divided(by b: Exact) -> Exact? {
        if b.numerator == 0 { return nil }
        return Exact(numerator: numerator * b.denominator, denominator: denominator * b.numerator)
    }

    public static func < (a: Exact, b: Exact) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    public var magnitude: Exact { isNegative ? -self : self }

    /// The value × 10^decimals rounded to an integer, half away from zero.
    public func roundedUnits(decimals: Int) -> Int128 {
        let scaled = numerator * Exact.powerOfTen(decimals)
        let q = scaled / denominator          // truncates toward zero
        let r = scaled % denominator          // same sign as scaled
        if (r.magnitude * 2) >= denominator.magnitude {
            return scaled < 0 ? q - 1 : q + 1
        }
        return q
    }

    /// Rounded half away from zero to `decimals`, as an exact value.
    public func rounded(decimals: Int) -> Exact {
        Exact(units: roundedUnits(decimals: decimals), scale: decimals)
    }

    /// Written with exactly `decimals` digits after the point, rounded half away from zero.
    public func formatted(decimals: Int) -> String {
        Exact.format(units: roundedUnits(decimals: decimals), decimals: decimals)
    }

    static func format(units: Int128, decimals: Int) -> String {
        let negative = units < 0
        let magnitude = units.magnitude
        var digits = magnitude <= UInt128(UInt64.max) ? String(UInt64(magnitude)) : String(magnitude)
        if decimals > 0 {
            if digits.count <= decimals {
                digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return negative ? "-" + digits : digits
    }

    /// The number of decimals the exact decimal form needs, or nil when the value
    /// has no finite decimal form (a denominator with a prime other than 2 and 5).
    public var decimalPlaces: Int? {
        if denominator == 1 { return 0 }
        let twos = denominator.trailingZeroBitCount
        var d = denominator >> twos
        var fives = 0
        while d % 5 == 0 { d /= 5; fives += 1 }
        return d == 1 ? max(twos, fives) : nil
    }

    /// Plain decimal: no exponent, no thousands separator, no trailing zeros.
    /// A value without a finite decimal form is written rounded to 10 decimals.
    public var plainDecimal: String {
        if denominator == 1 {
            return numerator >= Int128(Int64.min) && numerator <= Int128(Int64.max) ? String(Int64(numerator)) : String(numerator)
        }
        let places = decimalPlaces ?? 10
        var text = formatted(decimals: places)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    public var description: String { plainDecimal }
}
