import Definition
import EditionFiles
import Foundation
import YearbookCore

extension Manifest {
    /// An output's entry, with the key of the target that wrote it.
    static func entry(_ name: String, _ bytes: [UInt8], key: TargetKey) -> FileEntry {
        entry(name, bytes, key: key.hex)
    }

    /// One hash over the definition and its dictionaries.
    static func pipelineEntry(_ definition: PipelineDefinition) -> (FileEntry, [FileEntry]) {
        var hasher = SHA256()
        var total = 0
        var files: [FileEntry] = []
        for (name, bytes) in definition.sources {
            hasher.update(Array(name.utf8) + [0])
            hasher.update(bytes)
            total += bytes.count
            files.append(entry(name, bytes))
        }
        let name = (definition.path as NSString).lastPathComponent
        return (FileEntry(file: name, bytes: total, sha256: hasher.hexDigest()), files)
    }
}
