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

/// Which outputs a build writes, compares or keeps. A full build writes
/// every output. `--chapter` writes the chapter, the index, the data files
/// and the reports (cheap, and they must agree with the chapter) where their
/// key changed; another chapter whose key changed is made and compared with
/// the published one: equal, it stays; different, it is listed stale. The
/// workbook whose key changed is not made again: its content digest (see
/// `EditionSink.settleWorkbook`) decides the same. An output whose key did
/// not change is kept as it is.
struct OutputPlan {
    var written: [String] = []
    var compared: [String] = []
    var kept: [String] = []
    var records: [String: OutputRecord] = [:]

    init(targets: YearbookTargets, previous: Manifest?, chapter: String?) {
        guard let chapter, let previous else {
            written = targets.outputs
            return
        }
        for name in targets.outputs {
            if Self.isAsPublished(name, targets: targets, previous: previous) {
                kept.append(name)
            } else if (targets.graph.kind(of: name) == .chapter && name != YearbookTargets.chapter(chapter).name) || name == YearbookTargets.workbook {
                compared.append(name)
            } else {
                written.append(name)
            }
        }
    }

    var stale: [String] { records.values.filter(\.stale).flatMap { $0.entries.map(\.file) }.sorted() }

    /// Every file of output `name` was published with the key it has now, and none is listed stale:
    /// made again, it would be the same.
    static func isAsPublished(_ name: String, targets: YearbookTargets, previous: Manifest) -> Bool {
        let recorded = Dictionary(previous.outputs.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
        let stale = Set(previous.stale)
        let key = targets.graph.key(name).hex
        let files = targets.outputFiles[name]! + previous.outputs.map(\.file).filter { file in
            targets.outputPrefixes[name]?.contains(where: file.hasPrefix) ?? false
        }
        return files.allSatisfy { recorded[$0]?.key == key && !stale.contains($0) }
    }
}
