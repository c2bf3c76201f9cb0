import Foundation
import YearbookCore

/// `<out>/<year>/manifest.json`: each input and output with its SHA-256, the
/// pipeline definition's hash and the tool version. It decides what a
/// regeneration must redo, and lets anyone check a published yearbook
/// against its inputs (`yearbook verify`). No timestamps: two builds of the
/// same inputs write the same manifest.
public struct Manifest: Codable, Sendable {
    public struct FileEntry: Codable, Sendable, Hashable {
        public var file: String
        public var bytes: Int
        public var sha256: String
        /// For an output: the key of the target that wrote it (what it was made from).
        public var key: String?
        /// For an output costly to make again (the workbook): a digest of what it shows, so that
        /// `--chapter` can tell whether a full build would write it differently without making it.
        public var content: String?
        /// For an output: true when a reader may see it (`yearbook release` copies it); absent for the
        /// bureau's own files (reports, database), which hold household ids and input file names.
        public var `public`: Bool?

        public init(file: String, bytes: Int, sha256: String, key: String? = nil, content: String? = nil, public isPublic: Bool? = nil) {
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
            self.key = key
            self.content = content
            self.public = isPublic
        }
    }

    public var edition: Int
    public var tool: String
    public var pipeline: FileEntry
    /// The definition and its dictionaries, each.
    public var pipelineFiles: [FileEntry]
    public var inputs: [FileEntry]
    public var outputs: [FileEntry]
    /// The earlier editions' data files the chapters' history was read from
    /// (optional: manifests written before it was recorded lack it).
    public var history: [FileEntry]?
    /// Outputs that a full build would change (after `--chapter` regenerated only one chapter).
    public var stale: [String]
    /// Set on the reports of a failed build (`<out>/<year>.failed/`): not an edition.
    public var failed: Bool?
    /// Set on a release (`yearbook release`): the public files of an edition, with no inputs listed.
    public var release: Bool?

    public static let fileName = EditionLayout.manifest

    public init(edition: Int, tool: String, pipeline: FileEntry, pipelineFiles: [FileEntry], inputs: [FileEntry],
                outputs: [FileEntry], history: [FileEntry]? = nil, stale: [String], failed: Bool? = nil) {
        self.edition = edition
        self.tool = tool
        self.pipeline = pipeline
        self.pipelineFiles = pipelineFiles
        self.inputs = inputs
        self.outputs = outputs
        self.history = history
        self.stale = stale
        self.failed = failed
    }

    /// The manifest's JSON, byte for byte as `EditionJSON.encoded` writes it (keys in sorted order), written
    /// directly: a national edition lists 11,600 inputs.
    public func encoded() -> [UInt8] {
        var json = JSONText()
        json.open("{")
        json.int("edition", edition)
        if let failed { json.bool("failed", failed) }
        if let history { Self.write(history, key: "history", to: &json) }
        Self.write(inputs, key: "inputs", to: &json)
        Self.write(outputs, key: "outputs", to: &json)
        Self.write(pipeline, key: "pipeline", to: &json)
        Self.write(pipelineFiles, key: "pipelineFiles", to: &json)
        if let release { json.bool("release", release) }
        json.open("[", key: "stale")
        for file in stale { json.element(file) }
        json.close("]")
        json.string("tool", tool)
        json.close("}")
        return json.ended()
    }

    private static func write(_ entries: [FileEntry], key: String, to json: inout JSONText) {
        json.open("[", key: key)
        for entry in entries { write(entry, key: nil, to: &json) }
        json.close("]")
    }

    private static func write(_ entry: FileEntry, key: String?, to json: inout JSONText) {
        json.open("{", key: key)
        json.int("bytes", entry.bytes)
        if let content = entry.content { json.string("content", content) }
        json.string("file", entry.file)
        if let value = entry.key { json.string("key", value) }
        if let isPublic = entry.public { json.bool("public", isPublic) }
        json.string("sha256", entry.sha256)
        json.close("}")
    }

    public static func load(_ folder: String) throws -> Manifest {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let bytes = try? POSIX.readFile(SystemPath(path)) else {
            throw YearbookError.usage("\(folder) is not a yearbook edition: no \(fileName)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch {
            throw YearbookError.usage("\(path) does not read: \(error)")
        }
        // The edition is a year folder's name (four digits); a damaged one must not reach the year arithmetic.
        guard (0...9999).contains(manifest.edition) else {
            throw YearbookError.usage("\(path) does not read: its edition \(manifest.edition) is not a year")
        }
        return manifest
    }

    /// The edition number the manifest in `folder` states, read alone (nil without a manifest that
    /// states one), so that a reader can check it before it reads the rest.
    public static func statedEdition(_ folder: String) -> Int? {
        struct Stated: Decodable { var edition: Int }
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let bytes = try? POSIX.readFile(SystemPath(path)) else { return nil }
        return (try? JSONDecoder().decode(Stated.self, from: Data(bytes)))?.edition
    }

    /// A file's entry; `key` is the hex key of the target that wrote it, for an output.
    public static func entry(_ name: String, _ bytes: [UInt8], key: String? = nil) -> FileEntry {
        FileEntry(file: name, bytes: bytes.count, sha256: SHA256.hex(bytes), key: key)
    }

    /// The manifest of the edition in `folder`, nil when there is no folder or it is empty;
    /// an error when the folder holds files but no manifest this tool wrote.
    public static func ofEdition(_ folder: String) throws -> Manifest? {
        guard let kind = POSIX.kind(SystemPath(folder)) else { return nil }
        guard kind == .folder else { throw YearbookError.usage("\(folder) is \(kind.rawValue), not an edition folder; nothing was written") }
        let path = SystemPath((folder as NSString).appendingPathComponent(fileName))
        guard let data = try POSIX.readFile(path) else {
            if try POSIX.folderEntries(SystemPath(folder)).isEmpty { return nil }
            throw YearbookError.usage("\(folder) exists but is not an edition this tool wrote (no \(fileName)); nothing was written. Choose another --out, or move its files away")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(data)), manifest.tool.hasPrefix("yearbook ") else {
            throw YearbookError.usage("\(folder)/\(fileName) is not a yearbook manifest: \(folder) is not an edition this tool wrote; nothing was written")
        }
        return manifest
    }
}
