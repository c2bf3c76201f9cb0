import Aggregate
import Definition
import Disclose
import EditionFiles
import Extract
import Foundation
import Normalize
import Outputs
import Reconcile
import Render
import Validate
import Workbook
import YearbookCore

/// What one input file gave.
public enum ExtractedFile: Sendable {
    case roster(RosterFileResult)
    case submission(SubmissionFileResult)
    /// The file could not be read at all.
    case unreadable(Problem)
}

/// Every problem of the build, in the order the stages found them, and the
/// input counts the terminal summary shows.
public struct Findings: Sendable {
    public var problems = ProblemList()
    public var counts = InputCounts()
}


/// What the rules found: each rule's result, and the problems to report.
public typealias ValidationOutcome = (results: [RuleResult], problems: ProblemList)

/// An output target's files, as recorded in the manifest, and whether they
/// are stale (a full build would write them differently).
public struct OutputRecord: Sendable {
    public var entries: [Manifest.FileEntry]
    public var stale: Bool
    /// The SHA-256 of each file as a full build writes it (for a stale file: what was made, not what is published).
    public var digests: [String: String] = [:]
}

/// The yearbook's build as a graph of named targets: what each reads and
/// what its key is made of. The stages' logic lives in their own modules;
/// a target only calls its stage.
public struct YearbookTargets: Sendable {
    public static let registry = TargetRef<AreaRegistry>("registry")
    public static let revisions = TargetRef<Revisions.Result>("revisions")
    public static let baseDataset = TargetRef<BaseDataset>("base-dataset")
    // The aggregation, the ranks, what is withheld and the findings are kept for the next build: what a chapter reads when no input changed.
    public static let aggregation = TargetRef<Aggregation.Result>(
        "aggregation", caching: .bytes(Aggregation.Result.self, encode: { $0.encode(into: &$1) }, decode: { try Aggregation.Result(decoding: $0) }))
    public static let ranks = TargetRef<[RankingRow]>(
        "ranks", caching: .bytes([RankingRow].self, encode: { RankingCoding.encode($0, into: &$1) }, decode: { try RankingCoding.decoded($0) }))
    public static let validation = TargetRef<ValidationOutcome>("validation")
    public static let disclosure = TargetRef<Disclosure.Result>(
        "disclosure", caching: .bytes(Disclosure.Result.self, encode: { $0.encode(into: &$1) }, decode: { try Disclosure.Result(decoding: $0) }))
    /// At national scale tens of megabytes of warnings: written and read a record at a time.
    public static let findings = TargetRef<Findings>(
        "findings", caching: .records(Findings.self, write: { try $0.write(after: $1, to: $2) }, read: { try Findings(reading: $0) }))
    public static let buildResult = TargetRef<StageResults>("build-result")
    /// The targets whose results the cache keeps in files of their own: what a chapter's rebuild reads.
    static let kept: [(name: String, caching: TargetCaching)] = [
        (aggregation.name, aggregation.caching!), (ranks.name, ranks.caching!), (disclosure.name, disclosure.caching!),
        (findings.name, findings.caching!),
    ]
    public static let edition = TargetRef<Edition>("edition")
    public static func extract(_ name: String) -> TargetRef<ExtractedFile> { TargetRef("extract:\(name)", kind: .extraction) }
    public static func chapter(_ id: String) -> TargetRef<OutputFiles> { TargetRef("chapter:\(id)", kind: .chapter) }
    public static let index = TargetRef<OutputFiles>("index", kind: .output)
    public static let definitions = "definitions"
    public static let reportsIndex = "reports:index"
    public static let workbook = WorkbookWriter.fileName

    public var graph = TargetGraph()
    /// What the workbook prints of the definition beside the other outputs' content (its content digest reads it).
    public let workbookDefinition: String
    /// Output targets, in the order a full build makes them (largest first).
    public var outputs: [String] = []
    /// The files each output target writes.
    public var outputFiles: [String: [String]] = [:]
    /// Where a target writes as many files as the data gives (a chapter's charts): their paths' beginnings.
    public var outputPrefixes: [String: [String]] = [:]

