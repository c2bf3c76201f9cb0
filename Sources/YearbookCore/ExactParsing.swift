extension Exact {
    /// Parses a plain decimal as SDMX writes it: an optional sign, digits, an
    /// optional fraction and an optional exponent (`1.5E3`). nil for anything
    /// else, `NaN` included, and for magnitudes beyond what a yearbook holds.
    public init?(decimal text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var units: Int128 = 0
        var scale = 0
        var digitCount = 0
        var seenPoint = false
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let b = bytes[index]
            if b >= 48 && b <= 57 {
                if digitCount >= 30 { return nil }
                if units != 0 || b != 48 { digitCount += 1 }
                units = units * 10 + Int128(b - 48)
                if seenPoint { scale += 1 }
            } else if b == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                break
            } else {
                return nil
            }
            index += 1
        }
        let mantissaDigits = bytes[bytes.startIndex..<index].filter { $0 >= 48 && $0 <= 57 }.count
        if mantissaDigits == 0 { return nil }
        if index < bytes.endIndex {
            guard let e = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)), abs(e) <= 30 else { return nil }
            exponent = e
        }
        let totalScale = scale - exponent
        if totalScale < -30 || totalScale > 30 || digitCount - totalScale > 30 { return nil }
        self.init(units: negative ? -units : units, scale: totalScale)
    }

    /// The value × 10^power (SDMX `UNIT_MULT`).
    public func timesPowerOfTen(_ power: Int) -> Exact {
        if power >= 0 { return self * Exact(numerator: Exact.powerOfTen(power), denominator: 1) }
        return Exact(numerator: numerator, denominator: denominator * Exact.powerOfTen(-power))
    }
}

