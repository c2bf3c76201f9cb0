/// The tool's version, written into every manifest: a change of version
/// makes every cached extraction stale.
public enum YearbookVersion {
    public static let current = "0.1.0"
}
