import YearbookCore

// Any bytes as SDMX values, UNIT_MULTs and a derived indicator's formula: every
// value is exact or refused, arithmetic never traps, and the identities of exact
// arithmetic hold whatever the number of decimals or the exponent.
// Input: lines "value [UNIT_MULT]" for A, B, C, then a formula over A, B and C.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExact(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var values: [String: Exact] = [:]
    for (name, line) in zip(["A", "B", "C"], lines) {
        let parts = line.split(separator: " ")
        guard let first = parts.first, case .value(let read) = Exact.read(decimal: String(first)) else { continue }
        let power = parts.count > 1 ? Int(parts[1]).map { max(-12, min(12, $0)) } ?? 0 : 0
        values[name] = read.timesPowerOfTen(power)
    }
    let all = values.values.sorted()
    for a in all {
        precondition(Exact(fractionText: a.fractionText) == a, "fraction text does not read back")
        precondition(a.rounded(decimals: 4).formatted(decimals: 4) == a.formatted(decimals: 4), "rounding disagrees")
        precondition((a - a.rounded(decimals: 4)).magnitude <= Exact(numerator: 1, denominator: 20_000), "rounded too far")
        precondition(-(-a) == a && (a - a).isZero, "negation")
        for b in all {
            precondition((a + b) - b == a, "a + b - b != a")
            precondition(a + b == b + a && a * b == b * a, "not commutative")
            precondition([a < b, b < a, a == b].filter { $0 }.count == 1, "order")
            if let quotient = a.divided(by: b) { precondition(quotient * b == a, "(a / b) * b != a") }
        }
    }
    if lines.count > 3, let formula = try? Formula.parse(lines[3]) {
        _ = formula.evaluate({ values[$0] }, previous: { values[$0] })?.formatted(decimals: 4)
    }
    return 0
}
