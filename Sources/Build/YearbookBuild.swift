import Aggregate
import Dispatch
import Extract
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import YearbookCore

/// What `yearbook build` is asked to do.
public struct BuildOptions: Sendable {
    public var input: String
    /// nil: the latest year folder of the input.
    public var year: Int?
    public var out: String
    public var pipeline: String
    /// Regenerate only this chapter (and the index).
    public var chapter: String?
    public var limits: ReadLimits
    /// Show progress on stderr while extracting.
    public var showProgress: Bool

    public init(input: String, year: Int? = nil, out: String, pipeline: String, chapter: String? = nil,
                limits: ReadLimits = .standard, showProgress: Bool = false) {
        self.input = input
        self.year = year
        self.out = out
        self.pipeline = pipeline
        self.chapter = chapter
        self.limits = limits
        self.showProgress = showProgress
    }
}

/// A mistake in how the tool was called (exit code 2).
public struct UsageError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Everything one build found and made.
public struct BuildResult: Sendable {
    public var year: Int
    public var tree: InputTree
    public var rosters: [RosterFileResult] = []
    public var submissions: [SubmissionFileResult] = []
    public var revisions: [Revision] = []
    public var successions: [Succession] = []
    public var comparisons: [Comparison] = []
    public var observations: [ObservationKey: Observation] = [:]
    public var rankings: [RankingRow] = []
    public var validation: [RuleResult] = []
    public var problems = ProblemList()
    /// Whether the output folder was written.
    public var published = false

    /// 0 success, 1 errors in the data (nothing published).
    public var exitCode: Int32 { problems.hasErrors ? 1 : 0 }
}

public enum YearbookBuild {
    /// Runs the whole build: extract → normalize → reconcile → aggregate → render,
    /// then publishes the output atomically if the data had no errors.
    public static func run(_ options: BuildOptions) throws -> BuildResult {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.input, isDirectory: &isFolder), isFolder.boolValue else {
            throw UsageError("no such input folder: \(options.input)")
        }
        let definition: PipelineDefinition
        do { definition = try PipelineDefinition.load(path: options.pipeline) } catch let error as ExtractError {
            throw UsageError("pipeline definition: \(error)")
        }
        if let chapter = options.chapter, !definition.chapters.contains(where: { $0.id == chapter }) {
            throw UsageError("unknown chapter '\(chapter)'; chapters: \(definition.chapters.map(\.id).joined(separator: ", "))")
        }
        let years = InputTree.years(in: options.input)
        guard let year = options.year ?? years.last else {
            throw UsageError("no year folder in \(options.input)")
        }
        guard years.contains(year) else {
            throw UsageError("no folder for \(year) in \(options.input)")
        }
        let tree = try InputTree.scan(root: options.input, year: year)
        var result = BuildResult(year: year, tree: tree)
        result.problems.add(contentsOf: tree.problems)

        let registry: AreaRegistry
        do {
            registry = try Dictionaries.loadAreas(path: tree.areasPath, displayName: "areas.csv")
        } catch let error as ExtractError {
            result.problems.add(.error("unreadable", error.message, file: error.file, line: error.line))
            return result
        }
        let indicators = Dictionary(uniqueKeysWithValues: definition.indicators.map { ($0.code, $0) })
        let measures = try definition.measures()

        // Extract and normalize: every file on its own, in parallel across files.
        let extracted = extract(tree: tree, registry: registry, indicators: indicators, measures: measures,
                                periods: [year - 1, year], options: options)
        result.rosters = extracted.rosters
        result.submissions = extracted.submissions
        result.problems.add(contentsOf: extracted.problems)
        for file in result.rosters where registry[file.county] == nil {
            result.problems.add(.error("roster", "county \(file.county) of the file name is not in areas.csv", file: file.file))
        }
        let knownRosters = result.rosters.filter { registry[$0.county] != nil }

        // Reconcile: revisions, successions, rosters against submissions.
        let resolved = Revisions.resolve(result.submissions.flatMap(\.observations), registry: registry)
        result.revisions = resolved.revisions
        result.problems.add(contentsOf: resolved.problems)
        let base = BaseDataset.reconcile(rosters: knownRosters, submissions: resolved, indicators: indicators, registry: registry)
        result.successions = base.successions
        result.problems.add(contentsOf: base.problems)

        // Aggregate: roll-ups, derived indicators, ranks.
        let aggregated = try Aggregation.run(base: base.observations, indicators: definition.indicators,
                                             registry: registry, periods: [year - 1, year])
        result.observations = aggregated.observations
        result.comparisons = base.comparisons + aggregated.comparisons
        result.problems.add(contentsOf: aggregated.problems)
        for comparison in aggregated.comparisons where comparison.exceedsTolerance {
            result.problems.add(.warning(
                "reconciliation",
                "\(comparison.key.indicator) \(comparison.key.period) of \(comparison.key.area): sum of its areas \(comparison.kept.plainDecimal), submitted total \(comparison.reported.plainDecimal) (difference \(comparison.difference.plainDecimal), tolerance \(comparison.tolerance.plainDecimal)); the sum is kept",
                area: comparison.key.area, indicator: comparison.key.indicator, period: comparison.key.period))
        }
        result.rankings = Ranking.table(observations: result.observations, indicators: definition.indicators,
                                        registry: registry, year: year)

