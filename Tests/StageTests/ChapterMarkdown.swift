import Render
import YearbookTestSupport

/// A chapter of `edition` as the document the renderers read and its Markdown, line by line.
func chapterMarkdown(_ id: String, of edition: Edition) -> (document: ChapterDocument, lines: [String]) {
    let chapter = edition.chapters.first { $0.id == id }!
    let document = edition.document(for: chapter, presentation: Fixture.definition.presentation)
    return (document, MarkdownWriter.chapter(document, edition: edition).components(separatedBy: "\n"))
}

/// The lines of the table whose caption line is `caption`, up to the blank line after it.
func tableSection(_ lines: [String], _ caption: String) -> [String] {
    guard let start = lines.firstIndex(of: caption) else { return [] }
    let end = lines[(start + 2)...].firstIndex(of: "") ?? lines.endIndex
    return Array(lines[start..<end])
}
