package dev.kiban.os;

import static java.nio.file.StandardOpenOption.APPEND;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningKernelTest {
    @Test
    void theModuleTreeOfTheRunningReleaseSaysWhetherBrNetfilterIsAModule(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-42-amd64\n");
        assertThat(RunningKernel.listsModule(root, "br_netfilter")).as("no module tree").isFalse();
        Path dep = root.resolve("lib/modules/6.1.0-42-amd64/modules.dep");
        Files.createDirectories(dep.getParent());
        Files.writeString(dep, "kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko\n");
        assertThat(RunningKernel.listsModule(root, "br_netfilter")).as("built in").isFalse();
        Files.writeString(dep, "kernel/net/bridge/br_netfilter.ko.xz: kernel/net/bridge/bridge.ko\n", APPEND);
        assertThat(RunningKernel.listsModule(root, "br_netfilter")).isTrue();
    }


    @Test
    void onlyTheBridgeKeysWithoutAModuleLeaveTheBootTimeLoadOut() {
        assertThat(new RunningKernel(true, false).loadBridgeNetfilterAtBoot()).isFalse();
        assertThat(new RunningKernel(true, true).loadBridgeNetfilterAtBoot()).isTrue();
        assertThat(new RunningKernel(false, false).loadBridgeNetfilterAtBoot()).isTrue();
        assertThat(RunningKernel.UNKNOWN.loadBridgeNetfilterAtBoot()).isTrue();
    }
}
