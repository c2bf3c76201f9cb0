import Aggregate
import Definition
import Dispatch
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

/// One build, as the command line asks for it: the definition and the input
/// tree read, the targets made (all of them, or one chapter and what it
/// needs), the edition published. The stages' work is in the targets.
public enum YearbookBuild {
    /// What a build reads before any target runs.
    struct Setup {
        var definition: PipelineDefinition
        var tree: InputTree
        var registry: AreaRegistry
        var areasBytes: [UInt8]
        var digests: [String: String]
        /// The inputs' digests with their stamps, for the next build (`run` keeps them).
        var inputDigests: InputDigests
        /// Each input's size in bytes, by its name in the tree.
        var sizes: [String: Int]
        /// Each input's digest with its stamp when it was hashed: an extraction does not hash it again.
        var known: [String: KnownContent]
        /// The earlier editions the chapters' history is read from.
        var history: EditionHistory.Loaded
    }

    /// Reads the definition, the tree, the registry and each input's digest;
    /// a data error in the registry comes back as the result to report.
    static func setup(_ options: BuildOptions, clock: StageClock) throws -> (Setup?, BuildResult) {
        try InputTree.checkRoot(options.input)
        // A --history folder that is not there would silently publish chapters without their history.
        if let history = options.history, (try? POSIX.stat(SystemPath(history))).map({ FileKind(mode: $0.st_mode) }) != .folder {
            throw YearbookError.usage("no such folder of earlier editions (--history): \(history)")
        }
        try EditionPublisher.checkOut(options.out)
        // The definition is checked whole; its problems come as one usage error.
        let definition = try PipelineDefinition.load(path: options.pipeline)
        if let chapter = options.chapter, !definition.chapters.contains(where: { $0.id == chapter }) {
            throw YearbookError.usage("unknown chapter '\(chapter)'; chapters: \(definition.chapters.map(\.id).joined(separator: ", "))")
        }
        let years = InputTree.years(in: options.input)
        guard let year = options.year ?? years.last else { throw YearbookError.usage("no year folder in \(options.input)") }
        guard years.contains(year) else { throw YearbookError.usage("no folder for \(year) in \(options.input)") }
        try EditionPublisher.checkPlace(out: options.out, year: year, input: options.input)
        Progress.stage("input tree and registry", shown: options.showProgress)
        let tree = try InputTree.scan(root: options.input, year: year)
        clock.lap("definition and input tree")
        var result = BuildResult(year: year, tree: tree)
        result.definition = definition
        result.problems.add(contentsOf: tree.problems)
        // areas.csv that is not a regular file in the tree is not read; tree.problems says why.
        guard tree.areasUsable else { return (nil, result) }

        let registry: AreaRegistry
        let areasBytes: [UInt8]
        do {
            // areas.csv must be a hierarchy; every problem is reported and nothing else is read.
            let hierarchy = try Dictionaries.loadAreaHierarchy(path: tree.areasPath, displayName: "areas.csv")
            registry = hierarchy.registry
            result.problems.add(contentsOf: hierarchy.problems)
            if !hierarchy.problems.isEmpty { return (nil, result) }
            areasBytes = try POSIX.readFile(SystemPath(tree.areasPath)) ?? []
        } catch let error as YearbookError where error.code == .input {
            result.problems.add(.error(.unreadable, error.explanation, at: error.location))
            return (nil, result)
        }
        // A subject missing from the registry is a usage error, never another area's yearbook.
        try definition.checkSubject(in: registry, areasFile: tree.areasPath)
        result.registry = registry
        result.definition = definition
        // An input's key is its content: a changed file is seen even when its size and time are kept. A file
        // is hashed again only when its stamp says it may have changed (a copy or an edit moves its change time).
        let files = tree.rosters.map { InputDigests.File(name: $0.name, path: SystemPath($0.path)) }
            + tree.submissions.map { InputDigests.File(name: $0.name, path: $0.systemPath) }
        var inputDigests = InputDigests(folder: TargetCache.folder(out: options.out, year: year))
        let found = inputDigests.digest(files)
        var digests: [String: String] = ["areas.csv": SHA256.hex(areasBytes)]
        var sizes: [String: Int] = [:]
        for (name, read) in found {
            digests[name] = read.digest
            sizes[name] = Int(read.stamp.size)
        }
        result.inputsHashed = inputDigests.hashed
        clock.lap("registry and input digests (\(inputDigests.hashed) of \(files.count) inputs hashed)")
        // Earlier editions beside this one (or in --history) give the chapters their history.
        let history = EditionHistory.load(folder: options.history ?? options.out, year: year, subject: definition.file.subject,
                                          indicators: definition.indicators, disclosure: definition.minUnits > 0)
        clock.lap("earlier editions")
        return (Setup(definition: definition, tree: tree, registry: registry, areasBytes: areasBytes, digests: digests,
                      inputDigests: inputDigests, sizes: sizes, known: found, history: history), result)
    }

