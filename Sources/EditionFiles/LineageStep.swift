import YearbookCore

/// One thing an observation was made from, or was checked against: a row of
/// the database's `lineage` table (`data/yearbook.sqlite`), which `explain` reads back.
public struct LineageStep: Hashable, Sendable, Encodable {
    public enum Role: String, Sendable, Encodable {
        /// A roster file whose active rows give the figure (two files when a
        /// retired code's file counts under its successor).
        case roster
        /// The submitted observation that is the figure.
        case submission
        /// An observation of another message for the same cell that the figure won over (an older `Prepared`).
        case superseded
        /// A reported figure compared with the kept one and not used.
        case notUsed = "not-used"
        /// A child area's figure (a sum) or a formula's operand (a derived figure).
        case operand
    }

    public var key: ObservationKey
    public var role: Role
    public var file: String?
    public var line: Int?
    public var sha256: String?
    public var rowsRead: Int?
    public var accepted: Int?
    public var inactive: Int?
    public var rejected: Int?
    public var prepared: String?
    /// The figure this step gives, in the base unit, as exact decimal text (nil when missing).
    public var value: String?
    public var operand: ObservationKey?
    /// For a figure not used: reported − kept, and the contract's tolerance.
    public var difference: String?
    public var tolerance: String?
    public var note: String?

    /// Encoded without the figure's own key and the operand's (an explanation nests the operand's figure).
    enum CodingKeys: String, CodingKey {
        case role, file, line, sha256, rowsRead, accepted, inactive, rejected, prepared, value, difference, tolerance, note
    }

    public init(_ key: ObservationKey, _ role: Role) {
        self.key = key
        self.role = role
    }
}
