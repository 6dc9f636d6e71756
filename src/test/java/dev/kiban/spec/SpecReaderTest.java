package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Scalar.Kind;
import dev.kiban.spec.SpecNode.Sequence;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The YAML reader: YAML 1.2 typing, anchors, aliases and merge keys with their places, and its limits. */
class SpecReaderTest {
    final List<Problem> problems = new ArrayList<>();

    SpecNode read(String yaml) {
        return SpecReader.read("f.yml", yaml, problems);
    }

    Mapping map(String yaml) {
        SpecNode n = read(yaml);
        assertThat(problems).isEmpty();
        return (Mapping) n;
    }

    static SpecNode at(SpecNode node, String path) {
        for (String key : path.split("\\.")) node = ((Mapping) node).get(key);
        return node;
    }

    static String where(SpecNode node) {
        return node.location().line() + ":" + node.location().column();
    }

    static String keyWhere(SpecNode node, String path) {
        int dot = path.lastIndexOf('.');
        Mapping parent = (Mapping) (dot < 0 ? node : at(node, path.substring(0, dot)));
        SpecNode.Location l = parent.entries().get(path.substring(dot + 1)).keyLocation();
        return l.line() + ":" + l.column();
    }

    static Kind kind(Mapping m, String key) {
        return ((Scalar) m.get(key)).kind();
    }

    List<String> messages() {
        return problems.stream().map(Problem::toString).toList();
    }

    @Nested
    class Types {
        @Test
        void onlyTrueAndFalseAreBooleansAsInYaml12() {
            Mapping m = map("""
                    a: true
                    b: False
                    c: TRUE
                    d: yes
                    e: no
                    f: on
                    g: off
                    h: y
                    i: "true"
                    j: 'false'
                    k: !!str true
                    """);
            assertThat(List.of("a", "b", "c")).allSatisfy(k -> assertThat(kind(m, k)).isEqualTo(Kind.BOOLEAN));
            assertThat(List.of("d", "e", "f", "g", "h", "i", "j", "k"))
                    .allSatisfy(k -> assertThat(kind(m, k)).as(k).isEqualTo(Kind.STRING));
            assertThat(((Scalar) m.get("d")).text()).isEqualTo("yes");
            assertThat(((Scalar) m.get("i")).text()).isEqualTo("true");
        }

        @Test
        void numbersAndNullsFollowTheCoreSchema() {
            Mapping m = map("a: 12\nb: -1.5e3\nc: 0x1F\nd: 0o17\ne: .inf\nf: 1_000\ng: \"12\"\nh: ~\ni:\nj: null\n"
                    + "k: 2024-01-01\n");
            assertThat(List.of("a", "b", "c", "d", "e")).allSatisfy(k -> assertThat(kind(m, k)).isEqualTo(Kind.NUMBER));
            assertThat(List.of("f", "g", "k")).allSatisfy(k -> assertThat(kind(m, k)).isEqualTo(Kind.STRING));
            assertThat(List.of("h", "i", "j"))
                    .allSatisfy(k -> assertThat(m.get(k)).as(k).isInstanceOf(SpecNode.Null.class));
        }

        @Test
        void aKeyThatLooksLikeNullOrABooleanKeepsItsText() {
            assertThat(map("null: a\n~: b\ntrue: c\non: d\n").entries()).containsOnlyKeys("null", "~", "true", "on");
        }

        @Test
        void anExplicitCoreTagMustFitItsValue() {
            read("a: !!bool yes\n");
            assertThat(messages()).containsExactly(
                    "f.yml:1:4: error: the tag !!bool does not fit its value (YAML 1.2 core schema)");
        }

        @Test
        void theSpecsOwnBooleansRefuseYesRatherThanReadItAsFalse() {
            List<String> errors = SpecDocument.parse("kiban.yaml", "engine:\n  userlandProxy: yes\n", false).problems()
                    .stream().filter(Problem::isError).map(Problem::toString).toList();
            assertThat(errors).containsExactly(
                    "kiban.yaml:2:3 engine.userlandProxy: error: expected true or false, got \"yes\"");
        }
    }

    @Nested
    class Aliases {
        @Test
        void anAliasIsTheAnchoredValueNotItsName() {
            Mapping m = map("a: &img nginx:1.27\nb: *img\nc: [*img]\n");
            assertThat(((Scalar) m.get("b")).text()).isEqualTo("nginx:1.27");
            assertThat(((Scalar) ((Sequence) m.get("c")).items().get(0)).text()).isEqualTo("nginx:1.27");
        }

        @Test
        void anAliasedValueCarriesTheAnchorsPlaceAndTheKeyItsOwn() {
            Mapping m = map("""
                    x-limits: &limits
                      cpus: "0.5"
                    svc:
                      resources: *limits
                    """);
            assertThat(where(at(m, "svc.resources"))).isEqualTo(where(at(m, "x-limits")));
            assertThat(where(at(m, "svc.resources.cpus"))).isEqualTo("2:9");
            assertThat(keyWhere(m, "svc.resources")).isEqualTo("4:3");
            assertThat(keyWhere(m, "svc.resources.cpus")).isEqualTo("2:3");
        }

        @Test
        void anAliasBeforeItsAnchorIsAnError() {
            assertThat(read("a: *nope\n")).isNull();
            assertThat(messages()).containsExactly("f.yml:1:4: error: the alias *nope has no anchor &nope before it");
        }

        @Test
        void aRecursiveAliasIsAnError() {
            assertThat(read("a: &r\n  - x\n  - *r\n")).isNull();
            assertThat(messages()).singleElement().asString()
                    .startsWith("f.yml:3:5: error: the alias *r refers to a collection that contains it");
        }