    /// Runs a build: every target, or with `--chapter` (and an edition to
    /// update) that chapter's target and what it needs; publishes the edition
    /// atomically if the data had no errors.
    public static func run(_ options: BuildOptions) throws -> BuildResult {
        let clock = StageClock()
        // A chapter's rebuild reads the published manifest and the kept results while it reads the definition
        // and the tree.
        let aheadYear = options.year ?? InputTree.years(in: options.input).last
        let ahead = options.chapter == nil ? nil : aheadYear.map { ReadAhead(out: options.out, year: $0) }
        let (loaded, early) = try setup(options, clock: clock)
        var result = early
        guard let setup = loaded else { return result }
        let publisher = EditionPublisher(out: options.out, year: result.year)
        try publisher.lock(waiting: options.say)
        // Not kept is only slower: the next build hashes every input.
        try? setup.inputDigests.save()
        // Added to the findings' problems below (which replace the list): a warning the reports must carry.
        var leftovers = ProblemList()
        for kept in publisher.removeLeftovers() {
            leftovers.add(.warning(.edition, "\(kept) holds a whole edition left by an interrupted build and no edition is published; it was kept: move it to \(publisher.target) to publish it, or remove it"))
        }
        let readAhead = aheadYear == result.year ? ahead : nil
        let previous = try readAhead?.publishedManifest() ?? Manifest.ofEdition(publisher.target)
        let chapterOnly = options.chapter != nil && previous != nil
        let progress = options.showProgress ? Progress(totalFiles: 0) : nil
        // The new edition's folder exists before any output target starts: they run beside the stages.
        let staging = try EditionPublisher.Staging(publisher: publisher)
        let targets: YearbookTargets
        do {
            targets = try YearbookTargets(definition: setup.definition, tree: setup.tree, registry: setup.registry,
                                      areasBytes: setup.areasBytes, digests: setup.digests, sizes: setup.sizes, known: setup.known,
                                      limits: options.limits,
                                      history: setup.history, progress: progress,
                                      rejectSpool: TargetCache.rejectSpools(out: options.out, year: result.year),
                                      outputFolder: OutputFolder(path: staging.folder))
        } catch {
            staging.abandon()
            throw error
        }
        let graph = targets.graph
        let cache = readAhead?.currentCache ?? TargetCache(out: options.out, year: result.year, records: .ofKeptResults)
        cache.keepEarlyResults(under: chapterOnly ? graph.keys : [:])
        let store: TargetStore? = chapterOnly ? cache : nil
        progress?.total = graph.needed(for: [YearbookTargets.findings.name], store: store.map(HeldOnly.init)).run.filter { graph.kind(of: $0) == .extraction }.count
        // The outputs: all of them, or the chapter, what is cheap, and a comparison of the others.
        var plan = OutputPlan(targets: targets, previous: previous, chapter: chapterOnly ? options.chapter : nil)
        let sink = EditionSink(previous: previous, staging: staging, targets: targets, compared: plan.compared)
        let unsettled = plan.compared.filter(sink.settlesWithoutMaking)
        clock.lap("targets")

        // One run: the stages, and the outputs as soon as what each reads is made. Once every stage's
        // problems are known (and the ranks, so that everything the target cache keeps is made), the
        // verdict: with errors no further output starts and nothing is published.
        let results = TargetResults()
        let verdict = Verdict()
        let yearNames = setup.tree.rosters.filter { $0.year == result.year }.map(\.name)
            + setup.tree.submissions.filter { $0.year == result.year }.map(\.name)
        let leftoverProblems = leftovers
        let checkpoint = TargetGraph.Checkpoint(after: [YearbookTargets.findings.name, YearbookTargets.ranks.name,
                                                        YearbookTargets.disclosure.name]) { results in
            var problems = results[YearbookTargets.findings].problems
            try problems.add(contentsOf: leftoverProblems)
            // A subject with no figure of the year is an error, not an empty yearbook (unless an error already says why).
            if !problems.hasErrors, results.has(YearbookTargets.aggregation.name) {
                // The year's files that were read say why none reached the subject.
                let read = yearNames.map(YearbookTargets.extract).filter { results.has($0.name) }.map { results[$0] }
                problems.add(contentsOf: setup.definition.subjectProblems(
                    observations: results[YearbookTargets.aggregation].observations, registry: setup.registry, year: setup.tree.year,
                    read: read))
            }
            // A full build has made everything the cache keeps by now: the cache is written while the
            // outputs are made. With --chapter an extraction the cache could not give runs with the
            // outputs (the reports read it): the cache is written once every target is made, beside the publishing.
            let saving = store == nil && !problems.hasErrors ? Parallel.background { try? cache.save(graph: graph, results: results) } : nil
            verdict.record(problems, cacheSaving: saving)
            return !problems.hasErrors
        }
        let selection = [YearbookTargets.findings.name, YearbookTargets.ranks.name, YearbookTargets.disclosure.name] + plan.written
            + plan.compared.filter { !unsettled.contains($0) }
        do {
            try graph.run(selection, store: store, into: results, clock: clock, take: { target, value in
                guard let files = value as? OutputFiles else { return value }
                return try sink.take(target.name, files)
            }, checkpoint: checkpoint)
        } catch {
            verdict.cacheSaving?.wait()
            staging.abandon()
            throw error
        }
        let cacheSaved = verdict.cacheSaving
        defer { cacheSaved?.wait() }
        result.problems = verdict.problems ?? ProblemList()
        result.counts = results[YearbookTargets.findings].counts
        result.filesRead = results.ran.filter { graph.kind(of: $0) == .extraction }.count
        clock.lap("targets run")
        if result.problems.hasErrors {
            try? cache.save(graph: graph, results: results)
            result.failedReports = try? writeFailedReports(targets: targets, results: results, publisher: publisher, staging: staging,
                                                           store: store)
            staging.abandon()
            fill(&result, from: results)
            return result
        }
        // Every target that ran is made: with --chapter the cache is written from here, beside the publishing
        // (a full build has been writing it since the verdict).
        let cacheSaving = cacheSaved ?? Parallel.background { try? cache.save(graph: graph, results: results) }
        defer { cacheSaving.wait() }

        do {
            for name in plan.kept { try sink.keep(name) }
            for name in unsettled { try sink.keepUnsettled(name) }
            sink.settleWorkbook(definition: targets.workbookDefinition)
            result.keptForeignFiles = try sink.keepForeignFiles()
            for file in result.keptForeignFiles {
                result.problems.add(.warning(.edition, "\(file) in \(publisher.target) was not written by yearbook; it is kept as it is", file: file))
            }
            plan.records = sink.records
            result.stale = plan.stale
            var manifest = makeManifest(setup, result: result)
            manifest.outputs = plan.records.values.flatMap(\.entries).sorted { $0.file < $1.file }.map { entry in
                var marked = entry
                marked.public = EditionLayout.isPublic(entry.file) ? true : nil
                return marked
            }
            manifest.stale = result.stale
            result.written = try staging.commit(manifest: manifest)
        } catch {
            staging.abandon()
            throw error
        }
        result.published = true
        fill(&result, from: results)
        clock.lap("publish")
        cacheSaving.wait()
        clock.lap("cache")
        return result
    }