    /// The targets of one build of `year`.
    /// - Parameters:
    ///   - digests: SHA-256 of each input file (areas.csv and the tree's files) by its name in the tree.
    ///   - known: each input's digest with its stamp when hashed: its extraction checks the stamp instead of hashing again.
    ///   - registry: the registry already read (the targets' keys need it first).
    ///   - rejectSpool: where a roster's extraction under a key spools its rejected rows.
    ///   - outputFolder: where the outputs that write their own file (the database, the workbook) write it.
    public init(definition: PipelineDefinition, tree: InputTree, registry: AreaRegistry, areasBytes: [UInt8],
                digests: [String: String], sizes: [String: Int], known: [String: KnownContent] = [:], limits: ReadLimits,
                history: EditionHistory.Loaded,
                progress: Progress?, rejectSpool: @escaping @Sendable (TargetKey) -> SystemPath,
                outputFolder: OutputFolder) throws {
        let year = tree.year
        let periods = [year - 1, year]
        let indicators = definition.indicators
        let byCode = Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) })
        let names = IndicatorNames(indicators)
        let measures = try definition.measures()
        let presentation = definition.presentation
        let periodsPart = KeyPart("build year", text: "\(year)")
        let texts = DefinitionTexts(definition)
        workbookDefinition = texts.workbook
        let indicatorsPart = KeyPart("definition indicators.csv", text: texts.indicators)
        let limitsPart = KeyPart("read limits", text: "\(limits.maxDecompressedBytes) \(limits.maxRecordBytes)")

        graph.add(Target(Self.registry, parts: [KeyPart("input areas.csv", bytes: areasBytes)]) { _ in registry })
        let areasEntry = Manifest.entry("areas.csv", areasBytes)

        // Extract and normalize: one target per input file, its key the file's content.
        var rosterReaders: [String: RosterReader] = [:]
        var rosterParts: [String: KeyPart] = [:]
        for schema in RosterSchema.all {
            let schemaMeasures = measures[schema.name] ?? []
            rosterReaders[schema.name] = RosterReader(schema: schema, measures: schemaMeasures, registry: registry, limits: limits)
            rosterParts[schema.name] = KeyPart("definition measures of the \(schema.name) roster",
                                               text: texts.indicators(ofRoster: schema.name))
        }
        let submissionReader = SubmissionReader(indicators: byCode, registry: registry, periods: Set(periods), limits: limits)
        var rosterNames: [String] = [], submissionNames: [String] = []
        func inputPart(_ name: String) -> KeyPart { KeyPart("input \(name)", digest: digests[name] ?? "missing") }
        for file in tree.rosters {
            let reader = rosterReaders[file.roster]!
            let ref = Self.extract(file.name)
            let parts = [inputPart(file.name), rosterParts[file.roster]!, limitsPart]
            // Named by the key, the spool of a cached extraction is found with it.
            let key = graph.key(of: ref.name, reads: [Self.registry.name], parts: parts)
            let spool = rejectSpool(key)
            graph.add(Target(ref, reads: [Self.registry.name], parts: parts, cost: sizes[file.name] ?? 0) { _ in
                do {
                    let roster = try reader.read(path: file.path, displayName: file.name, county: file.county, year: file.year,
                                                 rejectsAt: spool, known: known[file.name])
                    progress?.fileDone(rosterRows: roster.rowsRead, observations: 0)
                    return .roster(roster)
                } catch let error as YearbookError where error.code == .input {
                    progress?.fileDone(rosterRows: 0, observations: 0)
                    // The county and year it leaves without figures: the summary lists their missing values as its consequences.
                    return .unreadable(.error(.unreadable, error.explanation, file: file.name, line: error.location?.line,
                                              area: file.county, period: file.year))
                }
            }, key: key)
            rosterNames.append(ref.name)
        }
        for file in tree.submissions {
            let ref = Self.extract(file.name)
            graph.add(Target(ref, reads: [Self.registry.name], parts: [inputPart(file.name), indicatorsPart, periodsPart, limitsPart],
                             cost: sizes[file.name] ?? 0) { _ in
                do {
                    let submission = try submissionReader.read(systemPath: file.systemPath, displayName: file.name, folderYear: file.year,
                                                               known: known[file.name])
                    progress?.fileDone(rosterRows: 0, observations: submission.observationsRead)
                    return .submission(submission)
                } catch let error as YearbookError where error.code == .input {
                    progress?.fileDone(rosterRows: 0, observations: 0)
                    return .unreadable(.error(.unreadable, error.explanation, file: file.name, line: error.location?.line))
                }
            })
            submissionNames.append(ref.name)
        }
        let rosterTargets = rosterNames, submissionTargets = submissionNames
        // On a terminal, the stage a target belongs to is shown as it starts.
        let shown = progress != nil
        @Sendable func stage(_ name: String) { Progress.stage(name, shown: shown) }
        let extractTargets = rosterTargets + submissionTargets
        @Sendable func extracted(_ results: TargetResults, _ names: [String]) -> [ExtractedFile] {
            names.map { results[TargetRef<ExtractedFile>($0)] }
        }

        // Reconcile: revisions, then rosters against submissions.
        graph.add(Target(Self.revisions, reads: [Self.registry.name] + submissionTargets) { results in
            stage("reconcile")
            let observations = extracted(results, submissionTargets).flatMap { file -> [SubmittedObservation] in
                if case .submission(let submission) = file { return submission.observations }
                return []
            }
            return Revisions.resolve(observations, registry: results[Self.registry], names: names)
        })
        graph.add(Target(Self.baseDataset, reads: [Self.registry.name, Self.revisions.name] + rosterTargets, parts: [indicatorsPart]) { results in
            let rosters = extracted(results, rosterTargets).compactMap { file -> RosterFileResult? in
                if case .roster(let roster) = file { return roster }
                return nil
            }
            return BaseDataset.reconcile(rosters: rosters, submissions: results[Self.revisions],
                                         indicators: byCode, registry: results[Self.registry])
        })

        // Aggregate, rank, validate.
        graph.add(Target(Self.aggregation, reads: [Self.registry.name, Self.baseDataset.name], parts: [indicatorsPart, periodsPart]) { results in
            stage("aggregate")
            let base = results[Self.baseDataset]
            return try Aggregation.run(base: base.observations, units: base.units, indicators: indicators,
                                       registry: results[Self.registry], periods: periods)
        })
        graph.add(Target(Self.ranks, reads: [Self.registry.name, Self.aggregation.name], parts: [indicatorsPart, periodsPart]) { results in
            Ranking.table(observations: results[Self.aggregation].observations, indicators: indicators,
                          registry: results[Self.registry], year: year)
        })
        let rules = definition.file.rules ?? []
        graph.add(Target(Self.validation, reads: [Self.registry.name, Self.aggregation.name],
                         parts: [indicatorsPart, periodsPart, KeyPart("definition rules", text: "\(rules)")]) { results in
            stage("validate")
            return try Validation.run(rules: rules, observations: results[Self.aggregation].observations,
                               indicators: indicators, registry: results[Self.registry], year: year)
        })

        // What is withheld from release: small cells, what would reveal them, what earlier editions withheld.
        let minUnits = definition.minUnits
        let earlierWithheld = history.disclosure
        graph.add(Target(Self.disclosure, reads: [Self.registry.name, Self.aggregation.name],
                         parts: [indicatorsPart, periodsPart, KeyPart("definition disclosure.min_units", text: "\(minUnits)"),
                                 KeyPart("earlier editions", text: history.read.map { "\($0.file) \($0.sha256)" }.joined(separator: "\n"))]) { results in
            let aggregated = results[Self.aggregation]
            return Disclosure.run(observations: aggregated.observations, units: aggregated.units, indicators: indicators,
                                  registry: results[Self.registry], periods: periods, minUnits: minUnits, earlier: earlierWithheld)
        })

        // Every problem the stages found, in report order.
        // The tree's own problems: misnamed files, and a year with no input at all (an error); earlier editions not read.
        let treeProblems = tree.problems + tree.emptyYearProblems + history.problems
        let stages = [Self.revisions.name, Self.baseDataset.name, Self.aggregation.name, Self.validation.name, Self.disclosure.name]
        let maxRejectedShare = definition.maxRejectedShare
        graph.add(Target(Self.findings, reads: extractTargets + stages,
                         parts: [KeyPart("input tree", text: "\(treeProblems)"),
                                 KeyPart("definition \(RosterJudgement.definitionKey)", text: "\(maxRejectedShare)")]) { results in
            var findings = Findings()
            findings.problems.add(contentsOf: treeProblems)
            for file in extracted(results, extractTargets) {
                switch file {
                case .roster(let roster):
                    findings.counts.rosterFiles += 1
                    findings.counts.rowsRead += roster.rowsRead
                    findings.counts.accepted += roster.accepted
                    findings.counts.inactive += roster.inactive
                    findings.counts.rejected += roster.rejected
                    // Each roster is judged as a whole file: too many rejected rows make it an error.
                    findings.problems.add(contentsOf: roster.problems)
                    findings.problems.add(contentsOf: RosterJudgement.problems(roster, maxRejectedShare: maxRejectedShare))
                case .submission(let submission):
                    findings.counts.submissionFiles += 1
                    findings.counts.observationsRead += submission.observationsRead
                    findings.problems.add(contentsOf: submission.problems)
                case .unreadable(let problem):
                    findings.problems.add(problem)
                }
            }
            findings.problems.add(contentsOf: results[Self.revisions].problems)
            findings.problems.add(contentsOf: results[Self.baseDataset].problems)
            findings.problems.add(contentsOf: results[Self.aggregation].problems)
            try findings.problems.add(contentsOf: results[Self.validation].problems)
            findings.problems.add(contentsOf: results[Self.disclosure].problems)
            // Spooling that failed loses nothing, but memory then grows with the warnings: the build says so.
            let failures = results[Self.validation].results.compactMap(\.failures.spoolFailure)
            if let why = findings.problems.spoolFailure ?? results[Self.validation].problems.spoolFailure ?? failures.first {
                findings.problems.add(.warning(.spool, "problems and rule failures could not be spooled to disk (\(why)); "
                    + "they were held in memory, which grows with them"))
            }
            // In report order once, here: the reports, the database and the cache each read the list.
            findings.problems.sortForReports()
            return findings
        })

        // Everything the reports read, in one value.
        let treeValue = tree
        graph.add(Target(Self.buildResult, reads: extractTargets + stages + [Self.ranks.name, Self.findings.name]) { results in
            var result = StageResults(year: year, tree: treeValue)
            for file in extracted(results, extractTargets) {
                switch file {
                case .roster(let roster): result.rosters.append(roster)
                case .submission(let submission): result.submissions.append(submission)
                case .unreadable: break
                }
            }
            let revisions = results[Self.revisions], base = results[Self.baseDataset], aggregated = results[Self.aggregation]
            result.revisions = revisions.revisions
            result.submitted = revisions.observations
            result.successions = base.successions
            result.comparisons = base.comparisons + aggregated.comparisons
            result.observations = aggregated.observations
            result.rankings = results[Self.ranks]
            result.validation = results[Self.validation].results
            result.disclosure = results[Self.disclosure]
            result.problems = results[Self.findings].problems
            result.counts = results[Self.findings].counts
            return result
        })

        // Render: what every page shows, then one target per page or file.
        let titlePart = KeyPart("definition title and subject", text: texts.title)
        let chaptersPart = KeyPart("definition chapters.csv", text: texts.chapters)
        let presentationPart = KeyPart("definition columns and units", text: texts.presentation)
        let subject = definition.file.subject
        let title = definition.file.title
        // The history is as the earlier editions published it: their data files' digests are part of the key.
        let historyPart = KeyPart("earlier editions", text: history.read.map { "\($0.file) \($0.sha256)" }.joined(separator: "\n"))
        let earlier = history.editions
        graph.add(Target(Self.edition, reads: [Self.registry.name, Self.aggregation.name, Self.ranks.name, Self.disclosure.name],
                         parts: [titlePart, chaptersPart, indicatorsPart, periodsPart, historyPart]) { results in
            stage("render")
            return Edition(year: year, title: title.zh, titleEN: title.en, subject: subject, registry: results[Self.registry],
                    indicators: indicators, chapters: definition.chapters,
                    observations: results[Self.aggregation].observations, rankings: results[Self.ranks], history: earlier,
                    withheld: results[Self.disclosure].withholding)
        })
        func output(_ name: String, kind: TargetKind = .output, files: [String], prefixes: [String] = [], reads: [String],
                    parts: [KeyPart] = [], cost: Int = 0, make: @escaping @Sendable (TargetResults) throws -> [String: [UInt8]]) {
            let ref = TargetRef<OutputFiles>(name, kind: kind)
            outputs.append(name)
            outputFiles[name] = files
            if !prefixes.isEmpty { outputPrefixes[name] = prefixes }
            graph.add(Target(ref, reads: reads, parts: parts, cost: cost) { results in OutputFiles(bytes: try make(results)) })
        }
        // The longest first (the database, the reports and data files of a big build), so that no core waits at the end.
        let database = EditionDatabase.fileName
        outputs.append(database)
        outputFiles[database] = [database]
        graph.add(Target(TargetRef<OutputFiles>(database, kind: .output), reads: [Self.buildResult.name, Self.registry.name],
                         parts: [titlePart, indicatorsPart, chaptersPart, presentationPart],
                         cost: Int.max) { results in   // the longest output: started first
            try EditionDatabase.write(path: try outputFolder.place(database), results[Self.buildResult], registry: results[Self.registry],
                                      areas: areasEntry, definition: definition, subject: subject)
            return OutputFiles(written: [database])
        })
        // The workbook holds every chapter: after the database the longest output.
        let layoutsPart = KeyPart("definition content", text: texts.layouts)
        outputs.append(Self.workbook)
        outputFiles[Self.workbook] = [Self.workbook]
        graph.add(Target(TargetRef<OutputFiles>(Self.workbook, kind: .output), reads: [Self.edition.name], parts: [presentationPart, layoutsPart],
                         cost: Int.max - 1) { results in
            try WorkbookWriter.write(path: try outputFolder.place(Self.workbook), results[Self.edition], presentation: presentation)
            return OutputFiles(written: [Self.workbook])
        })
        output(EditionLayout.sdmx, files: [EditionLayout.sdmx], reads: [Self.buildResult.name], parts: [titlePart]) { results in
            let result = results[Self.buildResult]
            return [EditionLayout.sdmx: SDMXWriter.structureSpecificData(result.observations, year: result.year, sender: subject,
                                                                             prepared: EditionExports.preparedTime(result),
                                                                             withheld: result.disclosure.withholding)]
        }
        for report in Reports.all {
            let name = "reports:\(report.name)", files = report.files.map { "reports/" + $0 }
            switch report.make {
            case .bytes(let make):
                output(name, kind: .report, files: files, reads: [Self.buildResult.name, Self.registry.name]) { results in
                    Dictionary(uniqueKeysWithValues: make(results[Self.buildResult], results[Self.registry]).map { ("reports/" + $0.key, $0.value) })
                }
            case .streamed(let write):
                outputs.append(name)
                outputFiles[name] = files
                graph.add(Target(TargetRef<OutputFiles>(name, kind: .report), reads: [Self.buildResult.name, Self.registry.name]) { results in
                    try write(results[Self.buildResult], results[Self.registry], SystemPath(try outputFolder.place(files[0])))
                    return OutputFiles(written: [files[0]])
                })
            }
        }
        output(EditionLayout.observations, files: [EditionLayout.observations], reads: [Self.aggregation.name], parts: [indicatorsPart]) { results in
            [EditionLayout.observations: DataFiles.observationsCSV(results[Self.aggregation].observations, indicators: byCode)]
        }
        // Internal, and only where something is withheld (no file: nothing withheld): a prefix, not a file always written.
        output(WithheldFile.path, files: [], prefixes: [WithheldFile.path], reads: [Self.disclosure.name]) { results in
            let withholding = results[Self.disclosure].withholding
            return withholding.isEmpty ? [:] : [WithheldFile.path: WithheldFile.write(withholding)]
        }
        output(EditionLayout.rankings, files: [EditionLayout.rankings], reads: [Self.ranks.name]) { results in
            [EditionLayout.rankings: DataFiles.rankingsCSV(results[Self.ranks])]
        }
        // The registry the edition was built with, so that a diff of two editions follows successions.
        output(EditionLayout.areas, files: [EditionLayout.areas], reads: [Self.registry.name]) { _ in [EditionLayout.areas: areasBytes] }
        output(Self.index.name, files: ["index.md", "index.html"], reads: [], parts: [titlePart, chaptersPart, periodsPart]) { _ in
            YearbookWriter.index(Edition(year: year, title: title.zh, titleEN: title.en, subject: subject, registry: registry,
                                         indicators: indicators, chapters: definition.chapters, observations: [:], rankings: []))
        }
        output(Self.reportsIndex, kind: .report, files: IndexLinks.reportsIndex, reads: [], parts: [titlePart, periodsPart]) { _ in
            YearbookWriter.reportsIndex(Edition(year: year, title: title.zh, titleEN: title.en, subject: subject, registry: registry,
                                                indicators: indicators, chapters: definition.chapters, observations: [:], rankings: []))
        }
        output(Self.definitions, files: ["definitions.md", "definitions.html"], reads: [],
               parts: [titlePart, chaptersPart, indicatorsPart, presentationPart, periodsPart]) { _ in
            YearbookWriter.definitions(Edition(year: year, title: title.zh, titleEN: title.en, subject: subject, registry: registry,
                                               indicators: indicators, chapters: definition.chapters, observations: [:], rankings: []),
                                       presentation: presentation)
        }
        for chapter in definition.chapters {
            let layoutText = texts.layout(of: chapter.id)
            output(Self.chapter(chapter.id).name, kind: .chapter, files: YearbookWriter.chapterFiles(chapter.id),
                   prefixes: [YearbookWriter.chartPrefix(chapter.id)], reads: [Self.edition.name],
                   parts: [presentationPart, KeyPart("definition content.\(chapter.id)", text: layoutText)]) { results in
                YearbookWriter.chapter(chapter, edition: results[Self.edition], presentation: presentation)
            }
        }
    }
}
