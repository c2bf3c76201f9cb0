/// The formula of a derived indicator, e.g. `BEDS_TOTAL / POP_60PLUS * 1000`:
/// indicator codes and numbers joined by `+ - * /` and parentheses.
public indirect enum Formula: Sendable, Equatable {
    case indicator(String)
    case number(Exact)
    case binary(Character, Formula, Formula)

    public struct ParseError: Error, CustomStringConvertible {
        public var formula: String
        public var message: String
        public var description: String { "formula '\(formula)': \(message)" }

        public init(formula: String, message: String) {
            self.formula = formula
            self.message = message
        }
    }

    public static func parse(_ text: String) throws -> Formula {
        var parser = Parser(text: text)
        let formula = try parser.expression()
        parser.skipSpaces()
        if parser.index < parser.chars.count {
            throw ParseError(formula: text, message: "unexpected '\(parser.chars[parser.index])'")
        }
        return formula
    }

    /// The indicator codes the formula reads, in order of first use.
    public var operands: [String] {
        switch self {
        case .indicator(let code): return [code]
        case .number: return []
        case .binary(_, let left, let right):
            var result = left.operands
            for code in right.operands where !result.contains(code) { result.append(code) }
            return result
        }
    }

    /// nil when an operand has no value or a denominator is zero.
    public func evaluate(_ value: (String) -> Exact?) -> Exact? {
        switch self {
        case .indicator(let code): return value(code)
        case .number(let number): return number
        case .binary(let op, let left, let right):
            guard let a = left.evaluate(value), let b = right.evaluate(value) else { return nil }
            switch op {
            case "+": return a + b
            case "-": return a - b
            case "*": return a * b
            default: return a.divided(by: b)
            }
        }
    }

    private struct Parser {
        let text: String
        let chars: [Character]
        var index = 0

        init(text: String) {
            self.text = text
            chars = Array(text)
        }

        mutating func skipSpaces() {
            while index < chars.count, chars[index] == " " { index += 1 }
        }

        mutating func expression() throws -> Formula {
            var left = try term()
            while true {
                skipSpaces()
                guard index < chars.count, chars[index] == "+" || chars[index] == "-" else { return left }
                let op = chars[index]
                index += 1
                left = .binary(op, left, try term())
            }
        }

        mutating func term() throws -> Formula {
            var left = try factor()
            while true {
                skipSpaces()
                guard index < chars.count, chars[index] == "*" || chars[index] == "/" else { return left }
                let op = chars[index]
                index += 1
                left = .binary(op, left, try factor())
            }
        }

        mutating func factor() throws -> Formula {
            skipSpaces()
            guard index < chars.count else { throw ParseError(formula: text, message: "ends too early") }
            let c = chars[index]
            if c == "(" {
                index += 1
                let inner = try expression()
                skipSpaces()
                guard index < chars.count, chars[index] == ")" else {
                    throw ParseError(formula: text, message: "missing ')'")
                }
                index += 1
                return inner
            }
            var token = ""
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" || chars[index] == "." {
                token.append(chars[index])
                index += 1
            }
            if token.isEmpty { throw ParseError(formula: text, message: "unexpected '\(c)'") }
            if token.first!.isNumber {
                guard let number = Exact(decimal: token) else {
                    throw ParseError(formula: text, message: "bad number '\(token)'")
                }
                return .number(number)
            }
            return .indicator(token)
        }
    }
}
