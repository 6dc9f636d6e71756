package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image clean-up's plan over an engine's answers as recorded ({@code GET /images/json}, {@code GET
 * /containers/json?all=true}, the services' {@code Spec.TaskTemplate.ContainerSpec.Image}): what goes, what stays.
 */
class ImagePruneTest {
    static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    static final long OLD = NOW.minus(Duration.ofDays(90)).getEpochSecond();
    static final long YOUNG = NOW.minus(Duration.ofDays(3)).getEpochSecond();

    static final String IMAGES = """
            [
             {"Id": "sha256:aaa1", "RepoTags": ["postgres:16"], "RepoDigests": ["postgres@sha256:d1"],
              "Created": %d, "Size": 1},
             {"Id": "sha256:bbb2", "RepoTags": ["nginx:1.25"], "RepoDigests": ["nginx@sha256:d2"],
              "Created": %d, "Size": 1},
             {"Id": "sha256:ccc3", "RepoTags": ["<none>:<none>"], "RepoDigests": [], "Created": %d, "Size": 1},
             {"Id": "sha256:ddd4", "RepoTags": ["old/tool:1"], "RepoDigests": [], "Created": %d, "Size": 1},
             {"Id": "sha256:eee5", "RepoTags": ["fresh/app:2"], "RepoDigests": [], "Created": %d, "Size": 1},
             {"Id": "sha256:fff6", "RepoTags": null, "RepoDigests": ["traefik@sha256:d6"], "Created": %d, "Size": 1},
             {"Id": "sha256:ggg7", "RepoTags": ["reproducible/app:1"], "RepoDigests": [], "Created": 0, "Size": 1},
             {"Id": "sha256:hhh8", "RepoTags": ["redis:latest", "cache:7"], "RepoDigests": [], "Created": %d,
              "Size": 1},
             {"Id": "sha256:iii9", "RepoTags": [], "RepoDigests": [], "Created": %d, "Size": 1}
            ]""".formatted(OLD, OLD, OLD, OLD, YOUNG, OLD, OLD, YOUNG);
    /** A stopped container of postgres:16: a stack taken down, to come back. */
    static final String CONTAINERS = """
            [{"Id": "c1", "Image": "postgres:16", "ImageID": "sha256:aaa1", "State": "exited"}]""";
    /** Services name images by tag@digest (as docker stack deploy pins them), by digest, by Hub's long name. */
    static final List<String> SERVICES = List.of("nginx:1.25@sha256:d2", "docker.io/library/traefik@sha256:d6",
            "docker.io/library/redis");

    static ImagePrune plan(List<String> services) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode empty = json.readTree("[]");
        EngineObjects objects = ContainerJson.objects(json.readTree(IMAGES), json.readTree(CONTAINERS), empty, null,
                0);
        return ImagePrune.plan(objects, java.util.Optional.of(services), NOW, Duration.ofDays(30));
    }

    static String why(ImagePrune p, String id) {
        return p.kept().stream().filter(k -> k.image().id().equals(id)).map(ImagePrune.Kept::why).findFirst()
                .orElse("removed");
    }

    @Test
    void anImageAStoppedContainerWasMadeFromIsKept() throws Exception {
        assertThat(why(plan(SERVICES), "sha256:aaa1")).contains("a container (running or stopped)");
    }

    @Test
    void anImageAServiceNamesIsKeptByTagDigestOrHubName() throws Exception {
        ImagePrune p = plan(SERVICES);
        assertThat(why(p, "sha256:bbb2")).contains("Swarm service").contains("nginx:1.25@sha256:d2");
        assertThat(why(p, "sha256:fff6")).contains("Swarm service");
        assertThat(why(p, "sha256:hhh8")).as("redis means redis:latest").contains("Swarm service");
    }

    @Test
    void anOldDanglingImageAndAnOldUnusedOneGoYoungOnesStay() throws Exception {
        ImagePrune p = plan(SERVICES);
        assertThat(p.removedIds()).containsExactly("sha256:ccc3", "sha256:ddd4");
        assertThat(p.removals()).filteredOn(r -> r.image().id().equals("sha256:ccc3")).singleElement()
                .satisfies(r -> {
                    assertThat(r.references()).containsExactly("sha256:ccc3");
                    assertThat(r.why()).startsWith("dangling, built 90 days ago");
                });
        assertThat(p.removals()).filteredOn(r -> r.image().id().equals("sha256:ddd4")).singleElement()
                .satisfies(r -> assertThat(r.references()).containsExactly("old/tool:1"));
        assertThat(why(p, "sha256:eee5")).contains("younger than 30 days");
        assertThat(why(p, "sha256:iii9")).as("a young dangling image: a build under way").contains("younger");
        assertThat(why(p, "sha256:ggg7")).contains("no build time");
    }

    @Test
    void withoutTheServicesTheirImagesWouldGoSoTheyAreWhatKeepsThem() throws Exception {
        assertThat(plan(List.of()).removedIds()).contains("sha256:bbb2", "sha256:fff6")
                .doesNotContain("sha256:aaa1");
    }

    @Test
    void aMultiplyTaggedImageIsRemovedTagByTag() throws Exception {
        ObjectMapper json = new ObjectMapper();
        EngineObjects objects = ContainerJson.objects(json.readTree(IMAGES), json.readTree("[]"),
                json.readTree("[]"), null, 0);
        ImagePrune p = ImagePrune.plan(objects, java.util.Optional.of(List.of()), NOW.plus(Duration.ofDays(60)),
                Duration.ofDays(30));
        assertThat(p.removals()).filteredOn(r -> r.image().id().equals("sha256:hhh8")).singleElement()
                .satisfies(r -> assertThat(r.references()).containsExactly("redis:latest", "cache:7"));
    }

    @Test
    void onAWorkerThatCannotReadTheServicesOnlyNamelessImagesGo() throws Exception {
        ObjectMapper json = new ObjectMapper();
        EngineObjects objects = ContainerJson.objects(json.readTree(IMAGES), json.readTree(CONTAINERS),
                json.readTree("[]"), null, 0);
        ImagePrune p = ImagePrune.plan(objects, java.util.Optional.empty(), NOW, Duration.ofDays(30));
        assertThat(p.removedIds()).containsExactly("sha256:ccc3");
        assertThat(why(p, "sha256:ddd4")).contains("worker");
    }
}
