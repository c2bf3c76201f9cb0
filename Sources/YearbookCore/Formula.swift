/// The formula of a derived indicator, e.g. `BEDS_TOTAL / POP_60PLUS * 1000`:
/// indicator codes and numbers joined by `+ - * /` and parentheses. Rules may
/// also call `abs(x)`, `min(x, y)`, `max(x, y)` and `previous(CODE)` (the
/// value of the year before).
public indirect enum Formula: Sendable, Equatable {
    case indicator(String)
    case number(Exact)
    case binary(Character, Formula, Formula)
    case call(String, [Formula])

    public static let functions = ["abs": 1, "min": 2, "max": 2, "previous": 1]

    /// A formula of the definition that does not parse: `formula 'A +': ends too early`.
    public static func parseError(formula: String, message: String) -> YearbookError {
        .definition("formula '\(formula)': \(message)")
    }

    public static func parse(_ text: String) throws -> Formula {
        var parser = Parser(text: text)
        let formula = try parser.expression()
        parser.skipSpaces()
        if parser.index < parser.chars.count {
            throw parseError(formula: text, message: "unexpected '\(parser.chars[parser.index])'")
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
        case .call(_, let arguments):
            var result: [String] = []
            for code in arguments.flatMap(\.operands) where !result.contains(code) { result.append(code) }
            return result
        }
    }

    /// The indicator codes read through `previous(CODE)`, in order of first use.
    public var previousOperands: [String] {
        switch self {
        case .indicator, .number: return []
        case .binary(_, let left, let right):
            var result = left.previousOperands
            for code in right.previousOperands where !result.contains(code) { result.append(code) }
            return result
        case .call(let function, let arguments):
            if function == "previous" { return arguments[0].operands }
            var result: [String] = []
            for code in arguments.flatMap(\.previousOperands) where !result.contains(code) { result.append(code) }
            return result
        }
    }

    /// The formula with indicator `name` replaced by `code` (a rule's `value`).
    public func substituting(_ name: String, with code: String) -> Formula {
        switch self {
        case .indicator(let found): return .indicator(found == name ? code : found)
        case .number: return self
        case .binary(let op, let left, let right):
            return .binary(op, left.substituting(name, with: code), right.substituting(name, with: code))
        case .call(let function, let arguments):
            return .call(function, arguments.map { $0.substituting(name, with: code) })
        }
    }

    /// nil when an operand has no value or a denominator is zero. `previous`
    /// gives the value of the year before, for `previous(CODE)`.
    public func evaluate(_ value: (String) -> Exact?, previous: (String) -> Exact? = { _ in nil }) -> Exact? {
        switch self {
        case .indicator(let code): return value(code)
        case .number(let number): return number
        case .call(let function, let arguments):
            if function == "previous" {
                guard case .indicator(let code) = arguments[0] else { return nil }
                return previous(code)
            }
            var values: [Exact] = []
            for argument in arguments {
                guard let v = argument.evaluate(value, previous: previous) else { return nil }
                values.append(v)
            }
            switch function {
            case "abs": return values[0].magnitude
            case "min": return min(values[0], values[1])
            default: return max(values[0], values[1])
            }
        case .binary(let op, let left, let right):
            guard let a = left.evaluate(value, previous: previous), let b = right.evaluate(value, previous: previous) else { return nil }
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
        /// Factors being parsed inside one another: bounded, so no formula can exhaust the stack.
        var depth = 0
        static let maximumDepth = 64

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
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maximumDepth else {
                throw parseError(formula: text, message: "nested deeper than \(Parser.maximumDepth) levels")
            }
            skipSpaces()
            guard index < chars.count else { throw parseError(formula: text, message: "ends too early") }
            let c = chars[index]
            if c == "(" {
                index += 1
                let inner = try expression()
                skipSpaces()
                guard index < chars.count, chars[index] == ")" else {
                    throw parseError(formula: text, message: "missing ')'")
                }
                index += 1
                return inner
            }
            var token = ""
            while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" || chars[index] == "." {
                token.append(chars[index])
                index += 1
            }
            if token.isEmpty { throw parseError(formula: text, message: "unexpected '\(c)'") }
            if token.first!.isNumber {
                guard let number = Exact(decimal: token) else {
                    throw parseError(formula: text, message: "bad number '\(token)'")
                }
                return .number(number)
            }
            skipSpaces()
            if index < chars.count, chars[index] == "(" {
                guard let arity = Formula.functions[token] else {
                    throw parseError(formula: text, message: "unknown function '\(token)'")
                }
                index += 1
                var arguments = [try expression()]
                skipSpaces()
                while index < chars.count, chars[index] == "," {
                    index += 1
                    arguments.append(try expression())
                    skipSpaces()
                }
                guard index < chars.count, chars[index] == ")" else {
                    throw parseError(formula: text, message: "missing ')' after the arguments of \(token)")
                }
                index += 1
                guard arguments.count == arity else {
                    throw parseError(formula: text, message: "\(token) takes \(arity) argument\(arity == 1 ? "" : "s")")
                }
                if token == "previous", case .indicator = arguments[0] {} else if token == "previous" {
                    throw parseError(formula: text, message: "previous() takes an indicator code")
                }
                return .call(token, arguments)
            }
            return .indicator(token)
        }
    }
}
