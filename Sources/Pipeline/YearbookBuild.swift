import Aggregate
import Dispatch
import Extract
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import Workbook
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
    /// Where earlier editions are read for the chapters' history (default: `out`).
    public var history: String?

    public init(input: String, year: Int? = nil, out: String, pipeline: String, chapter: String? = nil,
                limits: ReadLimits = .standard, showProgress: Bool = false, history: String? = nil) {
        self.input = input
        self.year = year
        self.out = out
        self.pipeline = pipeline
        self.chapter = chapter
        self.limits = limits
        self.showProgress = showProgress
        self.history = history
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
    /// Output files written (not those left as they were because their content did not change).
    public var written: [String] = []
    /// Input files read this time (the others came from the cache of the last build).
    public var filesRead = 0

    /// 0 success, 1 errors in the data (nothing published).
    public var exitCode: Int32 { problems.hasErrors ? 1 : 0 }
}

public enum YearbookBuild {
    /// Runs the whole build: extract → normalize → reconcile → aggregate → render,
    /// then publishes the output atomically if the data had no errors.
    public static func run(_ options: BuildOptions) throws -> BuildResult {
        let clock = StageClock()
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
        clock.lap("pipeline definition")
        let tree = try InputTree.scan(root: options.input, year: year)
        clock.lap("input tree")
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
        let cacheKey = Self.cacheKey(definition: definition, areasPath: tree.areasPath, limits: options.limits)
        // Regenerating a chapter reuses what unchanged files gave the last build.
        let cache = options.chapter == nil ? nil : BuildCache.load(out: options.out, year: year, key: cacheKey)

        // Extract and normalize: every file on its own, in parallel across files.
        clock.lap("definition, registry and cache")
        let extracted = extract(tree: tree, registry: registry, indicators: indicators, measures: measures,
                                periods: [year - 1, year], options: options, cache: cache)
        result.filesRead = extracted.filesRead
        result.rosters = extracted.rosters
        result.submissions = extracted.submissions
        result.problems.add(contentsOf: extracted.problems)
        for file in result.rosters where registry[file.county] == nil {
            result.problems.add(.error("roster", "county \(file.county) of the file name is not in areas.csv", file: file.file))
        }
        let knownRosters = result.rosters.filter { registry[$0.county] != nil }

        // Reconcile: revisions, successions, rosters against submissions.
        clock.lap("extract and normalize")
        let resolved = Revisions.resolve(result.submissions.flatMap(\.observations), registry: registry)
        result.revisions = resolved.revisions
        result.problems.add(contentsOf: resolved.problems)
        let base = BaseDataset.reconcile(rosters: knownRosters, submissions: resolved, indicators: indicators, registry: registry)
        result.successions = base.successions
        result.problems.add(contentsOf: base.problems)

        // Aggregate: roll-ups, derived indicators, ranks.
        clock.lap("reconcile")
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
        clock.lap("aggregate and rank")
        // Regenerating a chapter writes no report: only the rules that can stop the build run.
        let rules = (definition.file.rules ?? []).filter { options.chapter == nil || $0.severity == "error" }
        let checked = try Validation.run(rules: rules, observations: result.observations,
                                         indicators: definition.indicators, registry: registry, year: year)
        result.validation = checked.results
        result.problems.add(contentsOf: checked.problems)

        if result.problems.hasErrors { return result }
        clock.lap("validate")
        try render(&result, definition: definition, registry: registry, options: options,
                   cache: BuildCache(key: cacheKey, encoded: extracted.cacheEntries))
        clock.lap("render and publish")
        return result
    }

    /// What a file gives depends on the tool, the definition, the registry and
    /// the limits too: a change to any of them empties the cache.
    static func cacheKey(definition: PipelineDefinition, areasPath: String, limits: ReadLimits) -> String {
        let areasDigest = (try? FileByteStream.digest(path: areasPath)) ?? ""
        return "\(YearbookVersion.current) \(Manifest.pipelineEntry(definition).0.sha256) \(areasDigest) "
            + "\(limits.maxDecompressedBytes) \(limits.maxRecordBytes)"
    }

