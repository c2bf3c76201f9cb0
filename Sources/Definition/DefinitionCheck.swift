import Extract
import Foundation
import Normalize
import Render
import Validate
import Yams
import YearbookCore

/// One mistake in a pipeline definition or its dictionaries, where it is,
/// as compilers print it: `yearbook.yml:12:5: message`.
public struct DefinitionProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public var description: String {
        [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":") + ": " + message
    }
}

extension PipelineDefinition {
    /// A definition read whole: the definition when nothing is wrong, and every problem found.
    public struct Reading: Sendable {
        public var definition: PipelineDefinition?
        public var problems: [DefinitionProblem]
    }

    /// Reads and checks a definition like a compiler: the YAML strictly (no
    /// unknown or duplicate key), every name against the dictionaries, every
    /// headline's placeholders, every rule; all problems at once.
    public static func read(path: String) -> Reading {
        func failed(_ message: String) -> Reading {
            Reading(definition: nil, problems: [DefinitionProblem(file: path, message: message)])
        }
        let data: Data
        do { data = Data(try FileByteStream.contents(path: path)) } catch let error as YearbookError where error.code == .input {
            return failed("cannot read the pipeline definition: \(error.explanation)")
        } catch {
            return failed("cannot read the pipeline definition")
        }
        guard let text = String(data: data, encoding: .utf8) else { return failed("the pipeline definition is not UTF-8") }
        let root: Node
        do {
            guard let document = try Parser(yaml: text).singleRoot() else { return failed("the pipeline definition is empty") }
            root = document
        } catch let error as YamlError {
            return Reading(definition: nil, problems: [DefinitionChecker.syntaxProblem(error, file: path)])
        } catch {
            return failed("\(error)")
        }
        // Aliases can make a short text a tree of billions of values: refused before it is walked.
        guard DefinitionChecker.isSmall(root, limit: DefinitionChecker.mostValues) else {
            return failed("the definition holds more than \(DefinitionChecker.mostValues) values once its aliases are expanded")
        }
        var checker = DefinitionChecker(path: path, decoding: DefinitionDecoding())
        checker.checkDuplicateKeys(root)
        let file: File
        do {
            file = try checker.decoding.decode(File.self, from: root)
        } catch let error as DecodingError {
            checker.checkUnknownKeys(root, unfinished: checker.mappings(along: error.codingPath, from: root))
            checker.report(error)
            return Reading(definition: nil, problems: checker.sorted)
        } catch {
            return failed("\(error)")
        }
        checker.checkUnknownKeys(root)
        let folder = SystemPath.parent(of: path)
        let indicatorsPath = (folder as NSString).appendingPathComponent(file.indicators)
        let chaptersPath = (folder as NSString).appendingPathComponent(file.chapters)
        var indicators: [Indicator]?, chapters: [Chapter]?
        do { indicators = try Dictionaries.loadIndicators(path: indicatorsPath, displayName: indicatorsPath) } catch {
            checker.report(dictionary: error, path: indicatorsPath, named: "indicators")
        }
        do { chapters = try Dictionaries.loadChapters(path: chaptersPath, displayName: chaptersPath) } catch {
            checker.report(dictionary: error, path: chaptersPath, named: "chapters")
        }
        guard let indicators, let chapters else { return Reading(definition: nil, problems: checker.sorted) }
        checker.check(file, indicators: indicators, chapters: chapters, indicatorsPath: indicatorsPath)
        guard checker.problems.isEmpty else { return Reading(definition: nil, problems: checker.sorted) }
        let subject = checker.place(of: "subject")
        return Reading(definition: PipelineDefinition(
            path: path, file: file, indicators: indicators, chapters: chapters,
            sources: [((path as NSString).lastPathComponent, Array(data)),
                      (file.indicators, (try? POSIX.readFile(SystemPath(indicatorsPath))) ?? []),
                      (file.chapters, (try? POSIX.readFile(SystemPath(chaptersPath))) ?? [])],
            subjectPlace: "\(path):\(subject.line):\(subject.column)"), problems: [])
    }
}