    /// What the targets that ran found, for the caller (the command line's summary, the tests).
    static func fill(_ result: inout BuildResult, from results: TargetResults) {
        result.targetResults = results
        if results.has(YearbookTargets.buildResult.name) {
            let full = results[YearbookTargets.buildResult]
            result.rosters = full.rosters
            result.submissions = full.submissions
            result.revisions = full.revisions
            result.successions = full.successions
            result.comparisons = full.comparisons
            result.validation = full.validation
        }
        if results.has(YearbookTargets.aggregation.name) { result.observations = results[YearbookTargets.aggregation].observations }
        if results.has(YearbookTargets.ranks.name) { result.rankings = results[YearbookTargets.ranks] }
        if results.has(YearbookTargets.disclosure.name) { result.disclosure = results[YearbookTargets.disclosure] }
    }

    /// A failed build's reports, so that every problem can be read: in
    /// `<out>/<year>.failed/`, replaced by each failed build, removed by none.
    /// They are the graph's report targets, as a good build makes them; a report
    /// a target wrote itself is moved from the edition's staging folder.
    static func writeFailedReports(targets: YearbookTargets, results: TargetResults, publisher: EditionPublisher,
                                   staging edition: EditionPublisher.Staging, store: TargetStore?) throws -> String {
        let aside = EditionPublisher(out: publisher.out, name: "\(publisher.year).failed")
        // A folder of that name that this tool did not write is never replaced.
        guard try Manifest.ofEdition(aside.target)?.failed ?? true else {
            throw YearbookError.usage("\(aside.target) is an edition, not a failed build's reports")
        }
        let staging = try EditionPublisher.Staging(publisher: aside)
        do {
            let reports = targets.outputs.filter { targets.graph.kind(of: $0) == .report && $0 != YearbookTargets.reportsIndex }
            try targets.graph.run(reports, store: store, into: results)
            var entries: [Manifest.FileEntry] = []
            for name in reports {
                let made = results[TargetRef<OutputFiles>(name)]
                for (file, bytes) in made.bytes.sorted(by: { $0.key < $1.key }) {
                    try staging.add(file, bytes)
                    entries.append(Manifest.entry(file, bytes))
                }
                for file in made.written { entries.append(try staging.move(file, from: edition, key: nil)) }
            }
            var manifest = Manifest(edition: publisher.year, tool: "yearbook \(YearbookVersion.current)",
                                    pipeline: Manifest.FileEntry(file: "", bytes: 0, sha256: ""), pipelineFiles: [],
                                    inputs: [], outputs: entries.sorted { $0.file < $1.file }, stale: [])
            manifest.failed = true
            _ = try staging.commit(manifest: manifest)
        } catch {
            staging.abandon()
            throw error
        }
        return aside.target
    }