        // Validate: the pipeline definition's rules over the unified dataset.
        let checked = try Validation.run(rules: definition.file.rules ?? [], observations: result.observations,
                                         indicators: definition.indicators, registry: registry, year: year)
        result.validation = checked.results
        result.problems.add(contentsOf: checked.problems)

        if result.problems.hasErrors { return result }

        // Render and publish.
        // The definition's subject, or for another input tree the area at the top of its registry.
        var subject = definition.file.subject
        var title = definition.file.title
        if registry[subject] == nil, let top = registry.codes.first(where: { registry[$0]?.parent == nil }) {
            subject = top
            title = Bilingual(zh: "\(registry[top]!.nameZH)民政统计年鉴", en: "\(registry[top]!.nameEN) Civil Affairs Statistical Yearbook")
            result.problems.add(.warning("definition", "subject \(definition.file.subject) of the pipeline definition is not in areas.csv; the yearbook is about \(top)"))
        }
        let edition = Edition(year: year, title: title.zh, titleEN: title.en,
                              subject: subject, registry: registry,
                              indicators: definition.indicators, chapters: definition.chapters,
                              observations: result.observations, rankings: result.rankings)
        var files: [String: [UInt8]] = [:]
        files["data/observations.csv"] = DataFiles.observationsCSV(result.observations, indicators: indicators)
        files["data/rankings.csv"] = DataFiles.rankingsCSV(result.rankings)
        for (name, bytes) in Reports.files(for: result, registry: registry) { files["reports/" + name] = bytes }
        for (name, bytes) in YearbookWriter.pages(edition, presentation: definition.presentation) { files[name] = bytes }
        try Publisher.publish(files: files, to: (options.out as NSString).appendingPathComponent(String(year)))
        result.published = true
        return result
    }

    struct Extracted {
        var rosters: [RosterFileResult] = []
        var submissions: [SubmissionFileResult] = []
        var problems: [Problem] = []
    }

    /// Reads every input file, two at a time or more (one per core): a gzip
    /// file inflates on one core, so files are the unit of parallel work.
    static func extract(tree: InputTree, registry: AreaRegistry, indicators: [String: Indicator],
                        measures: [String: [RosterMeasure]], periods: Set<Int>, options: BuildOptions) -> Extracted {
        enum Job { case roster(InputTree.RosterFile), submission(InputTree.SubmissionFile) }
        enum Outcome { case roster(RosterFileResult), submission(SubmissionFileResult), failed(Problem) }
        // Largest files first keeps the cores busy to the end.
        let jobs: [Job] = tree.rosters.map { Job.roster($0) } + tree.submissions.map { Job.submission($0) }
        var outcomes = [Outcome?](repeating: nil, count: jobs.count)
        let lock = NSLock()
        let progress = options.showProgress ? Progress(totalFiles: jobs.count) : nil
        let submissionReader = SubmissionReader(indicators: indicators, registry: registry, periods: periods, limits: options.limits)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let outcome: Outcome
            switch jobs[index] {
            case .roster(let file):
                let reader = RosterReader(schema: RosterSchema.named(file.roster)!, measures: measures[file.roster] ?? [],
                                          registry: registry, limits: options.limits)
                do {
                    outcome = .roster(try reader.read(path: file.path, displayName: file.name, county: file.county, year: file.year))
                } catch let error as ExtractError {
                    outcome = .failed(.error("unreadable", error.message, file: file.name, line: error.line))
                } catch {
                    outcome = .failed(.error("unreadable", "\(error)", file: file.name))
                }
            case .submission(let file):
                do {
                    outcome = .submission(try submissionReader.read(path: file.path, displayName: file.name))
                } catch let error as ExtractError {
                    outcome = .failed(.error("unreadable", error.message, file: file.name, line: error.line))
                } catch {
                    outcome = .failed(.error("unreadable", "\(error)", file: file.name))
                }
            }
            lock.lock()
            outcomes[index] = outcome
            lock.unlock()
            progress?.fileDone()
        }
        var extracted = Extracted()
        for outcome in outcomes {
            switch outcome! {
            case .roster(let result): extracted.rosters.append(result)
            case .submission(let result):
                extracted.submissions.append(result)
                extracted.problems.append(contentsOf: result.problems)
            case .failed(let problem): extracted.problems.append(problem)
            }
        }
        return extracted
    }
}