/// The checks of one definition, each problem placed by the marks the decoder kept.
struct DefinitionChecker {
    let path: String
    let decoding: DefinitionDecoding
    private(set) var problems: [DefinitionProblem] = []

    init(path: String, decoding: DefinitionDecoding) {
        self.path = path
        self.decoding = decoding
    }

    var sorted: [DefinitionProblem] {
        problems.enumerated().sorted { a, b in
            let left = a.element, right = b.element
            if left.file != right.file { return left.file == path || (right.file != path && left.file < right.file) }
            if (left.line ?? 0, left.column ?? 0) != (right.line ?? 0, right.column ?? 0) {
                return (left.line ?? 0, left.column ?? 0) < (right.line ?? 0, right.column ?? 0)
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func syntaxProblem(_ error: YamlError, file: String) -> DefinitionProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let within = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return DefinitionProblem(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)\(within)")
        case .reader(let problem, let offset, _, _):
            return DefinitionProblem(file: file, message: "YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return DefinitionProblem(file: file, message: "YAML: \(error)")
        }
    }

    /// Line and column of the value at `valuePath` (or of its key), or of the nearest enclosing value known;
    /// `offset` Unicode scalars into a one-line text.
    func place(of valuePath: String, key: Bool = false, offset: Int = 0) -> (line: Int, column: Int) {
        var search = valuePath
        while decoding.values[search] == nil, let cut = search.lastIndex(where: { $0 == "." || $0 == "[" }) {
            search = String(search[..<cut])
        }
        guard let found = decoding.values[search] else { return (1, 1) }
        if key || search != valuePath, let mark = found.keyMark { return (mark.line, mark.column) }
        guard let mark = found.node.mark else { return (1, 1) }
        guard offset > 0, search == valuePath, case .scalar(let scalar) = found.node, !scalar.string.contains("\n") else {
            return (mark.line, mark.column)
        }
        switch scalar.style {
        case .plain: return (mark.line, mark.column + offset)
        case .singleQuoted, .doubleQuoted: return (mark.line, mark.column + 1 + offset)
        default: return (mark.line, mark.column)
        }
    }

    mutating func report(_ message: String, at valuePath: String, key: Bool = false, offset: Int = 0) {
        let (line, column) = place(of: valuePath, key: key, offset: offset)
        problems.append(DefinitionProblem(file: path, line: line, column: column, message: message))
    }

    mutating func report(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            let within = DefinitionDecoding.name(of: context.codingPath)
            report("missing key '\(key.stringValue)'\(within.isEmpty ? "" : " in \(within)")", at: within)
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let at = DefinitionDecoding.name(of: context.codingPath)
            // A type's own message may already name its key (`each: expected 'all' or a list`).
            let named = context.codingPath.last.map { context.debugDescription.hasPrefix($0.stringValue + ":") } ?? false
            report(named ? context.debugDescription : "\(at.isEmpty ? "the definition" : at): \(context.debugDescription)", at: at)
        @unknown default:
            report("\(error)", at: "")
        }
    }

    mutating func report(dictionary error: Error, path dictionary: String, named key: String) {
        if let error = error as? YearbookError, error.code == .input, let location = error.location, POSIX.exists(SystemPath(dictionary)) {
            problems.append(DefinitionProblem(file: location.file, line: location.line, message: error.explanation))
        } else {
            report("cannot read \(key) dictionary \(dictionary)", at: key)
        }
    }

    static let mostValues = 100_000

    /// Whether the tree has at most `limit` nodes (counted until the limit, so a bomb stops early).
    static func isSmall(_ root: Node, limit: Int) -> Bool {
        var budget = limit
        func walk(_ node: Node) -> Bool {
            budget -= 1
            guard budget >= 0 else { return false }
            switch node {
            case .mapping(let mapping): return mapping.allSatisfy { walk($0.key) && walk($0.value) }
            case .sequence(let sequence): return sequence.allSatisfy(walk)
            case .scalar: return true
            }
        }
        return walk(root)
    }

    /// A key given twice in one mapping: YAML would keep one of them silently.
    mutating func checkDuplicateKeys(_ node: Node) {
        switch node {
        case .mapping(let mapping):
            var first: [String: Mark] = [:]
            for (key, value) in mapping {
                if let name = key.string, let mark = key.mark {
                    if let earlier = first[name] {
                        problems.append(DefinitionProblem(file: path, line: mark.line, column: mark.column,
                                                          message: "duplicate key '\(name)' (first on line \(earlier.line))"))
                    } else {
                        first[name] = mark
                    }
                }
                checkDuplicateKeys(value)
            }
        case .sequence(let sequence): sequence.forEach { checkDuplicateKeys($0) }
        case .scalar: break
        }
    }

    /// The mappings on the way to a value whose decoding failed: their types stopped before asking for every key.
    func mappings(along path: [CodingKey], from root: Node) -> Set<DefinitionDecoding.Position> {
        var found: Set<DefinitionDecoding.Position> = []
        var node: Node? = root
        for key in path + [nil] as [CodingKey?] {
            switch node {
            case .mapping(let mapping)?:
                found.insert(DefinitionDecoding.Position(mapping.mark))
                node = key.flatMap { key in mapping.first { $0.key.string == key.stringValue }?.value }
            case .sequence(let sequence)?:
                node = key?.intValue.flatMap { $0 < sequence.count ? Array(sequence)[$0] : nil }
            default:
                node = nil
            }
        }
        return found
    }

    /// A key that no type asked for: a misspelling the decoder would ignore.
    /// `unfinished`: mappings whose decoding stopped at an error, whose keys cannot be judged.
    mutating func checkUnknownKeys(_ node: Node, unfinished: Set<DefinitionDecoding.Position> = []) {
        switch node {
        case .mapping(let mapping):
            let position = DefinitionDecoding.Position(mapping.mark)
            let open = decoding.openMappings.contains(position) || unfinished.contains(position)
            let asked = decoding.askedKeys[position]
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                if !open, let asked, !asked.contains(name) {
                    let hint = Spelling.closest(to: name, in: asked).map { "; did you mean '\($0)'?" }
                        ?? " (known keys here: \(asked.joined(separator: ", ")))"
                    problems.append(DefinitionProblem(file: path, line: key.mark?.line, column: key.mark?.column,
                                                      message: "unknown key '\(name)'\(hint)"))
                } else if !open, value.isNull {
                    // Read as absent, an emptied key would quietly take its default (no small-cell rule, 10% rejects).
                    problems.append(DefinitionProblem(file: path, line: key.mark?.line, column: key.mark?.column,
                                                      message: "'\(name)' has no value: write one, or remove the key to take its default"))
                } else {
                    checkUnknownKeys(value, unfinished: unfinished)
                }
            }
        case .sequence(let sequence): sequence.forEach { checkUnknownKeys($0, unfinished: unfinished) }
        case .scalar: break
        }
    }