    /// Renders the outputs on all cores and publishes them: the whole edition
    /// into a folder swapped in at the end (each file written as soon as it is
    /// made), or with `--chapter` only that chapter and the index.
    static func render(_ result: inout BuildResult, definition: PipelineDefinition, registry: AreaRegistry,
                       options: BuildOptions, cache: BuildCache) throws {
        let year = result.year
        let indicators = Dictionary(uniqueKeysWithValues: definition.indicators.map { ($0.code, $0) })
        // The definition's subject, or for another input tree the area at the top of its registry.
        var subject = definition.file.subject
        var title = definition.file.title
        if registry[subject] == nil, let top = registry.codes.first(where: { registry[$0]?.parent == nil }) {
            subject = top
            title = Bilingual(zh: "\(registry[top]!.nameZH)民政统计年鉴", en: "\(registry[top]!.nameEN) Civil Affairs Statistical Yearbook")
            result.problems.add(.warning("definition", "subject \(definition.file.subject) of the pipeline definition is not in areas.csv; the yearbook is about \(top)"))
        }
        let started = DispatchTime.now()
        // Hook (issue 13): earlier editions beside this one give the chapters their history.
        let history = EditionHistory.load(folder: options.history ?? options.out, year: year, subject: subject,
                                          indicators: definition.indicators)
        result.problems.add(contentsOf: history.problems)
        let edition = Edition(year: year, title: title.zh, titleEN: title.en,
                              subject: subject, registry: registry,
                              indicators: definition.indicators, chapters: definition.chapters,
                              observations: result.observations, rankings: result.rankings, history: history.editions)
        let target = (options.out as NSString).appendingPathComponent(String(year))
        // With --chapter (and an edition to update) only that chapter and the index are made.
        let onlyChapter = FileManager.default.fileExists(atPath: target) ? options.chapter : nil
        // The outputs are independent of each other: made on all cores.
        let snapshot = result
        // The longest first (the reports and data files of a big build), so that no core waits at the end.
        var tasks: [() -> [String: [UInt8]]] = []
        if onlyChapter == nil {
            tasks += Reports.tasks(for: snapshot, registry: registry).map { task in
                { Dictionary(uniqueKeysWithValues: task().map { ("reports/" + $0.key, $0.value) }) }
            }
            tasks.insert({ ["data/observations.csv": DataFiles.observationsCSV(snapshot.observations, indicators: indicators)] },
                         at: min(1, tasks.count))
            tasks.append({ ["data/rankings.csv": DataFiles.rankingsCSV(snapshot.rankings)] })
        }
        tasks += YearbookWriter.tasks(edition, presentation: definition.presentation, only: onlyChapter)
        // Hook (issue 13): the workbook holds every chapter, so even --chapter makes it again; one of the longest pieces.
        let workbook = WorkbookTask(edition, presentation: definition.presentation)
        tasks.insert(workbook.run, at: min(1, tasks.count))
        var manifest = makeManifest(result, definition: definition, outputs: [])
        manifest.history = history.read
        StageClock.note("render: edition, tasks and manifest prepared", since: started)
        if onlyChapter == nil {
            // Each output goes to the new edition's folder as soon as it is made.
            let staging = try Publisher.Staging(target: target)
            var entries: [Manifest.FileEntry] = []
            var failure: Error?
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
                let started = DispatchTime.now()
                let outputs = tasks[index]()
                StageClock.note("render \(outputs.keys.sorted().joined(separator: " "))", since: started)
                for (name, bytes) in outputs {
                    let entry = Manifest.entry(name, bytes)
                    do {
                        try staging.add(name, bytes)
                    } catch {
                        lock.lock()
                        failure = failure ?? error
                        lock.unlock()
                    }
                    lock.lock()
                    entries.append(entry)
                    lock.unlock()
                }
            }
            if let failure = failure ?? workbook.failure {
                staging.abandon()
                throw failure
            }
            StageClock.note("render: all outputs made and written", since: started)
            manifest.outputs = entries.sorted { $0.file < $1.file }
            do {
                try staging.add(Manifest.fileName, manifest.encoded())
                result.written = try staging.commit()
            } catch {
                staging.abandon()
                throw error
            }
        } else {
            var files: [String: [UInt8]] = [:]
            for task in tasks { files.merge(task()) { first, _ in first } }
            if let failure = workbook.failure { throw failure }
            // The other outputs stay as they are; the manifest lists them as on disk
            // (from the last manifest) and, when an input changed, as stale.
            let previous = try? Manifest.load(target)
            // Hook (issue 13): other earlier editions change the other chapters' history too.
            let inputsChanged = previous.map { $0.inputs != manifest.inputs || $0.pipeline != manifest.pipeline
                || $0.history != manifest.history } ?? true
            var outputs = Dictionary(uniqueKeysWithValues: (previous?.outputs ?? []).map { ($0.file, $0) })
            for (name, bytes) in files { outputs[name] = Manifest.entry(name, bytes) }
            manifest.outputs = outputs.keys.sorted().map { outputs[$0]! }
            let previouslyStale = Set(previous?.stale ?? [])
            manifest.stale = outputs.keys.sorted().filter { name in
                files[name] == nil && (inputsChanged || previouslyStale.contains(name))
            }
            files[Manifest.fileName] = manifest.encoded()
            result.written = try Publisher.update(files: files, at: target)
        }
        let clock = StageClock()
        result.published = true
        StageClock.note("render: manifest written and edition published", since: started)
        if result.filesRead > 0 || onlyChapter == nil { cache.save(out: options.out, year: year) }
        clock.lap("cache")
    }

    static func makeManifest(_ result: BuildResult, definition: PipelineDefinition, outputs: [Manifest.FileEntry]) -> Manifest {
        let (pipeline, pipelineFiles) = Manifest.pipelineEntry(definition)
        var inputs: [Manifest.FileEntry] = []
        if let areas = FileManager.default.contents(atPath: result.tree.areasPath) {
            inputs.append(Manifest.entry("areas.csv", Array(areas)))
        }
        inputs += result.rosters.map { Manifest.FileEntry(file: $0.file, bytes: $0.bytesOnDisk, sha256: $0.sha256) }
        inputs += result.submissions.map { Manifest.FileEntry(file: $0.file, bytes: $0.bytesOnDisk, sha256: $0.sha256) }
        return Manifest(edition: result.year, tool: "yearbook \(YearbookVersion.current)", pipeline: pipeline,
                        pipelineFiles: pipelineFiles, inputs: inputs.sorted { $0.file < $1.file },
                        outputs: outputs, stale: [])
    }

    struct Extracted {
        var rosters: [RosterFileResult] = []
        var submissions: [SubmissionFileResult] = []
        var problems: [Problem] = []
        var filesRead = 0
        /// Each file's entry for the next build's cache, encoded.
        var cacheEntries: [String: [UInt8]] = [:]
    }

    /// Reads every input file, two at a time or more (one per core): a gzip
    /// file inflates on one core, so files are the unit of parallel work. A
    /// file unchanged since the last build (same size and modification time)
    /// is taken from `cache` instead.
    static func extract(tree: InputTree, registry: AreaRegistry, indicators: [String: Indicator],
                        measures: [String: [RosterMeasure]], periods: Set<Int>, options: BuildOptions,
                        cache: BuildCache?) -> Extracted {
        enum Job {
            case roster(InputTree.RosterFile), submission(InputTree.SubmissionFile)
            var name: String { switch self { case .roster(let f): return f.name; case .submission(let f): return f.name } }
            var path: String { switch self { case .roster(let f): return f.path; case .submission(let f): return f.path } }
        }
        enum Outcome { case done(BuildCache.Entry, bytes: [UInt8], fromCache: Bool), failed(Problem) }
        let jobs: [Job] = tree.rosters.map { Job.roster($0) } + tree.submissions.map { Job.submission($0) }
        let progress = options.showProgress ? Progress(totalFiles: jobs.count) : nil
        let submissionReader = SubmissionReader(indicators: indicators, registry: registry, periods: periods, limits: options.limits)
        var rosterReaders: [String: RosterReader] = [:]
        for schema in RosterSchema.all {
            rosterReaders[schema.name] = RosterReader(schema: schema, measures: measures[schema.name] ?? [],
                                                      registry: registry, limits: options.limits)
        }
        // Largest files first: the last files to finish are small ones, so no core waits long at the end.
        let sizes = jobs.map { BuildCache.stamp($0.path)?.size ?? 0 }
        let order = jobs.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        let outcomesInTurn = Parallel.map(jobs.count) { turn -> Outcome in
            let job = jobs[order[turn]]
            var outcome: Outcome
            if let cached = cache?.entry(name: job.name, path: job.path) {
                outcome = .done(cached.entry, bytes: cached.bytes, fromCache: true)
            } else {
                let stamp = BuildCache.stamp(job.path) ?? (0, 0)
                var entry = BuildCache.Entry(size: stamp.size, modified: stamp.modified)
                do {
                    switch job {
                    case .roster(let file):
                        entry.roster = try rosterReaders[file.roster]!.read(path: file.path, displayName: file.name,
                                                                             county: file.county, year: file.year)
                    case .submission(let file):
                        entry.submission = try submissionReader.read(path: file.path, displayName: file.name)
                    }
                    outcome = .done(entry, bytes: BuildCache.encode(entry), fromCache: false)
                } catch let error as ExtractError {
                    outcome = .failed(.error("unreadable", error.message, file: job.name, line: error.line))
                } catch {
                    outcome = .failed(.error("unreadable", "\(error)", file: job.name))
                }
            }
            if case .done(let entry, _, _) = outcome {
                progress?.fileDone(rows: (entry.roster?.rowsRead ?? 0) + (entry.submission?.observationsRead ?? 0))
            } else {
                progress?.fileDone(rows: 0)
            }
            return outcome
        }
        // Joined in the input tree's order, whatever order the files were read in.
        var outcomes = [Outcome?](repeating: nil, count: jobs.count)
        for (turn, outcome) in outcomesInTurn.enumerated() { outcomes[order[turn]] = outcome }
        var extracted = Extracted()
        for (job, outcome) in zip(jobs, outcomes) {
            switch outcome! {
            case .done(let entry, let bytes, let fromCache):
                if !fromCache { extracted.filesRead += 1 }
                extracted.cacheEntries[job.name] = bytes
                if let roster = entry.roster { extracted.rosters.append(roster) }
                if let submission = entry.submission {
                    extracted.submissions.append(submission)
                    extracted.problems.append(contentsOf: submission.problems)
                }
            case .failed(let problem): extracted.problems.append(problem)
            }
        }
        return extracted
    }
}

/// Wall time of each stage on stderr, when YEARBOOK_TIMING is set (for the benchmark).
final class StageClock {
    private static let enabled = ProcessInfo.processInfo.environment["YEARBOOK_TIMING"] != nil
    private let enabled = StageClock.enabled

    /// The time of one piece of work since `start` (from any thread).
    static func note(_ what: String, since start: DispatchTime) {
        guard enabled else { return }
        let milliseconds = (DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
        FileHandle.standardError.write(Data("timing:   \(what) \(milliseconds) ms\n".utf8))
    }
    private var last = DispatchTime.now()

    func lap(_ stage: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let milliseconds = (now.uptimeNanoseconds - last.uptimeNanoseconds) / 1_000_000
        FileHandle.standardError.write(Data("timing: \(stage) \(milliseconds) ms\(StageClock.residentMemory)\n".utf8))
        last = now
    }

    /// ", resident N MB" (Linux: /proc/self/statm), to see which stage holds the memory.
    private static var residentMemory: String {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return "" }
        return ", resident \((pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20) MB"
    }
}
