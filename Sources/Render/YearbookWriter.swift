/// The rendered pages of an edition, by path under `<out>/<year>/`.
public enum YearbookWriter {
    /// `index.*` and `chapters/<id>.*`; with `only`, just that chapter and the index.
    public static func pages(_ edition: Edition, presentation: Presentation, only: String? = nil) -> [String: [UInt8]] {
        let documents = edition.chapters.map { edition.document(for: $0, presentation: presentation) }
        var pages: [String: [UInt8]] = [:]
        pages["index.md"] = Array(MarkdownWriter.index(edition, documents: documents).utf8)
        pages["index.html"] = Array(HTMLWriter.index(edition, documents: documents).utf8)
        for document in documents where only == nil || only == document.chapter.id {
            pages["chapters/\(document.chapter.id).md"] = Array(MarkdownWriter.chapter(document, edition: edition).utf8)
            pages["chapters/\(document.chapter.id).html"] = Array(HTMLWriter.chapter(document, edition: edition).utf8)
        }
        return pages
    }
}