    static func makeManifest(_ setup: Setup, result: BuildResult) -> Manifest {
        let (pipeline, pipelineFiles) = Manifest.pipelineEntry(setup.definition)
        var inputs = [Manifest.entry("areas.csv", setup.areasBytes)]
        for file in setup.tree.rosters.map({ ($0.name, $0.path) }) + setup.tree.submissions.map({ ($0.name, $0.path) }) {
            guard let digest = setup.digests[file.0] else { continue }
            inputs.append(Manifest.FileEntry(file: file.0, bytes: setup.sizes[file.0] ?? 0, sha256: digest))
        }
        var manifest = Manifest(edition: result.year, tool: "yearbook \(YearbookVersion.current)", pipeline: pipeline,
                                pipelineFiles: pipelineFiles, inputs: inputs.sorted { $0.file < $1.file }, outputs: [], stale: [])
        manifest.history = setup.history.read
        return manifest
    }
}

/// What a chapter's rebuild reads of the published edition and the target cache before it holds the
/// build's lock (beside the definition and the tree): each is used only while its files are as they were
/// read, for another build may have replaced them since.
struct ReadAhead: Sendable {
    private let manifest: Parallel.Future<(stamp: FileStamp?, path: SystemPath, read: Result<Manifest?, any Error>)>
    private let cache: Parallel.Future<TargetCache>

    /// The kept results are read ahead only when their files hold at most this: a 300-county edition's
    /// hold 4 MB, a national one's 36 MB (decoded, about 100 MB).
    static let earlyResultBytes = 16 << 20

    /// Starts reading beside the caller's work.
    init(out: String, year: Int) {
        manifest = Parallel.future {
            let folder = EditionPublisher(out: out, year: year).target
            let path = SystemPath((folder as NSString).appendingPathComponent(Manifest.fileName))
            let stamp = try? POSIX.stamp(path)
            return (stamp, path, Result { try Manifest.ofEdition(folder) })
        }
        cache = Parallel.future {
            let cache = TargetCache(out: out, year: year, records: .ofKeptResults)
            cache.readEarly(YearbookTargets.kept, budget: Self.earlyResultBytes)
            return cache
        }
    }

    /// The edition's manifest as read ahead, if its file is there as it was; nil: read it now.
    func publishedManifest() throws -> Manifest?? {
        let ahead = manifest.value
        guard let stamp = ahead.stamp, (try? POSIX.stamp(ahead.path)) == stamp else { return nil }
        return .some(try ahead.read.get())
    }

    /// The cache as read ahead if none of its files changed since.
    var currentCache: TargetCache? {
        let cache = cache.value
        return cache.isCurrent ? cache : nil
    }
}

/// What the build's checkpoint decided, read after the run: every problem, and the target cache
/// being written.
private final class Verdict: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: (problems: ProblemList, cacheSaving: Parallel.Background?)?

    func record(_ problems: ProblemList, cacheSaving: Parallel.Background?) {
        lock.withLock { recorded = (problems, cacheSaving) }
    }

    var problems: ProblemList? { lock.withLock { recorded?.problems } }
    var cacheSaving: Parallel.Background? { lock.withLock { recorded?.cacheSaving } }
}
