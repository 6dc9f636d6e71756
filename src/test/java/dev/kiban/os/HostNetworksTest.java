package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNetworksTest {
    @Test
    void anAddressAndItsPrefixGiveItsNetwork() {
        assertThat(HostNetworks.networkOf(new byte[] {(byte) 192, (byte) 168, 1, 77}, 24))
                .hasToString("192.168.1.0/24");
        assertThat(HostNetworks.networkOf(new byte[] {(byte) 172, 18, 3, 2}, 16)).hasToString("172.18.0.0/16");
        assertThat(HostNetworks.networkOf(new byte[] {10, 1, 2, 3}, 32)).hasToString("10.1.2.3/32");
    }

    @Test
    void dockersAndLibvirtsOwnInterfacesAreNotTheHostsNetworks() {
        assertThat(HostNetworks.dockersOrLibvirts("docker0")).isTrue();
        assertThat(HostNetworks.dockersOrLibvirts("docker_gwbridge")).isTrue();
        assertThat(HostNetworks.dockersOrLibvirts("br-51dbfe81c3d6")).isTrue();
        assertThat(HostNetworks.dockersOrLibvirts("veth1a2b")).isTrue();
        assertThat(HostNetworks.dockersOrLibvirts("virbr0")).isTrue();
        assertThat(HostNetworks.dockersOrLibvirts("eth0")).isFalse();
        assertThat(HostNetworks.dockersOrLibvirts("enp3s0")).isFalse();
    }

    @Test
    void thisMachinesNetworksLeaveLoopbackAndDockerOut() {
        assertThat(HostNetworks.system()).noneMatch(n -> n.name().equals("lo") || n.name().startsWith("docker"));
    }
}