    /// Every name the definition uses must exist, every headline must print, every rule must read.
    mutating func check(_ file: PipelineDefinition.File, indicators: [Indicator], chapters: [Chapter], indicatorsPath: String) {
        let byCode = Dictionary(indicators.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let codes = indicators.map(\.code)
        let chapterIDs = chapters.map(\.id)
        func unknownIndicator(_ code: String) -> String { "unknown indicator '\(code)'\(Spelling.suggestion(for: code, in: codes))" }

        for indicator in indicators {
            func dictionaryProblem(_ message: String) {
                problems.append(DefinitionProblem(file: indicatorsPath, message: "indicator \(indicator.code): \(message)"))
            }
            if !chapterIDs.contains(indicator.chapter) {
                dictionaryProblem("chapter '\(indicator.chapter)' is not in chapters.csv\(Spelling.suggestion(for: indicator.chapter, in: chapterIDs))")
            }
            if indicator.source == .derived {
                do {
                    for operand in try Formula.parse(indicator.formula).operands where byCode[operand] == nil {
                        dictionaryProblem("its formula reads \(unknownIndicator(operand))")
                    }
                } catch { dictionaryProblem("\(error)") }
            }
            if let roster = indicator.roster, let schema = RosterSchema.named(roster) {
                do { _ = try RosterMeasure(indicator: indicator.code, formula: indicator.formula, schema: schema) } catch {
                    dictionaryProblem("\(error)")
                }
            }
        }

        var columnsSeen: Set<String> = []
        for (index, column) in (file.columns ?? []).enumerated() {
            if !Presentation.allColumns.contains(column) {
                report("unknown column kind '\(column)'\(Spelling.suggestion(for: column, in: Presentation.allColumns)) "
                       + "(known: \(Presentation.allColumns.joined(separator: ", ")))", at: "columns[\(index)]")
            } else if !columnsSeen.insert(column).inserted {
                report("column '\(column)' is listed twice", at: "columns[\(index)]")
            }
        }

        let units = file.units ?? [:]
        let usedUnits = indicators.map(\.unit)
        for unit in units.keys.sorted() where !usedUnits.contains(unit) {
            report("unit '\(unit)' is the unit of no indicator in indicators.csv\(Spelling.suggestion(for: unit, in: Set(usedUnits).sorted()))",
                   at: "units.\(unit)", key: true)
        }
        var unlabelled: [String] = []
        for indicator in indicators where units[indicator.unit] == nil && !unlabelled.contains(indicator.unit) {
            unlabelled.append(indicator.unit)
            report("unit '\(indicator.unit)' of \(indicator.code) (\(indicator.nameZH)) has no label under units; "
                   + "its tables would print the code", at: "units", key: true)
        }

        for chapter in (file.content ?? [:]).keys.sorted() {
            let layout = file.content![chapter]!
            let at = "content.\(chapter)"
            if !chapterIDs.contains(chapter) {
                report("unknown chapter '\(chapter)'\(Spelling.suggestion(for: chapter, in: chapterIDs))", at: at, key: true)
            }
            for (index, code) in (layout.key ?? []).enumerated() where byCode[code] == nil {
                report(unknownIndicator(code), at: "\(at).key[\(index)]")
            }
            var tableIDs: Set<String> = []
            for (index, table) in (layout.tables ?? []).enumerated() {
                if !tableIDs.insert(table.id).inserted { report("table \(table.id) is defined twice", at: "\(at).tables[\(index)].id") }
                if table.groups.isEmpty { report("table \(table.id) has no column group", at: "\(at).tables[\(index)]") }
                for (groupIndex, group) in table.groups.enumerated() {
                    let groupAt = "\(at).tables[\(index)].groups[\(groupIndex)]"
                    if group.columns.isEmpty { report("table \(table.id) has a column group without columns", at: groupAt) }
                    for (columnIndex, column) in group.columns.enumerated() where byCode[column.indicator] == nil {
                        report(unknownIndicator(column.indicator), at: "\(groupAt).columns[\(columnIndex)].indicator")
                    }
                }
            }
            for (list, codes) in [("charts", layout.charts), ("trends", layout.trends)] {
                for (index, code) in (codes ?? []).enumerated() where byCode[code] == nil {
                    report(unknownIndicator(code), at: "\(at).\(list)[\(index)]")
                }
            }
            for (index, code) in (layout.rankings ?? []).enumerated() {
                if byCode[code] == nil {
                    report(unknownIndicator(code), at: "\(at).rankings[\(index)]")
                } else if byCode[code]!.rank == nil {
                    report("\(code) is not ranked (indicators.csv gives it no rank order)", at: "\(at).rankings[\(index)]")
                }
            }
            for (index, headline) in (layout.headlines ?? []).enumerated() {
                for (language, text) in [("zh", headline.zh), ("en", headline.en)] {
                    for finding in HeadlineCheck.check(text, indicators: byCode, chinese: language == "zh") {
                        report(finding.message, at: "\(at).headlines[\(index)].\(language)", offset: finding.offset)
                    }
                }
            }
        }

        if let share = file.rosters?.maxRejectedShare, RosterJudgement.share(percentage: share) == nil {
            report("\(RosterJudgement.definitionKey): '\(share)' is not a percentage from 0% to 100% (write it like 10% or 2.5%); "
                   + "it is the share of a roster file's rows that may be rejected before the file is an error", at: RosterJudgement.definitionKey)
        }

        if let minUnits = file.disclosure?.minUnits, PipelineDefinition.DisclosureRules.minUnits(minUnits) == nil {
            report("\(PipelineDefinition.DisclosureRules.minUnitsKey): '\(minUnits)' is not a whole number from 0 up (write it like 3, or 0 to withhold nothing); "
                   + "a roster figure counted from fewer active households or persons than this is withheld from release", at: PipelineDefinition.DisclosureRules.minUnitsKey)
        }

        var ruleIDs: Set<String> = []
        for (index, rule) in (file.rules ?? []).enumerated() {
            let at = "rules[\(index)]"
            if !ruleIDs.insert(rule.id).inserted { report("rule \(rule.id) is defined twice", at: "\(at).id") }
            if !["error", "warning"].contains(rule.severity) {
                report("rule \(rule.id): severity '\(rule.severity)' is not error or warning", at: "\(at).severity")
            }
            if case .codes(let list) = rule.each {
                for (position, code) in list.enumerated() where byCode[code] == nil {
                    report("rule \(rule.id): \(unknownIndicator(code))", at: "\(at).each[\(position)]")
                }
            }
            for (position, level) in (rule.levels ?? []).enumerated() where AreaLevel(rawValue: level) == nil {
                report("rule \(rule.id): level '\(level)' is not province, prefecture or county", at: "\(at).levels[\(position)]")
            }
            for (position, period) in (rule.periods ?? []).enumerated() where !["current", "previous"].contains(period) {
                report("rule \(rule.id): period '\(period)' is not current or previous", at: "\(at).periods[\(position)]")
            }
            if let minBase = rule.minBase, rule.minimumBase?.isNegative ?? true {
                report("rule \(rule.id): min_base '\(minBase)' is not a number of 0 or more (e.g. min_base: 10)", at: "\(at).min_base")
            } else if rule.minBase != nil, rule.check.flatMap({ try? Condition.parse($0) }).map({
                ($0.left.previousOperands + $0.right.previousOperands).isEmpty
            }) ?? true {
                report("rule \(rule.id): min_base applies only to a check that reads previous(CODE); remove it or compare with last year",
                       at: "\(at).min_base")
            }
            switch rule.effectiveKind {
            case .completeness:
                if rule.each == nil { report("rule \(rule.id): a completeness rule needs 'each'", at: at) }
            case .condition:
                guard let check = rule.check else {
                    report("rule \(rule.id) has no check", at: at)
                    continue
                }
                do {
                    let condition = try Condition.parse(check)
                    let allowed = rule.each == nil ? Set(codes) : Set(codes).union(["value"])
                    for operand in condition.left.operands + condition.right.operands where !allowed.contains(operand) {
                        report("rule \(rule.id): \(unknownIndicator(operand))", at: "\(at).check")
                    }
                } catch {
                    report("rule \(rule.id): \(error)", at: "\(at).check")
                }
            }
        }
    }
}

extension DecodingError {
    /// Where the decoding failed, whatever the case.
    var codingPath: [CodingKey] {
        switch self {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .dataCorrupted(let context):
            return context.codingPath
        @unknown default:
            return []
        }
    }
}
