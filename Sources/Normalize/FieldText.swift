/// The normalization every roster field gets (contract section 3): surrounding
/// whitespace trimmed (U+3000 too), full-width digits folded to ASCII.
enum FieldText {
    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// Trims ASCII whitespace from an ASCII field.
    @inline(__always)
    static func trimASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, isASCIISpace(bytes[start]) { start += 1 }
        while end > start, isASCIISpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Trims Unicode whitespace and folds full-width digits ０-９.
    static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value >= 0xFF10 && scalar.value <= 0xFF19 {
                scalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            } else {
                scalars.append(scalar)
            }
        }
        let folded = String(scalars)
        return String(folded.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// A header cell as a lookup key: normalized, full-width parentheses folded,
    /// ASCII letters lowercased.
    static func headerKey(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in normalize(text).unicodeScalars {
            switch scalar.value {
            case 0xFF08: scalars.append("(")
            case 0xFF09: scalars.append(")")
            case 0x41...0x5A: scalars.append(Unicode.Scalar(scalar.value + 32)!)
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A word as a lookup key: ASCII letters lowercased.
    static func wordKey(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            (0x41...0x5A).contains($0.value) ? Unicode.Scalar($0.value + 32)! : $0
        }))
    }
}

/// A decimal number as county exports write it, parsed from ASCII bytes.
struct WrittenNumber: Equatable {
    var units: Int64
    /// Digits written after the decimal point.
    var scale: Int
    var negative: Bool

    /// An optional sign, digits with optional thousands separators in proper
    /// 3-digit groups (`1,234.50`; `12,34` is not a number), an optional fraction.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> WrittenNumber? {
        var i = 0
        let n = bytes.count
        var negative = false
        if i < n, bytes[i] == 0x2D || bytes[i] == 0x2B {
            negative = bytes[i] == 0x2D
            i += 1
        }
        var units: Int64 = 0
        var digits = 0
        var groupDigits = 0
        var sawSeparator = false
        var integerDigits = 0
        while i < n {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
                integerDigits += 1
                groupDigits += 1
                if digits > 17 { return nil }
                units = units * 10 + Int64(b - 0x30)
            } else if b == 0x2C {
                // The group before a separator: 1-3 digits first, exactly 3 after.
                if groupDigits == 0 || groupDigits > 3 || (sawSeparator && groupDigits != 3) { return nil }
                sawSeparator = true
                groupDigits = 0
            } else {
                break
            }
            i += 1
        }
        if sawSeparator && groupDigits != 3 { return nil }
        var scale = 0
        if i < n, bytes[i] == 0x2E {
            i += 1
            while i < n, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                digits += 1
                scale += 1
                if digits > 17 { return nil }
                units = units * 10 + Int64(bytes[i] - 0x30)
                i += 1
            }
        }
        if i != n || digits == 0 { return nil }
        return WrittenNumber(units: units, scale: scale, negative: negative && units != 0)
    }
}
