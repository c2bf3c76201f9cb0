import Definition
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// The fixture is a definition like any other: checked whole, with no problem.
@Suite struct FixtureTests {
    @Test func theFixtureDefinitionAndRegistryAreValid() {
        #expect(PipelineDefinition.read(path: Fixture.definitionPath).problems.map(\.description) == [])
        #expect(Fixture.indicators.map { "\($0.code) \($0.source.rawValue)" } == [
            "DIBAO_HH_U dibao", "DIBAO_PERSONS_U dibao", "DIBAO_AMOUNT_U dibao", "DIBAO_PC_U derived", "DIBAO_STD_U submission",
            "BEDS_TOTAL submission",
        ])
        #expect(Fixture.definition.chapters.map(\.id) == ["social-assistance", "elderly-care"])
        #expect(Fixture.registry.currentCode(for: "430221", in: 2019) == "430212")
        #expect(Fixture.registry.children(of: "430200", in: 2019) == ["430202", "430203", "430212"])
    }
}
