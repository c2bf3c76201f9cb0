extension Exact {
    /// What a decimal text holds.
    public enum DecimalReading: Equatable, Sendable {
        case value(Exact)
        /// Written as a number, but with more digits or a larger exponent than a yearbook figure may have.
        case outOfRange
        case notANumber
    }

    /// Most significant digits, and largest exponent magnitude, that a decimal may have.
    public static let maximumDigits = 100
    public static let maximumExponent = 100

    /// Parses a plain decimal as SDMX writes it: an optional sign, digits, an
    /// optional fraction and an optional exponent (`1.5E3`). nil for anything
    /// else, `NaN` included, and for magnitudes beyond what a yearbook holds.
    public init?(decimal text: String) {
        guard case .value(let value) = Exact.read(decimal: text) else { return nil }
        self = value
    }

    /// Like `init?(decimal:)`, telling a number out of range from text that is no number.
    public static func read(decimal text: String) -> DecimalReading {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let mantissaEnd = bytes.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? bytes.endIndex
        let mantissa = bytes[..<mantissaEnd]
        let point = mantissa.firstIndex(of: UInt8(ascii: "."))
        var digits = mantissa.filter { $0 != UInt8(ascii: ".") }[...]
        guard !digits.isEmpty, mantissa.filter({ $0 == UInt8(ascii: ".") }).count <= 1,
              digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .notANumber }
        var scale = point.map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        var exponent = 0
        if mantissaEnd < bytes.endIndex {
            let exponentText = bytes[(mantissaEnd + 1)...]
            let exponentDigits = exponentText.first == UInt8(ascii: "-") || exponentText.first == UInt8(ascii: "+")
                ? exponentText.dropFirst() : exponentText
            guard !exponentDigits.isEmpty, exponentDigits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .notANumber }
            guard let e = Int(String(decoding: exponentText, as: UTF8.self)), abs(e) <= maximumExponent else { return .outOfRange }
            exponent = e
        }
        while digits.count > 1, digits.first == 48 { digits = digits.dropFirst() }
        while scale > 0, digits.count > 1, digits.last == 48 {
            digits = digits.dropLast()
            scale -= 1
        }
        guard digits.count <= maximumDigits else { return .outOfRange }
        let units = Exact(fractionText: String(decoding: digits, as: UTF8.self))!
        let value = units.timesPowerOfTen(exponent - scale)
        return .value(negative ? -value : value)
    }

    /// The value × 10^power (SDMX `UNIT_MULT`).
    public func timesPowerOfTen(_ power: Int) -> Exact {
        if power >= 0 { return self * Exact.powerOfTen(power) }
        return divided(by: Exact.powerOfTen(-power))!
    }
}
