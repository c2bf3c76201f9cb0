import Foundation
import Yams

/// Decodes the definition's Codable types straight from Yams' node tree and
/// records what they asked for: for every mapping, the keys its type read,
/// and for every value, where it stands in the text. The checker then knows
/// the unknown keys of any type, including keys added to the types later,
/// without a list of its own.
final class DefinitionDecoding {
    /// A node's place in the text: its mark's line and column.
    struct Position: Hashable {
        var line: Int
        var column: Int
        init(_ mark: Mark?) {
            line = mark?.line ?? 1
            column = mark?.column ?? 1
        }
    }

    /// Per mapping: the keys its type asked for, in the order asked.
    private(set) var askedKeys: [Position: [String]] = [:]
    /// Mappings read as dictionaries: every key of theirs is a name, not a field.
    private(set) var openMappings: Set<Position> = []
    /// Per coding path (`content.elderly-care.headlines[0].zh`): the value's node and its key's mark.
    private(set) var values: [String: (node: Node, keyMark: Mark?)] = [:]

    func decode<T: Decodable>(_ type: T.Type, from root: Node) throws -> T {
        values[""] = (root, nil)
        return try NodeDecoder(node: root, codingPath: [], state: self).decodeValue(T.self)
    }

    fileprivate func asked(_ key: String, in mapping: Position) {
        if !(askedKeys[mapping]?.contains(key) ?? false) { askedKeys[mapping, default: []].append(key) }
    }

    fileprivate func opened(_ mapping: Position) { openMappings.insert(mapping) }

    fileprivate func visited(_ node: Node, keyMark: Mark?, at path: [CodingKey]) {
        values[DefinitionDecoding.name(of: path)] = (node, keyMark)
    }

    /// `rules[3].check`: how a coding path reads in messages.
    static func name(of path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// What a reader calls a value of `type`.
    static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "yes or no"
        case is Int.Type: return "a whole number"
        case is Double.Type, is Float.Type: return "a number"
        default: return "a value"
        }
    }

    /// What a reader calls the node found instead.
    static func reality(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return node.isNull ? "nothing" : "'\(scalar.string)'"
        case .mapping: return "a mapping (key: value)"
        case .sequence: return "a list"
        }
    }
}

extension Node {
    /// `~`, `null` or nothing, unquoted (a quoted "" is text).
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.style == .plain && NSNull.construct(from: scalar) != nil
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue!)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

private struct NodeDecoder: Decoder, SingleValueDecodingContainer {
    let node: Node
    let codingPath: [CodingKey]
    let state: DefinitionDecoding
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ node: Node, key: CodingKey, keyMark: Mark?) -> NodeDecoder {
        let path = codingPath + [key]
        state.visited(node, keyMark: keyMark, at: path)
        return NodeDecoder(node: node, codingPath: path, state: state)
    }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath,
                                      debugDescription: "expected \(expected), found \(DefinitionDecoding.reality(node))"))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        guard let constructible = T.self as? ScalarConstructible.Type else { return try T(from: self) }
        let expected = DefinitionDecoding.expectation(T.self)
        guard case .scalar(let scalar) = node, !node.isNull else { throw mismatch(expected) }
        guard let value = constructible.construct(from: scalar) as? T else { throw mismatch(expected) }
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else { throw mismatch("a mapping (key: value)") }
        return KeyedDecodingContainer(KeyedNodes<Key>(decoder: self, mapping: mapping))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else { throw mismatch("a list") }
        return UnkeyedNodes(decoder: self, items: Array(sequence))
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { node.isNull }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(T.self) }
}

private struct KeyedNodes<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let mapping: Node.Mapping
    var codingPath: [CodingKey] { decoder.codingPath }
    var position: DefinitionDecoding.Position { .init(mapping.mark) }

    var allKeys: [Key] {
        decoder.state.opened(position)
        return mapping.keys.compactMap { $0.string.flatMap(Key.init(stringValue:)) }
    }

    /// The first pair with this key (a second one is reported as a duplicate).
    func pair(_ key: Key) -> (key: Node, value: Node)? {
        decoder.state.asked(key.stringValue, in: position)
        return mapping.first { $0.key.string == key.stringValue }
    }

    func child(_ key: Key) throws -> NodeDecoder {
        guard let pair = pair(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing key '\(key.stringValue)'"))
        }
        return decoder.child(pair.value, key: key, keyMark: pair.key.mark)
    }

    func contains(_ key: Key) -> Bool { pair(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { pair(key)?.value.isNull ?? true }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decodeValue(T.self) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
}

private struct UnkeyedNodes: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    var currentIndex = 0
    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list is too short"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(currentIndex), keyMark: nil)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}
