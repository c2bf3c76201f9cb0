/// "Did you mean": the known word closest to a misspelt one, by edit distance.
public enum Spelling {
    /// The number of single-character insertions, deletions and substitutions from `a` to `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest of `known` to `word`, when it is close enough to be a slip
    /// (at most 2 edits, or a third of the word); the first of equals.
    public static func closest(to word: String, in known: some Sequence<String>) -> String? {
        let limit = max(2, word.count / 3)
        var best: (word: String, distance: Int)?
        for candidate in known where candidate != word {
            let found = distance(word.lowercased(), candidate.lowercased())
            if found <= limit, found < (best?.distance ?? .max) { best = (candidate, found) }
        }
        return best?.word
    }

    /// `; did you mean 'X'?` or nothing.
    public static func suggestion(for word: String, in known: some Sequence<String>) -> String {
        closest(to: word, in: known).map { "; did you mean '\($0)'?" } ?? ""
    }
}