        @Test
        void aReusedAnchorNameRefersToTheLatest() {
            Mapping m = map("a: &x one\nb: &x two\nc: *x\n");
            assertThat(((Scalar) m.get("c")).text()).isEqualTo("two");
        }

        @Test
        void billionLaughsIsRefusedAtTheAliasThatCrossesTheBudget() {
            StringBuilder y = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (int i = 1; i <= 9; i++) {
                String prev = "*l" + (i - 1);
                String items = String.join(", ", java.util.Collections.nCopies(9, prev));
                y.append("l").append(i).append(": &l").append(i).append(" [").append(items).append("]\n");
            }
            assertThat(read(y.toString())).isNull();
            assertThat(messages()).singleElement().asString()
                    .startsWith("f.yml:5:").contains("error: too many alias expansions");
        }

        @Test
        void manyOrdinaryAliasesAreFine() {
            StringBuilder y = new StringBuilder("x: &x {cpus: '0.5', memory: 128M}\ns:\n");
            for (int i = 0; i < 300; i++) y.append("  s").append(i).append(": *x\n");
            assertThat(((Mapping) map(y.toString()).get("s")).entries()).hasSize(300);
        }
    }

    @Nested
    class MergeKeys {
        @Test
        void writtenKeysWinAndEarlierSourcesWinOverLaterOnes() {
            Mapping m = map("""
                    a: &a {one: a1, two: a2}
                    b: &b {two: b2, three: b3, four: b4}
                    m:
                      four: m4
                      <<: [*a, *b]
                      one: m1
                    """);
            Mapping merged = (Mapping) m.get("m");
            assertThat(merged.entries().keySet()).containsExactly("four", "two", "three", "one");
            assertThat(((Scalar) merged.get("one")).text()).isEqualTo("m1");
            assertThat(((Scalar) merged.get("two")).text()).isEqualTo("a2");
            assertThat(((Scalar) merged.get("three")).text()).isEqualTo("b3");
            assertThat(((Scalar) merged.get("four")).text()).isEqualTo("m4");
            assertThat(keyWhere(m, "m.one")).isEqualTo("6:3");
            assertThat(keyWhere(m, "m.two")).isEqualTo("1:17");
            assertThat(keyWhere(m, "m.three")).isEqualTo("2:17");
        }

        @Test
        void aSingleSourceAndAnInlineMappingMerge() {
            Mapping m = map("""
                    x-base: &base
                      image: app:1
                      privileged: true
                    services:
                      web:
                        <<: *base
                        image: app:2
                      job:
                        <<: {restart: "no"}
                    """);
            assertThat(((Scalar) at(m, "services.web.image")).text()).isEqualTo("app:2");
            assertThat(((Scalar) at(m, "services.web.privileged")).kind()).isEqualTo(Kind.BOOLEAN);
            assertThat(where(at(m, "services.web.privileged"))).isEqualTo("3:15");
            assertThat(((Scalar) at(m, "services.job.restart")).text()).isEqualTo("no");
            assertThat(((Mapping) at(m, "services.web")).entries()).doesNotContainKey("<<");
        }

        @Test
        void aSpecWithAnchorsBindsTheResolvedValues() {
            SpecDocument doc = SpecDocument.parse("kiban.yaml", SpecValidationTest.FILLED + """
                    budget:
                      hostReserve: &reserve {cpus: 1, memory: 8G, disks: {ssd: 410G}}
                      spare:
                        <<: *reserve
                        memory: 6G
                        disks: {hdd: 0.6T}
                    engine:
                      userlandProxy: &off false
                      noNewPrivileges: true
                      liveRestore: auto
                    """, false);
            assertThat(doc.problems()).isEmpty();
            assertThat(doc.require().budget().spare().cpus()).isEqualTo(1);
            assertThat(doc.require().budget().spare().memory()).isEqualTo(ByteSize.parse("6G"));
            assertThat(doc.require().engine().userlandProxy()).isFalse();
        }

        @Test
        void aQuotedMergeKeyIsAnOrdinaryKey() {
            Mapping m = map("\"<<\": {a: 1}\n");
            assertThat(m.entries()).containsOnlyKeys("<<");
        }

        @Test
        void aMergeKeyTakesOnlyMappings() {
            read("a: &a x\nb:\n  <<: *a\n");
            assertThat(messages()).singleElement().asString()
                    .startsWith("f.yml:1:4 <<: error: a merge key takes a mapping or a list of mappings");
        }

        @Test
        void mergedKeysAreNoDuplicatesButWrittenOnesAre() {
            read("""
                    a: &a {k: 1}
                    b:
                      <<: *a
                      k: 2
                      j: 3
                      j: 4
                      <<: *a
                    """);
            assertThat(messages()).containsExactly(
                    "f.yml:6:3 j: error: duplicate key; first given at line 5",
                    "f.yml:7:3 <<: error: a mapping takes one merge key; list several sources as <<: [*a, *b]");
        }
    }

    @Nested
    class Documents {
        @Test
        void emptyAndSeveralDocumentsAndDeepNesting() {
            assertThat(read("# only a comment\n")).isNull();
            assertThat(read("a: 1\n---\nb: 2\n")).isNotNull();
            read("[".repeat(500) + "]".repeat(500));
            assertThat(messages()).containsExactly(
                    "f.yml:1:1: error: the file is empty; run 'kiban spec init' for a complete spec",
                    "f.yml:2:1: error: only one YAML document is allowed in a spec",
                    "f.yml:1:102: error: nested more than 100 levels deep");
        }

        @Test
        void syntaxErrorsNameTheirPlace() {
            assertThat(read("a: [1, 2\nb: 3\n")).isNull();
            assertThat(messages()).singleElement().asString().startsWith("f.yml:2:").contains("YAML syntax:");
        }
    }
}
