package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's task JSON, as Engine API 1.41+ gives it, read into a TaskSummary with its overlay addresses. */
class SwarmJsonTest {
    @Test
    void aTaskCarriesItsAddressesOnEachNetworkByName() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"ID": "t1", "ServiceID": "s1", "NodeID": "n2", "DesiredState": "running",
                 "Status": {"State": "running", "Timestamp": "2026-12-05T17:00:00Z",
                            "ContainerStatus": {"ContainerID": "c1"}},
                 "NetworksAttachments": [
                   {"Network": {"ID": "x", "Spec": {"Name": "kiban-probe-0a1b2c3d", "Driver": "overlay"}},
                    "Addresses": ["10.20.1.5/24"]},
                   {"Network": {"ID": "y", "Spec": {"Name": "ingress"}}, "Addresses": ["10.0.0.7/24"]}]}
                """);

        TaskSummary t = SwarmJson.task(json);

        assertThat(t.nodeId()).isEqualTo("n2");
        assertThat(t.containerId()).isEqualTo("c1");
        assertThat(t.addresses()).isEqualTo(Map.of("kiban-probe-0a1b2c3d", List.of("10.20.1.5/24"),
                "ingress", List.of("10.0.0.7/24")));
        assertThat(t.address("kiban-probe-0a1b2c3d")).contains("10.20.1.5");
        assertThat(t.address("elsewhere")).isEmpty();
    }

    @Test
    void aPendingTaskHasNoAttachmentsAndTheSchedulersReason() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"ID": "t2", "ServiceID": "s1", "DesiredState": "running",
                 "Status": {"State": "pending",
                            "Err": "no suitable node (scheduling constraints not satisfied on 3 nodes)"}}
                """);

        TaskSummary t = SwarmJson.task(json);

        assertThat(t.addresses()).isEmpty();
        assertThat(t.nodeId()).isEmpty();
        assertThat(t.error()).startsWith("no suitable node");
    }
}
