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

    /// The manifest's JSON, byte for byte as `EditionJSON.encoded` writes it (sorted keys, pretty printed,
    /// slashes as they are), written directly: a national edition lists 11,000 inputs.
    public func encoded() -> [UInt8] {
        var json = PrettyJSON()
        json.open("{")
        json.key("edition"); json.number(edition)
        if let failed { json.key("failed"); json.bool(failed) }
        if let history { json.key("history"); json.entries(history) }
        json.key("inputs"); json.entries(inputs)
        json.key("outputs"); json.entries(outputs)
        json.key("pipeline"); json.entry(pipeline)
        json.key("pipelineFiles"); json.entries(pipelineFiles)
        if let release { json.key("release"); json.bool(release) }
        json.key("stale")
        json.open("[")
        for file in stale { json.element(); json.string(file) }
        json.close("]")
        json.key("tool"); json.string(tool)
        json.close("}")
        json.bytes.append(0x0A)
        return json.bytes
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

/// JSON as `JSONEncoder` writes it with `.prettyPrinted`: two spaces a level, `"key" : value`, an empty
/// array or object as its brackets around an empty line.
private struct PrettyJSON {
    var bytes: [UInt8] = []
    private var depth = 0
    /// Whether the container open now has a member yet.
    private var filled: [Bool] = []

    mutating func open(_ bracket: Character) {
        bytes.append(bracket.asciiValue!)
        depth += 1
        filled.append(false)
    }

    mutating func close(_ bracket: Character) {
        depth -= 1
        bytes.append(0x0A)
        if filled.removeLast() == false { bytes.append(0x0A) }
        indent()
        bytes.append(bracket.asciiValue!)
    }

    /// Before each member of an array or object.
    mutating func element() {
        if filled[filled.count - 1] { bytes.append(UInt8(ascii: ",")) }
        filled[filled.count - 1] = true
        bytes.append(0x0A)
        indent()
    }

    mutating func key(_ name: String) {
        element()
        string(name)
        bytes.append(contentsOf: " : ".utf8)
    }

    private mutating func indent() {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
            case 0x08: bytes.append(contentsOf: "\\b".utf8)
            case 0x0C: bytes.append(contentsOf: "\\f".utf8)
            case 0x0A: bytes.append(contentsOf: "\\n".utf8)
            case 0x0D: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func entry(_ entry: Manifest.FileEntry) {
        open("{")
        key("bytes"); number(entry.bytes)
        if let content = entry.content { key("content"); string(content) }
        key("file"); string(entry.file)
        if let value = entry.key { key("key"); string(value) }
        if let isPublic = entry.public { key("public"); bool(isPublic) }
        key("sha256"); string(entry.sha256)
        close("}")
    }

    mutating func entries(_ list: [Manifest.FileEntry]) {
        open("[")
        for item in list {
            element()
            entry(item)
        }
        close("]")
    }
}
